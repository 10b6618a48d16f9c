"""The safety plan at phone width: the participant's crisis page and "Get help now" panel lead
with their plan; the clinician's signal timeline. Axe-clean, no CSP errors, screenshots in
var/screenshots/ for people to look at."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from hearth.safety.models import AcknowledgeAction
from hearth.safety.services import (
    safety_plan_review,
    safety_plan_save,
    safety_signal_acknowledge,
    safety_signal_raise,
    signal_escalate,
)

from .conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_and_signal(world):
    version = safety_plan_save(
        actor=world.clinician,
        person=world.participant,
        based_on=0,
        sections={
            "warning_signs": "Not sleeping for two nights\nSkipping group",
            "coping_strategies": "Walk around the block with music on\nCold water on my face, slow breaths",
            "distractions": "Coffee shop on 5th Street\nMy cousin Ana's place",
            "professionals": "Community mental health center: 312 555 0142",
            "environment": "Ana keeps my extra medication",
            "reasons_for_living": "My little sister, Mia",
        },
        contacts=[{"name": "Ana (cousin)", "phone": "+1 312 555 0117"}, {"name": "Sam", "phone": "312 555 0180"}],
    )
    safety_plan_review(actor=world.clinician, person=world.participant, number=version.number)
    # Raised 20 minutes ago and one step up the ladder since: the timeline shows every kind of event.
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=20), tick=False):
        signal = safety_signal_raise(
            person=world.participant, source="messaging.message", severity="urgent", evidence="Message in chat"
        )
    signal_escalate(signal_id=signal.pk, now=signal.next_escalation_at)
    signal.refresh_from_db()
    return signal


@pytest.fixture
def sessions(world, live_server) -> dict:
    return {
        "participant": session_cookie_for(world.participant, live_server.url),
        "clinician": session_cookie_for(world.clinician, live_server.url),
    }


def test_participant_sees_their_plan_first_at_phone_width(plan_and_signal, sessions, open_tab):
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page

    tab.visit("/help/crisis/", "crisis page")
    main = page.locator("main")
    assert main.locator(".safety-plan").is_visible()
    text = main.inner_text()
    assert text.index("My little sister, Mia") < text.index("Call or text 988")
    assert main.locator("a[href='tel:+13125550117']").count() == 1
    assert main.locator("a[href='sms:+13125550117']").count() == 1
    tab.screenshot("safety-plan-crisis-phone")

    tab.visit(f"/safety/plans/{plan_and_signal.person_id}/", "plan page")
    tab.screenshot("safety-plan-phone")

    tab.visit("/dashboard/", "dashboard")
    page.click(".crisis-button")
    panel = page.locator(".crisis-panel")
    assert panel.locator("a", has_text="Open my safety plan").is_visible()
    assert panel.locator("a[href='tel:+13125550117']").is_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "crisis panel runs off the screen"
    tab.screenshot("safety-plan-crisis-panel-phone")
    with page.expect_navigation():
        panel.locator("a", has_text="Open my safety plan").click()
    assert page.locator(".safety-plan").is_visible()


def test_clinician_sees_the_signal_timeline(world, plan_and_signal, sessions, open_tab):
    from .conftest import outside_event_loop

    with outside_event_loop():
        safety_signal_acknowledge(
            actor=world.clinician,
            signal=plan_and_signal,
            action=AcknowledgeAction.REACHED_PERSON,
            note="Talked by phone; went over the plan together.",
        )
    tab = open_tab(viewport=PHONE, session=sessions["clinician"])
    tab.visit(f"/signals/{plan_and_signal.pk}/", "signal timeline")
    timeline = tab.page.locator(".timeline").inner_text()
    for words in ("Raised", "Care team alerted", "Escalated", "Acknowledged", "went over the plan"):
        assert words in timeline
    tab.screenshot("safety-signal-timeline-phone")
