"""The check-in at phone width, the clinician's dashboard and the progress plots in Chromium:
axe-clean, no CSP errors, screenshots in var/screenshots/ for people to look at."""

import datetime

import pytest

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.checkins.services import local_today
from hearth.outreach.models import OutreachTask, Rule

from .conftest import DESKTOP, PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def history(world):
    """Three weeks of check-ins (with gaps), two PHQ-9s and an open task for the world's participant."""
    today = local_today(world.participant)
    for back in range(1, 22):
        if back % 5 == 0:
            continue
        CheckIn.objects.create(
            person=world.participant,
            local_date=today - datetime.timedelta(days=back),
            mood=4 + back % 5,
            craving=max(0, 8 - back % 7),
            sleep_hours=6 + back % 3,
            sleep_quality="fair",
            connections=["peer"] if back % 3 else ["no_one"],
        )
    for back, total, answers in ((20, 14, [2, 2, 2, 2, 2, 2, 1, 1, 0]), (6, 8, [1, 1, 1, 1, 1, 1, 1, 1, 0])):
        MeasureResponse.objects.create(
            person=world.participant,
            measure="phq9",
            instance_date=today - datetime.timedelta(days=back),
            answers=answers,
            total=total,
            band="",
            level="watch" if total >= 10 else "ok",
        )
    MeasureResponse.objects.filter(instance_date=today - datetime.timedelta(days=6)).update(
        submitted_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=6)
    )
    OutreachTask.objects.create(
        person=world.participant,
        program=world.program,
        rule=Rule.HIGH_CRAVING,
        urgency=1,
        owner=world.clinician,
        due_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=3),
        evidence={
            "key": "k",
            "facts": {"day": (today - datetime.timedelta(days=1)).isoformat(), "craving": 8, "threshold": 8},
        },
    )
    return world


@pytest.fixture
def sessions(history, live_server) -> dict:
    return {
        "participant": session_cookie_for(history.participant, live_server.url),
        "clinician": session_cookie_for(history.clinician, live_server.url),
    }


def test_checkin_at_phone_width_then_progress_and_dashboard(history, sessions, open_tab):
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    tab.visit("/checkin/", "check-in")
    tab.screenshot("checkin-phone")
    page = tab.page
    page.click("label[for=id_mood_6]")
    page.click("label[for=id_craving_3]")
    page.fill("#id_sleep_hours", "7.5")
    page.click("label[for=id_sleep_quality_2]")
    page.click("label[for=id_connections_0]")
    with page.expect_navigation():
        page.click("button.checkin-submit")
    assert "/progress/" in page.url
    assert CheckIn.objects.get(person=history.participant, local_date=local_today(history.participant)).mood == 7
    tab.screenshot("progress-phone")
    assert page.locator("svg.chart").count() >= 4  # mood, craving, sleep, PHQ-9

    tab = open_tab(viewport=DESKTOP, session=sessions["participant"])
    tab.visit("/progress/", "progress")
    tab.screenshot("progress-desktop")

    tab = open_tab(viewport=DESKTOP, session=sessions["clinician"])
    tab.visit("/dashboard/", "dashboard")
    assert tab.page.locator("svg.spark").count() >= 2
    tab.screenshot("clinician-dashboard-desktop")
    tab.visit(f"/people/{history.participant.pk}/checkins/", "person check-ins")
    tab.screenshot("person-checkins-desktop")
    tab = open_tab(viewport=PHONE, session=sessions["clinician"])
    tab.visit("/dashboard/", "dashboard")
    tab.screenshot("clinician-dashboard-phone")
