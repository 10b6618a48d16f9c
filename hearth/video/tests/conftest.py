import datetime

import pytest
from django.utils import timezone

from hearth.scheduling.models import Occurrence, SessionKind


def open_session(world, *, kind=SessionKind.GROUP_THERAPY, starts_in_minutes=5, minutes=60, program=None) -> Occurrence:
    """A session of the world's cohort whose room is open now, hosted by the world's clinician."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=starts_in_minutes)
    occurrence = Occurrence.objects.create(
        program=program or world.program,
        kind=kind,
        title="Evening group",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        cohort=world.cohort if program is None else None,
    )
    occurrence.hosts.add(world.clinician)
    return occurrence


def world_room_session(world) -> Occurrence:
    occurrence = getattr(world, "_video_session", None)
    if occurrence is None:
        occurrence = world._video_session = open_session(world)
    return occurrence


@pytest.fixture
def session(world) -> Occurrence:
    return world_room_session(world)
