"""Homework end to end in Chromium: a clinician signs in with password and authenticator code and
gives a worksheet, the participant hands it in on a phone-sized page, the clinician comments and
the participant sees it. Plus the counter after a lapse and the offline tools, at phone width."""

import datetime
import importlib
import time

import pytest
from allauth.mfa import app_settings as mfa_settings

from hearth.checkins.services import local_today
from hearth.tests.factories import Role, UserFactory, enrol_mfa, grant_role
from hearth.toolkit.models import Assignment
from hearth.toolkit.services import counter_start, lapse_record

from .conftest import DESKTOP, PHONE, outside_event_loop, session_cookie_for, sign_in_with_password, totp_code

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def starter_library(db):
    """The live server's database is flushed between tests, data migrations included: put the
    starter library back (the migration's loader is idempotent)."""
    from django.apps import apps

    importlib.import_module("hearth.toolkit.migrations.0002_starter_resources").load(apps, None)


@pytest.fixture
def team(world, live_server):
    clinician = UserFactory(display_name="Robin (clinician)")
    grant_role(clinician, world.program, Role.CLINICIAN)
    secret = enrol_mfa(clinician)
    today = local_today(world.participant)
    counter_start(actor=world.participant, start_date=today - datetime.timedelta(days=50))
    lapse_record(actor=world.participant, local_date=today - datetime.timedelta(days=20), note="A hard weekend")
    return {
        "clinician": clinician,
        "secret": secret,
        "participant": session_cookie_for(world.participant, live_server.url),
    }


def _shot(tab, name: str) -> None:
    # Filling a form scrolls the page; the shell check wants the crisis button in view.
    tab.page.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(name)


def _sign_in_with_code(tab, user, secret):
    sign_in_with_password(tab, user.email)
    assert "/accounts/2fa/authenticate/" in tab.page.url, tab.page.url
    tab.page.fill("input[name=code]", totp_code(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
    with tab.page.expect_navigation():
        tab.page.click("main form button[type=submit]")
    assert tab.page.url == tab.url("/dashboard/"), tab.page.url


def test_assign_complete_on_a_phone_and_review(world, team, open_tab):
    clinician = open_tab(viewport=DESKTOP)
    _sign_in_with_code(clinician, team["clinician"], team["secret"])
    clinician.visit(f"/people/{world.participant.pk}/toolkit/", "person toolkit")
    page = clinician.page
    with page.expect_navigation():
        page.click("text=Give homework")
    page.select_option("#id_resource", label="My plan for high-risk moments (English)")
    assert page.input_value("#id_person") == str(world.participant.pk)
    page.fill("#id_instructions", "Bring this to group on Thursday.")
    _shot(clinician, "toolkit-assign-desktop")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with outside_event_loop():
        assignment = Assignment.objects.get(person=world.participant)

    phone = open_tab(viewport=PHONE, session=team["participant"])
    phone.visit("/dashboard/", "participant home")
    assert "My plan for high-risk moments" in phone.page.inner_text("main")
    _shot(phone, "toolkit-dashboard-phone")
    with phone.page.expect_navigation():
        phone.page.click("main a:has-text('My plan for high-risk moments')")
    assert "Bring this to group on Thursday." in phone.page.inner_text("main")
    phone.page.fill("#id_answer_0", "Friday nights and the bar near work.")
    phone.page.fill("#id_answer_1", "I stop texting people back.")
    phone.page.fill("#id_answer_2", "Go to the evening meeting and call my sister.")
    _shot(phone, "toolkit-homework-phone")
    with phone.page.expect_navigation():
        phone.page.click("button.hand-in")
    assert "Handed in" in phone.page.inner_text("main")
    _shot(phone, "toolkit-homework-handed-in-phone")

    clinician.visit(f"/homework/{assignment.pk}/review/", "review")
    assert "call my sister" in page.inner_text("main")
    page.fill("#id_comment", "A clear plan. Let's practise the call in group.")
    _shot(clinician, "toolkit-review-desktop")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    phone.visit(f"/toolkit/homework/{assignment.pk}/", "homework with comment")
    assert "Let's practise the call in group." in phone.page.inner_text("main")
    _shot(phone, "toolkit-homework-reviewed-phone")


def test_counter_after_a_lapse_and_tools_at_phone_width(world, team, open_tab):
    phone = open_tab(viewport=PHONE, session=team["participant"])
    phone.visit("/toolkit/days/", "counter")
    text = phone.page.inner_text("main")
    assert "Total sober days" in text and "Longest run" in text
    _shot(phone, "toolkit-counter-phone")
    phone.visit("/toolkit/days/lapse/", "lapse")
    assert "Talk to someone on your team" in phone.page.inner_text("main")
    _shot(phone, "toolkit-lapse-phone")

    phone.visit("/toolkit/tools/", "tools")
    page = phone.page
    page.context.set_offline(True)  # once loaded, the tools need no server
    page.click("#halt label:has-text('Lonely')")
    assert page.locator("[data-tip=lonely]").is_visible()
    page.click("#grounding [data-next]")
    assert page.locator("#grounding [data-steps] li").nth(1).is_visible()
    assert not page.locator("#urge-surfing [data-stop]").is_visible()
    page.click("#urge-surfing [data-start]")
    assert page.locator("#urge-surfing [data-stop]").is_visible()
    assert not page.locator("#urge-surfing [data-start]").is_visible()
    page.wait_for_timeout(1100)
    assert page.locator("#urge-surfing [data-timer]").inner_text() in ("9:59", "9:58")
    assert page.locator("#urge-surfing [data-prompt]").inner_text() != ""
    page.click("#box-breathing [data-start]")
    assert page.locator("#box-breathing [data-phase]").inner_text() == "Breathe in"
    page.context.set_offline(False)
    _shot(phone, "toolkit-tools-phone")


def test_every_toolkit_page_passes_axe_at_phone_width(world, team, open_tab, live_server):
    with outside_event_loop():
        from hearth.toolkit.models import Resource
        from hearth.toolkit.services import goal_create, journal_entry_create, thought_record_create

        goal = goal_create(actor=world.participant, title="Walk after dinner", steps=["Shoes by the door", "Walk"])
        journal_entry_create(actor=world.participant, body="A calm evening.")
        thought_record_create(actor=world.participant, situation="Work", thought="I can't", feeling="Tense 6")
        resource = Resource.objects.get(program=None, slug="halt", language="es")
        staff = session_cookie_for(world.clinician, live_server.url)
    phone = open_tab(viewport=PHONE, session=team["participant"])
    for path in (
        "/toolkit/",
        "/toolkit/goals/",
        f"/toolkit/goals/{goal.pk}/",
        "/toolkit/homework/",
        "/toolkit/thoughts/",
        "/toolkit/journal/",
        "/library/",
        f"/library/{resource.pk}/",
    ):
        phone.visit(path, path)
    phone.visit(f"/toolkit/goals/{goal.pk}/", "goal")
    with phone.page.expect_navigation():
        phone.page.click("button.step-button >> nth=0")
    with phone.page.expect_navigation():
        phone.page.click("button.step-button >> nth=1")
    assert "Goal reached!" in phone.page.inner_text("main")
    _shot(phone, "toolkit-goal-done-phone")
    phone.visit("/library/?language=es", "library es")
    _shot(phone, "toolkit-library-es-phone")
    desk = open_tab(viewport=DESKTOP, session=staff)
    for path in ("/library/", "/homework/assign/", f"/people/{world.participant.pk}/toolkit/"):
        desk.visit(path, path)
    _shot(desk, "toolkit-person-desktop")


def test_counter_and_tools_in_spanish(world, team, open_tab):
    phone = open_tab(viewport=PHONE, session=team["participant"])
    phone.visit("/toolkit/days/", "counter")
    phone.page.select_option("#language-select", "es")
    with phone.page.expect_navigation():
        phone.page.click(".language-switch button[type=submit]")
    text = phone.page.inner_text("main")
    assert "Días sin consumo en total" in text and "Volví a consumir" in text
    _shot(phone, "toolkit-counter-phone-es")
    phone.visit("/toolkit/tools/", "tools es")
    phone.page.click("#box-breathing [data-start]")
    assert phone.page.locator("#box-breathing [data-phase]").inner_text() == "Inhala"
    _shot(phone, "toolkit-tools-phone-es")
