"""Issue 23 item 3: a moved or cancelled session's in-app notice says what changed, in the
person's zone and language; the channels that leave Hearth stay generic."""

import datetime
import zoneinfo

import pytest

from hearth.notifications.delivery import delivery_attempt
from hearth.notifications.models import Notification
from hearth.scheduling.services import occurrence_cancel, occurrence_move

from .helpers import evening_group

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _first(series):
    return series.obj.occurrences.order_by("starts_at").first()


def test_a_moved_session_says_when_it_moved_to(world):
    occurrence = _first(evening_group(world))  # Monday 2 March 2026, 18:00 Chicago
    world.other_participant.language = "es"
    world.other_participant.save(update_fields=["language"])
    starts = occurrence.starts_at.astimezone(CHICAGO).replace(hour=19) + datetime.timedelta(days=1)
    occurrence_move(actor=world.clinician, occurrence=occurrence, starts_at=starts)
    notice = Notification.objects.filter(recipient=world.participant, kind="scheduling.changed").latest("pk")
    assert notice.display_title == "Evening group moved from Monday 6 p.m. to Tuesday 7 p.m."
    spanish = Notification.objects.filter(recipient=world.other_participant, kind="scheduling.changed").latest("pk")
    assert spanish.display_title == "Evening group cambió de horario: antes Lunes 18:00, ahora Martes 19:00"
    assert notice.generic_title == "A session on your calendar changed in Hearth"


def test_a_cancelled_session_says_which_one(world):
    occurrence = _first(evening_group(world))
    occurrence_cancel(actor=world.clinician, occurrence=occurrence)
    notice = Notification.objects.filter(recipient=world.participant, kind="scheduling.changed").latest("pk")
    assert notice.display_title == "Evening group on Monday 6 p.m. is cancelled"
    # The email that leaves Hearth carries the generic title only.
    for delivery in notice.deliveries.all():
        delivery_attempt(delivery_id=delivery.pk)
    from django.core import mail

    for sent in mail.outbox:
        assert "Evening group" not in sent.subject + sent.body
