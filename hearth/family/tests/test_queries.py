"""Every family page answers in a fixed number of queries, whatever the number of days, notes,
sessions, check-ins, questionnaires or activities behind it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.family.models import CaringNote, ContractDay, SessionTopic, SharedActivity
from hearth.family.selectors import SECTIONS, local_today
from hearth.family.services import progress_summary_save
from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind
from hearth.scheduling.selectors import monday_of
from hearth.tests.factories import make_consent


def _grow(world, couple, n: int, offset: int) -> None:
    """n more of everything the family pages list, this week and the weeks before."""
    person, now, today = world.participant, timezone.now(), local_today(world.participant)
    for i in range(offset, offset + n):
        for start in (now - datetime.timedelta(minutes=61 + i), now + datetime.timedelta(days=1, minutes=i)):
            occurrence = Occurrence.objects.create(
                program=world.program,
                kind=SessionKind.GROUP_THERAPY,
                title=f"Group {i}",
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=60),
                cohort=world.cohort,
            )
            if start < now:
                Attendance.objects.create(
                    occurrence=occurrence, person=person, status=AttendanceStatus.PRESENT, minutes=60
                )
        day = today - datetime.timedelta(days=i + 1)
        CheckIn.objects.create(person=person, local_date=day, mood=3, craving=2, sleep_hours=7)
        MeasureResponse.objects.create(
            person=person, measure="phq9", instance_date=day, answers={}, total=3, band="minimal", level="low"
        )
        if i < 27:  # the calendar holds four weeks
            ContractDay.objects.create(
                participant=person, partner=couple.partner, program=world.program, day=day, acknowledged_at=now
            )
        CaringNote.objects.create(participant=person, author=couple.partner, text=f"Kind act {i}")
        SessionTopic.objects.create(participant=person, author=couple.partner, text=f"Topic {i}")
        SharedActivity.objects.create(
            participant=person,
            partner=couple.partner,
            program=world.program,
            week_start=monday_of(today) - datetime.timedelta(weeks=i % 4),
            title=f"Activity {i}",
            proposed_by=couple.partner,
        )


def _pages(world, couple):
    """(viewer, url) for every family page, each viewer seeing the most the page can show."""
    contract = reverse("family:contract", args=[couple.participant.pk])
    activities = reverse("family:activities", args=[couple.participant.pk])
    return {
        "portal": (world.family_without, reverse("family:portal")),
        "person, every section": (world.family_without, reverse("family:person", args=[world.participant.pk])),
        "course": (world.family_without, reverse("family:course")),
        "course module": (world.family_without, reverse("family:course_module", args=["self-care"])),
        "my summary": (world.participant, reverse("family:my_summary")),
        "contract, partner": (couple.partner, contract),
        "contract, clinician": (world.clinician, contract),
        "activities, partner": (couple.partner, activities),
        "activities, clinician": (world.clinician, activities),
        "contract home": (couple.partner, reverse("family:contract_home")),
    }


@pytest.fixture
def everything_shared(world, couple):
    make_consent(world.participant, world.program, world.family_without, categories=[c for _s, c, _l in SECTIONS])
    progress_summary_save(actor=world.participant, text="Taking it one day at a time.")
    return couple


@pytest.mark.parametrize(
    "page",
    [
        "portal",
        "person, every section",
        "course",
        "course module",
        "my summary",
        "contract, partner",
        "contract, clinician",
        "activities, partner",
        "activities, clinician",
        "contract home",
    ],
)
def test_page_queries_do_not_grow_with_data(world, everything_shared, client_for, page):
    couple = everything_shared
    viewer, url = _pages(world, couple)[page]
    _grow(world, couple, 2, offset=0)
    client = client_for(viewer)
    client.get(url)  # warm caches (sessions, content types) outside the count
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code in (200, 302)
    _grow(world, couple, 12, offset=2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code in (200, 302)
    assert len(large.captured_queries) <= len(small.captured_queries), page
    # A ceiling too, so a page that is already heavy does not go unnoticed.
    assert len(small.captured_queries) <= 40, (page, len(small.captured_queries))
