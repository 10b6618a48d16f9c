"""End to end on the real ASGI stack (uvicorn: HTTP and websockets): a participant writes a crisis
message in the cohort chat; the message is delivered, the writer sees crisis resources and their
own safety plan one tap away, and the clinician's open page shows the urgent alert without a
reload, linking to the signal's page."""

from pathlib import Path

import pytest
from django.conf import settings

from hearth.messaging.models import Message
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.messaging.tests.test_browser import CHROMIUM, serious_axe_violations, signed_in_phones
from hearth.messaging.tests.test_live_server import ServerThread, cookie_for
from hearth.safety.models import SafetySignal
from hearth.safety.services import safety_plan_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
CRISIS = "honestly i have the pills saved up and im going to take them all tonight"


def test_a_crisis_message_alerts_the_clinician_live_and_shows_the_writer_their_plan(world, monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    group = cohort_conversation(world)
    safety_plan_save(
        actor=world.participant,
        person=world.participant,
        based_on=0,
        sections={"warning_signs": "Not sleeping", "reasons_for_living": "My little sister"},
        contacts=[{"name": "Ana", "phone": "+1 312 555 0117"}],
    )
    cookies = {"writer": cookie_for(world.participant), "clinician": cookie_for(world.clinician)}
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with ServerThread() as server, sync_playwright() as playwright:
        base = f"http://127.0.0.1:{server.port}"
        browser, pages = signed_in_phones(playwright, base, cookies)
        writer, clinician = pages["writer"], pages["clinician"]
        clinician.goto(f"{base}/dashboard/")
        clinician.wait_for_function("() => document.querySelector('[data-urgent-alerts]') !== null")
        writer.goto(f"{base}/messages/{group.pk}/")
        expect(writer.locator("[data-chat][data-live]")).to_be_attached()
        clinician.wait_for_timeout(500)  # the clinician's badge socket is open before the message

        writer.get_by_role("textbox", name="Message").fill(CRISIS)
        writer.get_by_role("button", name="Send").click()

        # Delivered, never blocked; the writer sees crisis resources beside the chat.
        expect(writer.locator(".chat-message.mine .chat-body").last).to_have_text(CRISIS)
        expect(writer.locator("[data-chat-crisis]")).to_be_visible()
        # The clinician's page, untouched since it loaded, now shows the urgent alert.
        alert = clinician.locator(".urgent-alert a")
        expect(alert).to_be_visible(timeout=15000)
        signal = SafetySignal.objects.get(person=world.participant, source="messaging.message")
        assert signal.severity == "urgent" and signal.next_escalation_at is not None
        assert alert.get_attribute("href") == f"/signals/{signal.pk}/"
        assert "pills" not in alert.inner_text()  # generic words only, never the message
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        clinician.screenshot(path=str(SCREENSHOTS / "live-urgent-alert-clinician-phone.png"))
        assert serious_axe_violations(clinician) == []

        # The writer's "Get help now" panel opens with their own plan first.
        writer.locator(".crisis-button").first.click()
        plan_link = writer.get_by_role("link", name="Open my safety plan")
        expect(plan_link).to_be_visible()
        writer.screenshot(path=str(SCREENSHOTS / "live-crisis-panel-writer-phone.png"))
        plan_link.click()
        expect(writer.locator("body")).to_contain_text("My little sister")
        browser.close()
    # Stored once (bodies are encrypted at rest, so compared after reading).
    assert [m.body for m in Message.objects.filter(conversation=group)].count(CRISIS) == 1
