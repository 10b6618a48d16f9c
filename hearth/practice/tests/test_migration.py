"""Practice assignments made before they moved onto toolkit homework are copied into it (person,
scene, day, clinician, completion, the person's program) and the practice table is dropped."""

import datetime

import pytest
from django.db import connection

from hearth.tests.original_migrations import migrate_originals, original_leaves

BEFORE = [("practice", "0001_initial"), ("toolkit", "0003_journal_kind")]
AFTER = [("practice", "0002_assignments_to_toolkit_homework")]


@pytest.mark.django_db(transaction=True)
def test_practice_assignments_become_scene_homework():
    leaves = original_leaves()
    old = migrate_originals(BEFORE).loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    person = User.objects.create(email="p@hearth.test", display_name="P", password="!")
    clinician = User.objects.create(email="c@hearth.test", display_name="C", password="!")
    stranger = User.objects.create(email="s@hearth.test", display_name="S", password="!")
    Program = old.get_model("programs", "Program")
    program = Program.objects.create(name="Evening IOP", slug="evening")
    old.get_model("programs", "Membership").objects.create(user=person, program=program, role="participant")
    Scene = old.get_model("practice", "Scene")
    scene = Scene.objects.create(slug="work-party", source="x", definition={})
    Old = old.get_model("practice", "PracticeAssignment")
    due = datetime.date(2026, 12, 4)
    Old.objects.create(person=person, scene=scene, due_on=due, assigned_by=clinician)
    done_at = datetime.datetime(2026, 11, 20, 18, tzinfo=datetime.UTC)
    Old.objects.create(person=person, scene=scene, due_on=due, assigned_by=None, completed_at=done_at)
    Old.objects.create(person=stranger, scene=scene, due_on=due, assigned_by=clinician)  # in no program

    new = migrate_originals(AFTER).loader.project_state(AFTER).apps
    rows = list(
        new.get_model("toolkit", "Assignment")
        .objects.order_by("pk")
        .values_list(
            "person_id", "activity_kind", "activity_id", "program_id", "assigned_by_id", "due_date", "completed_at"
        )
    )
    assert rows == [
        (person.pk, "practice.scene", scene.pk, program.pk, clinician.pk, due, None),
        (person.pk, "practice.scene", scene.pk, program.pk, None, due, done_at),
    ]
    assert "practice_practiceassignment" not in connection.introspection.table_names()
    migrate_originals(leaves)
