"""Goals, homework and private records: bad input is refused with a clear error and changes
nothing; crisis words in what a person writes reach safety after commit."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.audit.models import AuditEntry
from hearth.safety.models import SafetySignal
from hearth.tests.factories import ProgramFactory, Role, UserFactory, grant_role
from hearth.toolkit.models import Assignment, Goal, GoalStep, JournalEntry, Resource, ThoughtRecord
from hearth.toolkit.services import (
    assignment_complete,
    assignment_create,
    assignment_review,
    goal_create,
    goal_step_toggle,
    journal_entry_create,
    record_share_set,
    thought_record_create,
)

TOMORROW = datetime.date.today() + datetime.timedelta(days=2)


@pytest.fixture
def resource(db):
    return Resource.objects.get(program=None, slug="riding-out-a-craving", language="en")


def test_starter_library_ships_in_english_and_spanish(db):
    assert Resource.objects.filter(program=None, language="en").count() == 4
    assert Resource.objects.filter(program=None, language="es").count() == 4
    assert Resource.objects.filter(program=None, kind="worksheet").count() == 2


def test_goal_with_steps_completes_and_celebrates_once(world):
    goal = goal_create(actor=world.participant, title="Sleep better", steps=["No screens after 10", "Walk", ""])
    steps = list(goal.steps.all())
    assert [s.text for s in steps] == ["No screens after 10", "Walk"]
    assert goal_step_toggle(actor=world.participant, step=steps[0]) is False
    assert goal_step_toggle(actor=world.participant, step=steps[1]) is True
    goal.refresh_from_db()
    assert goal.completed_at is not None
    # Unchecking a step re-opens the goal; it is not a failure, just honest.
    goal_step_toggle(actor=world.participant, step=steps[1])
    goal.refresh_from_db()
    assert goal.completed_at is None
    assert AuditEntry.objects.filter(action="toolkit.goal.completed").count() == 1


def test_goal_with_500_steps_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as error:
        goal_create(actor=world.participant, title="Everything", steps=[f"step {i}" for i in range(500)])
    assert "steps" in error.value.message_dict
    assert "20" in error.value.message_dict["steps"][0]
    assert not Goal.objects.exists() and not GoalStep.objects.exists()


def test_goal_bad_input(world):
    for kwargs in (
        {"title": "", "steps": ["a"]},
        {"title": "x", "steps": []},
        {"title": "x", "steps": ["a"], "target_date": datetime.date(2020, 1, 1)},
    ):
        with pytest.raises(ValidationError):
            goal_create(actor=world.participant, **kwargs)
    assert not Goal.objects.exists()


def test_only_participants_keep_goals_and_only_the_owner_checks_steps(world):
    with pytest.raises(PermissionDenied):
        goal_create(actor=world.clinician, title="x", steps=["a"])
    goal = goal_create(actor=world.participant, title="x", steps=["a"])
    with pytest.raises(PermissionDenied):
        goal_step_toggle(actor=world.other_participant, step=goal.steps.get())


def test_homework_assign_complete_review(world, resource, django_capture_on_commit_callbacks):
    [assignment] = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=TOMORROW, instructions="Try it"
    )
    answers = ["Last night after work", "Texting my sponsor", "Go for a walk"]
    with django_capture_on_commit_callbacks(execute=True):
        assignment_complete(actor=world.participant, assignment=assignment, answers=answers)
    assignment.refresh_from_db()
    assert assignment.answer_list == answers
    # Encrypted at rest: the database holds no answer in the clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM toolkit_assignment WHERE id = %s", [assignment.pk])
        raw = cursor.fetchone()[0]
    assert "sponsor" not in raw and json.dumps(answers) not in raw
    assignment_review(actor=world.clinician, assignment=assignment, comment="Great plan.")
    assignment.refresh_from_db()
    assert assignment.reviewed_by == world.clinician and assignment.review_comment == "Great plan."
    assert not SafetySignal.objects.filter(source="toolkit.homework").exists()


def test_homework_answers_on_an_item_not_assigned_to_you_are_refused(world, resource):
    [assignment] = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=TOMORROW
    )
    with pytest.raises(PermissionDenied):
        assignment_complete(actor=world.other_participant, assignment=assignment, answers=["a", "b", "c"])
    with pytest.raises(ValidationError):  # wrong number of answers
        assignment_complete(actor=world.participant, assignment=assignment, answers=["only one"])
    with pytest.raises(ValidationError):  # all empty
        assignment_complete(actor=world.participant, assignment=assignment, answers=["", " ", ""])
    assignment.refresh_from_db()
    assert assignment.completed_at is None and assignment.answers == ""


def test_homework_cannot_be_handed_in_twice_or_reviewed_before(world, resource):
    [assignment] = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=TOMORROW
    )
    with pytest.raises(ValidationError):
        assignment_review(actor=world.clinician, assignment=assignment, comment="Early")
    assignment_complete(actor=world.participant, assignment=assignment, answers=["a", "b", "c"])
    with pytest.raises(ValidationError):
        assignment_complete(actor=world.participant, assignment=assignment, answers=["x", "y", "z"])
    assignment.refresh_from_db()
    assert assignment.answer_list == ["a", "b", "c"]


def test_homework_for_a_cohort_and_refusals(world, resource):
    made = assignment_create(actor=world.clinician, resource=resource, cohort=world.cohort, due_date=TOMORROW)
    assert {a.person for a in made} == {world.participant, world.other_participant}
    with pytest.raises(PermissionDenied):
        assignment_create(actor=world.other_clinician, resource=resource, person=world.participant, due_date=TOMORROW)
    with pytest.raises(PermissionDenied):
        assignment_create(actor=world.other_clinician, resource=resource, cohort=world.cohort, due_date=TOMORROW)
    with pytest.raises(ValidationError):
        assignment_create(
            actor=world.clinician, resource=resource, person=world.participant, due_date=datetime.date(2020, 1, 1)
        )
    with pytest.raises(ValidationError):
        assignment_create(
            actor=world.clinician, resource=resource, person=world.participant, cohort=world.cohort, due_date=TOMORROW
        )
    other_resource = Resource.objects.create(
        program=world.other_program, slug="x", title="Other", kind="article", language="en", summary="s"
    )
    with pytest.raises(ValidationError):
        assignment_create(actor=world.clinician, resource=other_resource, person=world.participant, due_date=TOMORROW)
    assert Assignment.objects.count() == 2


def test_journal_crisis_words_reach_safety_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = journal_entry_create(actor=world.participant, body="I want to kill myself tonight")
    signal = SafetySignal.objects.get(source="toolkit.journal")
    assert signal.person == world.participant and signal.severity in ("urgent", "high")
    # Nothing is hidden or blocked: the entry is saved as written.
    assert JournalEntry.objects.get(pk=entry.pk).body == "I want to kill myself tonight"


def test_calm_journal_and_negated_words_raise_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        journal_entry_create(actor=world.participant, body="Good day. I went to group and called my sister.")
        journal_entry_create(actor=world.participant, body="I don't want to die, I just feel tired.")
    assert not SafetySignal.objects.filter(source="toolkit.journal").exists()


def test_journal_and_thought_record_bad_input(world):
    with pytest.raises(ValidationError):
        journal_entry_create(actor=world.participant, body="   ")
    with pytest.raises(ValidationError):
        journal_entry_create(actor=world.participant, body="x" * 4001)
    with pytest.raises(ValidationError) as error:
        thought_record_create(actor=world.participant, situation="", thought="", feeling="")
    assert set(error.value.message_dict) == {"situation", "thought", "feeling"}
    with pytest.raises(PermissionDenied):
        journal_entry_create(actor=world.clinician, body="notes")
    assert not JournalEntry.objects.exists() and not ThoughtRecord.objects.exists()


def test_only_the_author_can_share_a_record(world):
    entry = journal_entry_create(actor=world.participant, body="hello")
    with pytest.raises(PermissionDenied):
        record_share_set(actor=world.clinician, record=entry, shared=True)
    record_share_set(actor=world.participant, record=entry, shared=True)
    entry.refresh_from_db()
    assert entry.shared_with_care_team


def test_participant_without_a_program_cannot_use_the_toolkit(db):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        journal_entry_create(actor=person, body="x")
    grant_role(person, ProgramFactory(), Role.PARTICIPANT)
    person = type(person).objects.get(pk=person.pk)  # roles are cached on the user object
    journal_entry_create(actor=person, body="x")


def test_staff_add_a_program_resource_that_only_their_program_sees(world):
    from hearth.toolkit.selectors import resources_for_viewer
    from hearth.toolkit.services import resource_create

    resource = resource_create(
        actor=world.clinician,
        program=world.program,
        title="Evening check with yourself",
        kind="audio",
        language="en",
        summary="A five-minute guided pause.",
        topics=["coping"],
        url="https://example.org/pause.mp3",
        prompts=["How did it feel?"],
    )
    assert resource in resources_for_viewer(viewer=world.participant)
    assert resource not in resources_for_viewer(viewer=world.other_clinician)
    with pytest.raises(PermissionDenied):
        resource_create(
            actor=world.other_clinician, program=world.program, title="x", kind="article", language="en", summary="s"
        )
    with pytest.raises(ValidationError) as error:
        resource_create(
            actor=world.clinician,
            program=world.program,
            title="Video",
            kind="video",
            language="en",
            summary="s",
            url="javascript:alert(1)",
            prompts=[f"q{i}" for i in range(11)],
        )
    assert {"url", "prompts"} <= set(error.value.message_dict)
    assert Resource.objects.filter(program=world.program).count() == 1
