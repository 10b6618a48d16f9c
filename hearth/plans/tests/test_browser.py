"""The treatment plan in Chromium (participant on a phone, clinician on a desktop): axe, CSP and
layout checks; screenshots land in var/screenshots/ to look at."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hearth.plans.services import plan_save
from hearth.plans.tests.test_plans import _series
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(world):
    series = _series(world.program)
    review = timezone.localdate() + datetime.timedelta(days=30)
    common = {
        "actor": world.clinician,
        "person": world.participant,
        "program": world.program,
        "problems": "Drinking most evenings\nFeeling cut off from friends",
        "objectives": "Attend 3 groups a week\nCall a peer every day",
        "interventions": "CBT group\nRelapse prevention\nFamily session monthly",
        "groups": [series],
        "next_review_on": review,
    }
    plan_save(goals="No alcohol for 30 days", weekly_hours_target=Decimal("9"), **common)
    return plan_save(
        goals="No alcohol for 60 days\nRebuild two friendships", weekly_hours_target=Decimal("10.5"), **common
    )


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_treatment_plan_pages(world, plan, live_server, open_tab, size, viewport):
    tab = open_tab(viewport=viewport, session=session_cookie_for(world.participant, live_server.url))
    tab.visit("/plan/", "my plan")
    tab.screenshot(f"plan-participant-{size}")
    tab.visit(f"/people/{world.participant.pk}/plan/{world.program.pk}/history/", "history")
    tab.screenshot(f"plan-history-{size}")
    tab = open_tab(viewport=viewport, session=session_cookie_for(world.clinician, live_server.url))
    tab.visit(f"/people/{world.participant.pk}/plan/{world.program.pk}/edit/", "edit")
    tab.screenshot(f"plan-edit-{size}")
