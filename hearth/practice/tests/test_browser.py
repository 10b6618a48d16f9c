"""A scene played to a good ending at phone width, a typed answer with the coach's checklist,
and the clinician's view: axe finds nothing serious, no CSP errors, nothing scrolls sideways;
screenshots land in var/screenshots/ to look at."""

import datetime

import pytest
from django.utils import timezone

from hearth.practice.services import assignment_create
from hearth.tests.browser.conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def sessions(world, scenes, live_server) -> dict:
    assignment_create(
        actor=world.clinician,
        person=world.participant,
        scene=scenes["work-party"],
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    return {
        "participant": session_cookie_for(world.participant, live_server.url),
        "clinician": session_cookie_for(world.clinician, live_server.url),
    }


def test_participant_plays_the_work_party_to_a_good_ending_on_a_phone(world, sessions, open_tab):
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page

    tab.visit("/dashboard/", "dashboard")
    assert page.locator("#practice-dashboard").is_visible()
    tab.visit("/practice/", "practice home")
    tab.screenshot("practice-home-phone")
    with page.expect_navigation():
        page.locator("#practice-assigned").locator("..").get_by_role("button", name="Start this scene").click()
    tab.check("first step")
    assert page.get_by_text("I got you a glass of wine").is_visible()
    tab.screenshot("practice-step-1-phone")

    page.fill("textarea[name=answer]", "No thanks, I'll grab a soda instead.")
    with page.expect_navigation():
        page.get_by_role("button", name="Check my answer").click()
    tab.check("coach checklist")
    coach = page.locator("#coach")
    assert coach.get_by_text("Saying no first, without hesitation").is_visible()
    assert coach.get_by_text("This is not a score").is_visible()
    tab.screenshot("practice-coach-checklist-phone")

    with page.expect_navigation():
        page.get_by_role("button", name="(Look at Dana, stand tall)").click()
    tab.check("second step")
    assert page.get_by_text("Mark brought tequila shots").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="how did your daughter").click()
    tab.check("ending")
    ending = page.locator("#ending")
    assert ending.get_by_role("heading", name="You made it through").is_visible()
    assert ending.get_by_text("Changing the subject").is_visible()
    assert ending.get_by_role("button", name="Play again").is_visible()
    tab.screenshot("practice-good-ending-phone")

    tab.visit("/practice/history/", "history")
    assert page.get_by_text("Good ending").first.is_visible()
    tab.screenshot("practice-history-phone")


def test_clinician_sees_the_persons_practice_and_skills(world, scenes, sessions, open_tab):
    from hearth.practice.services import run_choose, run_start

    run = run_start(actor=world.participant, scene=scenes["old-friend-call"])
    for choice in ("call-no-first", "why-alternative", "breakfast-yes"):
        run = run_choose(actor=world.participant, run=run, choice_id=choice)
    tab = open_tab(viewport=PHONE, session=sessions["clinician"])
    tab.visit(f"/people/{world.participant.pk}/practice/", "person practice")
    assert tab.page.get_by_text("Suggesting something else to do").first.is_visible()
    tab.screenshot("practice-clinician-person-phone")
    tab.visit("/practice/library/", "scene library")
    tab.screenshot("practice-library-phone")


def test_spanish_speaking_participant_plays_in_spanish(world, scenes, live_server, open_tab):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    tab = open_tab(viewport=PHONE, locale="es-US", session=session_cookie_for(world.participant, live_server.url))
    page = tab.page
    tab.visit("/practice/", "practice home (es)")
    with page.expect_navigation():
        page.get_by_role("button", name="Jugar: Cena familiar, y sale el pasado").click()
    tab.check("first step (es)")
    assert page.get_by_text("Un brindis").is_visible()
    assert page.get_by_role("heading", name="¿Qué dices?").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Con permiso, un momento").click()
    tab.check("second step (es)")
    assert page.locator(".last-step").get_by_text("Tomarte un descanso antes de responder").is_visible()
    tab.screenshot("practice-step-2-es-phone")
