"""Intake on a phone in Chromium: axe finds nothing serious, no CSP errors, nothing scrolls
sideways; screenshots land in var/screenshots/ to look at."""

import pytest

from hearth.intake.services import intake_about_save, intake_packet_start, intake_screening_submit
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def packet(world):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    intake_screening_submit(actor=world.participant, packet=packet, measure_code="gad7", answers=[1] * 7)
    return packet


def test_intake_on_a_phone(world, packet, live_server, open_tab):
    tab = open_tab(viewport=PHONE, session=session_cookie_for(world.participant, live_server.url))
    tab.visit("/intake/", "intake home")
    tab.visit(f"/intake/{packet.pk}/", "packet")
    tab.screenshot("intake-packet-phone")
    tab.visit(f"/intake/{packet.pk}/about/", "about")
    tab.screenshot("intake-about-phone")
    tab.visit(f"/intake/{packet.pk}/questionnaire/phq9/", "phq9")
    tab.screenshot("intake-phq9-phone")
    tab.visit(f"/intake/{packet.pk}/questionnaire/auditc/", "auditc")
    tab.screenshot("intake-auditc-phone")
    tab.visit(f"/intake/{packet.pk}/sign/group_rules/", "group rules")
    tab.screenshot("intake-sign-phone")


def test_clinician_review_page(world, packet, live_server, open_tab):
    intake_about_save(
        actor=world.participant,
        packet=packet,
        date_of_birth=None,
        phone="",
        emergency_contact_name="Sam",
        emergency_contact_phone="+1 312 555 0100",
        language="en",
        time_zone="America/Chicago",
        accessibility_needs="Captions",
        sex_at_birth="",
        gender_identity="",
        availability=["weekday_evening"],
        availability_note="",
    )
    tab = open_tab(viewport=DESKTOP, session=session_cookie_for(world.clinician, live_server.url))
    tab.visit(f"/intake/review/{packet.pk}/", "review")
    tab.screenshot("intake-review-desktop")
    tab.visit("/intake/review/", "review list")
