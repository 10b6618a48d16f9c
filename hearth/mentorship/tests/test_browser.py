"""Mentorship pages in Chromium: the mentor's day at phone width with a planned meeting, one
mentorship, the supervision view with this month's note, and a match explanation. axe, CSP and
layout checks; screenshots land in var/screenshots/ to look at."""

import datetime

import pytest
from django.utils import timezone

from hearth.mentorship.models import Mentorship
from hearth.mentorship.services import (
    contact_log,
    meeting_schedule,
    mentor_share_grant,
    request_create,
    supervision_note_save,
)
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for

from .helpers import active_mentorship

pytestmark = pytest.mark.browser


@pytest.fixture
def mentorship(world):
    mentorship = active_mentorship(world)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=timezone.now() - datetime.timedelta(days=10))
    contact_log(
        actor=world.mentor,
        mentorship=mentorship,
        happened_at=timezone.now() - datetime.timedelta(days=2),
        channel="call",
        minutes=25,
        how_it_went="good",
        note="Talked about the weekend plan.",
    )
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(hour=23, minute=30, second=0, microsecond=0)
    meeting_schedule(
        actor=world.mentor, mentorship=mentorship, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45)
    )
    mentor_share_grant(
        actor=world.participant,
        mentorship=mentorship,
        categories=["checkins"],
        purpose="So my mentor knows how I am doing",
        expires_at=timezone.now() + datetime.timedelta(days=60),
        signature="Pat Participant",
    )
    supervision_note_save(
        actor=world.clinician,
        profile=world.mentor.mentor_profile,
        month=timezone.localdate(),
        body="Calls each mentee weekly and logs every contact.\nTalked about keeping evenings free.",
        version=0,
    )
    request_create(
        actor=world.other_participant,
        participant=world.other_participant,
        program=world.program,
        languages=["es"],
        lived_experience=["parent"],
        availability=[[1, 17 * 60, 23 * 60]],
    )
    return mentorship


def test_mentors_day_at_phone_width_shows_the_next_meeting(world, mentorship, live_server, open_tab):
    tab = open_tab(viewport=PHONE, session=session_cookie_for(world.mentor, live_server.url))
    tab.visit("/mentorship/mentees/", "mentor's day")
    next_meeting = tab.page.locator(".mentee").first.inner_text()
    assert "Next meeting" in next_meeting and "none planned" not in next_meeting
    tab.screenshot("mentorship-mentor-day-phone")
    tab.visit(f"/mentorship/{mentorship.pk}/", "one mentorship")
    assert "Daily check-ins" in tab.page.locator("#shared-heading").locator("..").inner_text()
    tab.screenshot("mentorship-detail-mentor-phone")


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_supervision_view_with_a_note(world, mentorship, live_server, open_tab, size, viewport):
    tab = open_tab(viewport=viewport, session=session_cookie_for(world.clinician, live_server.url))
    tab.visit("/mentorship/supervision/", "supervision")
    assert "Calls each mentee weekly" in tab.page.content()
    tab.screenshot(f"mentorship-supervision-{size}")
    tab.visit("/mentorship/requests/", "requests")
    assert "speaks Spanish" in tab.page.content()
    tab.screenshot(f"mentorship-requests-{size}")
