"""Calendar, attendance and hours-report pages in Chromium: axe finds nothing serious, no CSP
errors, nothing scrolls sideways on a phone; screenshots land in var/screenshots/ to look at."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from hearth.scheduling.demo import seed_demo_schedule
from hearth.scheduling.models import Occurrence, SessionKind
from hearth.scheduling.services import occurrence_schedule
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for
from hearth.tests.factories import CohortFactory, Role, UserFactory, grant_role

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 3, 11, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def schedule(world):
    cohort_b = CohortFactory(program=world.program, name="Cohort B")
    for index in range(4):
        grant_role(UserFactory(display_name=f"Peer {index}"), world.program, Role.PARTICIPANT, cohort=world.cohort)
    grant_role(UserFactory(display_name="Peer B"), world.program, Role.PARTICIPANT, cohort=cohort_b)
    world.participant.time_zone = "America/Los_Angeles"
    world.participant.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        seed_demo_schedule(
            admin=world.admin,
            program=world.program,
            cohorts=[world.cohort, cohort_b],
            clinicians=[world.clinician],
            participants={"p": world.participant, "o": world.other_participant},
        )
    # Something to reply to in the real next two weeks (the live server runs on the real clock).
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    occurrence_schedule(
        actor=world.admin,
        program=world.program,
        kind=SessionKind.MOVIE_SCREENING,
        title="Movie night",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        capacity=10,
        cohort=world.cohort,
    )
    return Occurrence.objects.filter(cohort__isnull=True, series__cohort=world.cohort).order_by("starts_at").first()


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_scheduling_pages(world, schedule, live_server, open_tab, size, viewport):
    participant = session_cookie_for(world.participant, live_server.url)
    clinician = session_cookie_for(world.clinician, live_server.url)
    tab = open_tab(viewport=viewport, session=participant)
    tab.visit("/calendar/week/?start=2026-03-09", "week")
    tab.screenshot(f"scheduling-week-{size}")
    tab.visit("/calendar/", "agenda")
    # One tap replies; htmx swaps the line in place (no page load, no inline script).
    tab.page.get_by_role("button", name="I'm going").first.click()
    tab.page.get_by_role("button", name="I can't make it").first.wait_for()
    tab.check("agenda after replying")
    tab.screenshot(f"scheduling-agenda-{size}")
    tab.page.get_by_role("button", name="I can't make it").first.click()
    tab.page.get_by_role("button", name="I'm going").first.wait_for()
    tab.visit(f"/sessions/{schedule.pk}/", "session")
    tab.screenshot(f"scheduling-session-{size}")
    tab.visit("/calendar/feed/", "feed")

    tab = open_tab(viewport=viewport, session=clinician)
    tab.visit(f"/sessions/{schedule.pk}/attendance/", "attendance")
    tab.screenshot(f"scheduling-attendance-{size}")
    tab.visit("/schedule/hours/?week=2026-03-02", "hours")
    tab.screenshot(f"scheduling-hours-{size}")
    tab.visit("/schedule/series/new/", "series form")
    tab.screenshot(f"scheduling-series-new-{size}")
    tab.visit(f"/sessions/{schedule.pk}/notes/", "notes")
    tab.visit("/schedule/series/", "series list")
