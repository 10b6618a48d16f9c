"""A personal goal linked by the clinician to a goal of the person's treatment plan, shown on both
sides: the participant's goal pages and the plan page. Only the care team links; a stale or made-up
choice is a clear message that changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.plans.services import plan_save
from hearth.toolkit.models import Goal
from hearth.toolkit.services import goal_create, goal_plan_link

PLAN_GOALS = "1. Stay sober through the holidays\n- Rebuild trust with my sister\n\n* Sleep 7 hours"


@pytest.fixture
def plan_version(world):
    return plan_save(
        actor=world.clinician,
        person=world.participant,
        program=world.program,
        problems="Alcohol use; isolation",
        goals=PLAN_GOALS,
        next_review_on=datetime.date.today() + datetime.timedelta(days=30),
    )


@pytest.fixture
def goal(world):
    return goal_create(actor=world.participant, title="Call my sister on Sundays", steps=["Pick a time", "Call"])


def test_clinician_links_a_goal_and_both_sides_show_it(world, plan_version, goal, client_for):
    plan = plan_version.plan
    clinician = client_for(world.clinician)
    page = clinician.get(reverse("toolkit:person", args=[world.participant.pk])).content.decode()
    # The plan's goals without the bullets and numbers typed in front.
    for text in ("Stay sober through the holidays", "Rebuild trust with my sister", "Sleep 7 hours"):
        assert f"{world.program.name}: {text}</option>" in page
    value = f"{plan.pk}:{plan_version.number}:1"
    response = clinician.post(reverse("toolkit:goal_link", args=[world.participant.pk, goal.pk]), {"plan_goal": value})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.plan_id, goal.plan_goal, goal.linked_by) == (plan.pk, "Rebuild trust with my sister", world.clinician)
    assert AuditEntry.objects.filter(action="toolkit.goal.linked", subject=world.participant).exists()

    participant = client_for(world.participant)
    detail = participant.get(reverse("toolkit:goal_detail", args=[goal.pk])).content.decode()
    assert "linked this goal to your treatment plan goal “Rebuild trust with my sister”" in detail
    assert (
        "Part of your plan goal “Rebuild trust with my sister”"
        in participant.get(reverse("toolkit:goal_list")).content.decode()
    )
    own_plan = participant.get(reverse("plans:plan", args=[world.participant.pk])).content.decode()
    assert "Your own goals that work toward this plan" in own_plan and "Call my sister on Sundays" in own_plan
    # client_for signs the one test client in as someone else: sign the clinician back in.
    clinician = client_for(world.clinician)
    staff_plan = clinician.get(reverse("plans:plan", args=[world.participant.pk])).content.decode()
    assert "The person's own goals linked to this plan" in staff_plan
    assert "Call my sister on Sundays" in staff_plan and "toward “Rebuild trust with my sister”" in staff_plan

    clinician.post(reverse("toolkit:goal_link", args=[world.participant.pk, goal.pk]), {"plan_goal": ""})
    goal.refresh_from_db()
    assert goal.plan_id is None and goal.plan_goal == ""


def test_plan_page_shows_personal_goals_only_to_who_may_see_progress(world, plan_version, goal, client_for):
    goal_plan_link(actor=world.clinician, goal=goal, plan_id=plan_version.plan_id, version=plan_version.number, line=0)
    # Family holding a consent to the plan but not to progress: the plan, without the personal goals.
    from hearth.plans.selectors import plan_goal_links

    assert plan_goal_links(viewer=world.family_without, person=world.participant, plan_ids=[plan_version.plan_id]) == {}
    links = plan_goal_links(viewer=world.clinician, person=world.participant, plan_ids=[plan_version.plan_id])
    assert links[plan_version.plan_id][0]["title"] == "Call my sister on Sundays"


@pytest.mark.parametrize("value", ["999:1:0", "abc", "1:2", "1:1:99999999999999", ":::"])
def test_made_up_or_stale_choices_change_nothing(world, plan_version, goal, client_for, value):
    client = client_for(world.clinician)
    url = reverse("toolkit:goal_link", args=[world.participant.pk, goal.pk])
    response = client.post(url, {"plan_goal": value}, follow=True)
    assert response.status_code == 200
    assert "Choose a goal from this person" in response.content.decode()
    goal.refresh_from_db()
    assert goal.plan_id is None and goal.plan_goal == ""


def test_a_plan_changed_since_the_page_was_opened_is_refused(world, plan_version, goal):
    plan_save(
        actor=world.clinician,
        person=world.participant,
        program=world.program,
        problems="Alcohol use",
        goals="Find a job",
        next_review_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as error:
        goal_plan_link(
            actor=world.clinician, goal=goal, plan_id=plan_version.plan_id, version=plan_version.number, line=1
        )
    assert "changed" in error.value.message_dict["plan_goal"][0]
    assert Goal.objects.get(pk=goal.pk).plan_id is None


def test_only_the_care_team_links(world, plan_version, goal, client_for):
    for actor in (world.other_clinician, world.participant, world.mentor, world.family_with_consent):
        with pytest.raises(PermissionDenied):
            goal_plan_link(actor=actor, goal=goal, plan_id=plan_version.plan_id, version=plan_version.number, line=0)
    value = f"{plan_version.plan_id}:{plan_version.number}:0"
    url = reverse("toolkit:goal_link", args=[world.participant.pk, goal.pk])
    assert client_for(world.other_clinician).post(url, {"plan_goal": value}).status_code == 404
    assert Goal.objects.get(pk=goal.pk).plan_id is None
