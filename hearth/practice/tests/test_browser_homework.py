""" "Practise this before Friday" as toolkit homework, in Chromium: the clinician gives a scene on
the practice page and links a personal goal to the plan; on a phone the participant sees what and
by when in their notifications, finds it in their homework, plays it to a good ending and the
homework is done. The check-in offers the tools as coping actions. axe and CSP are checked on every
page; screenshots land in var/screenshots/ to look at."""

import datetime

import pytest

from hearth.checkins.services import local_today
from hearth.plans.services import plan_save
from hearth.tests.browser.conftest import DESKTOP, PHONE, outside_event_loop, session_cookie_for
from hearth.toolkit.models import Assignment, Goal
from hearth.toolkit.services import goal_create, thought_record_create

pytestmark = pytest.mark.browser


@pytest.fixture
def sessions(world, scenes, live_server) -> dict:
    plan_save(
        actor=world.clinician,
        person=world.participant,
        program=world.program,
        problems="Alcohol use; isolation after a move",
        goals="1. Stay alcohol-free\n2. Rebuild friendships that support recovery",
        next_review_on=local_today(world.clinician) + datetime.timedelta(days=30),
    )
    goal_create(actor=world.participant, title="Make one sober plan with a friend", steps=["Pick a friend", "Ask"])
    thought_record_create(
        actor=world.participant, situation="Ray texted", thought="I'll never fit in", feeling="Lonely, 6"
    )
    return {
        "participant": session_cookie_for(world.participant, live_server.url),
        "clinician": session_cookie_for(world.clinician, live_server.url),
    }


def test_scene_homework_given_played_and_done_and_goal_linked(world, scenes, sessions, open_tab):
    staff = open_tab(viewport=DESKTOP, session=sessions["clinician"])
    page = staff.page
    staff.visit(f"/people/{world.participant.pk}/practice/", "person practice")
    due = local_today(world.clinician) + datetime.timedelta(days=3)
    page.select_option("select[name=scene]", label="An old friend calls with a plan")
    page.fill("input[name=due_on]", due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Assign").click()
    staff.check("assigned")
    assert page.get_by_text("An old friend calls with a plan").first.is_visible()
    staff.screenshot("practice-homework-assigned-desktop")

    staff.visit(f"/people/{world.participant.pk}/toolkit/", "person toolkit")
    page.select_option("select[name=plan_goal]", label="Evening IOP: Rebuild friendships that support recovery")
    with page.expect_navigation():
        page.locator("form.inline-form").get_by_role("button", name="Save").click()
    staff.check("goal linked")
    assert page.get_by_text("Linked to the plan goal “Rebuild friendships that support recovery”").is_visible()
    staff.screenshot("toolkit-goal-linked-desktop")

    phone = open_tab(viewport=PHONE, session=sessions["participant"])
    p = phone.page
    phone.visit("/notifications/", "notifications")
    assert p.get_by_text("“An old friend calls with a plan”, by").is_visible()
    phone.screenshot("homework-notification-phone")
    phone.visit("/toolkit/homework/", "homework list")
    with p.expect_navigation():
        p.get_by_role("link", name="An old friend calls with a plan").click()
    phone.check("scene homework")
    phone.screenshot("scene-homework-phone")
    with p.expect_navigation():
        p.get_by_role("link", name="Go to practice").click()
    with p.expect_navigation():
        p.locator("#practice-assigned").locator("..").get_by_role("button", name="Start this scene").click()
    for label in ("No, Ray. I'm not coming.", "Want to get breakfast tomorrow?", "Nine at Lupe's"):
        with p.expect_navigation():
            p.get_by_role("button", name=label).click()
    phone.check("ending")
    assert p.locator("#ending").is_visible()
    with outside_event_loop():
        homework = Assignment.objects.get(person=world.participant, activity_kind="practice.scene")
        assert homework.completed_at is not None
    phone.visit(f"/toolkit/homework/{homework.pk}/", "scene homework done")
    assert p.get_by_text("You practised it on").is_visible()
    phone.screenshot("scene-homework-done-phone")

    phone.visit("/toolkit/goals/", "goals")
    assert p.get_by_text("Part of your plan goal “Rebuild friendships that support recovery”").is_visible()
    phone.visit(f"/people/{world.participant.pk}/plan/", "own plan")
    assert p.get_by_text("Make one sober plan with a friend").is_visible()
    phone.screenshot("plan-linked-goal-phone")

    phone.visit("/checkin/", "check-in")
    assert p.get_by_text("What helped today?").is_visible()
    assert p.locator("input[name=coping][value='toolkit.thought-record']").is_checked()
    phone.screenshot("checkin-coping-phone")
    with outside_event_loop():
        assert Goal.objects.get(person=world.participant).plan_goal == "Rebuild friendships that support recovery"
