import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.notifications.models import Notification, Reminder
from hearth.practice.models import PracticeRun
from hearth.practice.services import (
    ChoiceNotInStep,
    assignment_create,
    run_answer,
    run_choose,
    run_start,
    scene_save,
)
from hearth.safety.models import SafetySignal
from hearth.toolkit.models import Assignment

GOOD_PATH = ["offer-firm-no", "second-change-subject"]


def play(person, scene, choices):
    run = run_start(actor=person, scene=scene)
    for choice in choices:
        run = run_choose(actor=person, run=run, choice_id=choice)
    return run


def test_playing_to_a_good_ending_records_path_skills_and_ending(world, scenes):
    run = play(world.participant, scenes["work-party"], GOOD_PATH)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.ending_kind == "good"
    assert [step["choice"] for step in run.record["steps"]] == GOOD_PATH
    assert run.record["at"] == "good-stays"
    assert "change_subject" in run.record["steps"][1]["skills"]
    assert AuditEntry.objects.filter(action="practice.run.finished", subject=world.participant).exists()


def test_a_choice_not_in_the_current_step_saves_nothing(world, scenes):
    run = run_start(actor=world.participant, scene=scenes["work-party"])
    before = PracticeRun.objects.get(pk=run.pk).record
    for bad in ("second-change-subject", "no-such-choice", ""):
        with pytest.raises(ChoiceNotInStep):
            run_choose(actor=world.participant, run=run, choice_id=bad)
    with pytest.raises(ChoiceNotInStep):
        run_choose(actor=world.participant, run=run, choice_id="offer-firm-no", at_node="second-offer")
    assert PracticeRun.objects.get(pk=run.pk).record == before


def test_a_finished_run_takes_no_more_choices(world, scenes):
    run = play(world.participant, scenes["work-party"], GOOD_PATH)
    with pytest.raises(ValidationError):
        run_choose(actor=world.participant, run=run, choice_id="offer-firm-no")


def test_only_the_person_plays_their_run(world, scenes):
    run = run_start(actor=world.participant, scene=scenes["work-party"])
    for actor in (world.clinician, world.other_participant):
        with pytest.raises(PermissionDenied):
            run_choose(actor=actor, run=run, choice_id="offer-firm-no")
        with pytest.raises(PermissionDenied):
            run_answer(actor=actor, run=run, text="No thanks")
    with pytest.raises(PermissionDenied):
        run_start(actor=world.clinician, scene=scenes["work-party"])


def test_an_edited_scene_asks_to_start_again(world, scenes):
    own = scene_save(
        actor=world.clinician,
        program=world.program,
        source=scenes["work-party"].source.replace("slug: work-party", "slug: ours"),
    )
    run = run_start(actor=world.participant, scene=own)
    scene_save(actor=world.clinician, program=None, scene=own, source=own.source.replace("Dana", "Dee"))
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="changed"):
        run_choose(actor=world.participant, run=run, choice_id="offer-firm-no")


def test_typed_answer_is_kept_encrypted_and_gets_a_checklist(world, scenes, django_capture_on_commit_callbacks):
    run = run_start(actor=world.participant, scene=scenes["work-party"])
    with django_capture_on_commit_callbacks(execute=True):
        checklist = run_answer(actor=world.participant, run=run, text="No thanks, I'll grab a coffee instead.")
    states = {item.skill: item.state for item in checklist}
    assert states["say_no_first"] == "seen"
    assert states["suggest_alternative"] == "seen"
    assert states["no_guilt"] == "seen"
    assert states["firm_voice"] == "try_aloud"
    run.refresh_from_db()
    assert run.record["answers"][0]["text"] == "No thanks, I'll grab a coffee instead."
    with connection.cursor() as cursor:
        cursor.execute("SELECT record FROM practice_practicerun WHERE id = %s", [run.pk])
        raw = cursor.fetchone()[0]
    assert "coffee" not in raw
    assert not SafetySignal.objects.filter(source="practice.answer").exists()


def test_spanish_answer_checklist(world, scenes):
    run = run_start(actor=world.participant, scene=scenes["family-dinner"], language="es")
    checklist = run_answer(actor=world.participant, run=run, text="Perdón, tal vez luego… mejor un café")
    states = {item.skill: item.state for item in checklist}
    assert states["no_guilt"] == "tip"
    assert states["no_excuses"] == "tip"
    assert states["suggest_alternative"] == "seen"
    assert states["say_no_first"] == "tip"


def test_crisis_words_in_a_typed_answer_raise_a_signal_after_commit(world, scenes, django_capture_on_commit_callbacks):
    run = run_start(actor=world.participant, scene=scenes["old-friend-call"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_answer(actor=world.participant, run=run, text="Honestly I want to kill myself tonight")
    assert not SafetySignal.objects.filter(source="practice.answer").exists(), "raised only after commit"
    for callback in callbacks:
        callback()
    signal = SafetySignal.objects.get(source="practice.answer")
    assert signal.person == world.participant
    assert signal.severity in ("urgent", "high")
    run.refresh_from_db()
    assert len(run.record["answers"]) == 1, "the answer is kept, never blocked"


def test_empty_or_long_answers_are_refused(world, scenes):
    run = run_start(actor=world.participant, scene=scenes["work-party"])
    for text in ("", "   ", "x" * 1001):
        with pytest.raises(ValidationError):
            run_answer(actor=world.participant, run=run, text=text)


def test_assignment_is_toolkit_homework_done_when_the_scene_is_finished(world, scenes):
    due = timezone.localdate() + datetime.timedelta(days=3)
    assignment = assignment_create(
        actor=world.clinician, person=world.participant, scene=scenes["work-party"], due_on=due
    )
    assert isinstance(assignment, Assignment)
    assert (assignment.activity_kind, assignment.activity_id, assignment.resource) == (
        "practice.scene",
        scenes["work-party"].pk,
        None,
    )
    notice = Notification.objects.get(recipient=world.participant, kind="toolkit.homework")
    assert notice.text.startswith("Homework from your care team: “A drink at the work party”, by ")
    assert Reminder.objects.filter(person=world.participant, kind="toolkit.homework_reminder").count() == 1
    with pytest.raises(ValidationError):
        assignment_create(actor=world.clinician, person=world.participant, scene=scenes["work-party"], due_on=due)
    run_start(actor=world.participant, scene=scenes["work-party"])  # started, not finished: not done
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    run = play(world.participant, scenes["work-party"], GOOD_PATH)
    assignment.refresh_from_db()
    assert assignment.completed_at == run.finished_at
    assert AuditEntry.objects.filter(action="toolkit.homework.assigned", subject=world.participant).exists()
    assert AuditEntry.objects.filter(action="toolkit.homework.completed", subject=world.participant).exists()


def test_finishing_another_scene_leaves_the_homework_open(world, scenes):
    due = timezone.localdate() + datetime.timedelta(days=3)
    assignment = assignment_create(
        actor=world.clinician, person=world.participant, scene=scenes["old-friend-call"], due_on=due
    )
    play(world.participant, scenes["work-party"], GOOD_PATH)
    assignment.refresh_from_db()
    assert assignment.completed_at is None


def test_assignment_refused_outside_the_care_team_or_in_the_past(world, scenes):
    due = timezone.localdate() + datetime.timedelta(days=3)
    for actor in (world.other_clinician, world.mentor, world.participant):
        with pytest.raises(PermissionDenied):
            assignment_create(actor=actor, person=world.participant, scene=scenes["work-party"], due_on=due)
    with pytest.raises(ValidationError):
        assignment_create(
            actor=world.clinician,
            person=world.participant,
            scene=scenes["work-party"],
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert not Assignment.objects.exists()
    assert not Notification.objects.filter(kind="toolkit.homework").exists()


def test_scene_save_is_for_program_staff_and_refuses_broken_yaml(world, scenes):
    from hearth.practice.schema import SceneError

    source = scenes["work-party"].source.replace("slug: work-party", "slug: ours")
    for actor in (world.participant, world.other_clinician, world.mentor):
        with pytest.raises(PermissionDenied):
            scene_save(actor=actor, program=world.program, source=source)
    with pytest.raises(SceneError):
        scene_save(actor=world.clinician, program=world.program, source=source.replace("next: good-home", "next: x"))
    scene = scene_save(actor=world.admin, program=world.program, source=source)
    with pytest.raises(ValidationError):
        scene_save(actor=world.admin, program=world.program, source=source)
    assert scene.program == world.program
