"""Practice assignments become toolkit homework that points at a scene (docs/decisions.md 41 said
they would): each row is copied with its person, scene, day, clinician and completion, into the
program where the person takes part (the scene's own program when it has one), then the practice
table is dropped. No reminder or notification is sent for the copies: they were announced once."""

from django.db import migrations
from django.db.models import F


def copy_to_homework(apps, schema_editor):
    PracticeAssignment = apps.get_model("practice", "PracticeAssignment")
    Assignment = apps.get_model("toolkit", "Assignment")
    Membership = apps.get_model("programs", "Membership")
    for old in PracticeAssignment.objects.select_related("scene").order_by("pk"):
        program_id = old.scene.program_id
        if program_id is None:
            membership = (
                Membership.objects.filter(user_id=old.person_id, role="participant")
                .order_by(F("ended_at").asc(nulls_first=True), "-pk")  # a current membership first
                .first()
            )
            program_id = membership.program_id if membership else None
        if program_id is None:
            continue  # never a participant anywhere: nothing to do homework in
        Assignment.objects.create(
            activity_kind="practice.scene",
            activity_id=old.scene_id,
            person_id=old.person_id,
            program_id=program_id,
            assigned_by_id=old.assigned_by_id,
            assigned_at=old.assigned_at,
            due_date=old.due_on,
            completed_at=old.completed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0001_initial"),
        ("programs", "0001_initial"),
        ("toolkit", "0004_homework_activity_goal_plan_link"),
    ]

    operations = [
        migrations.RunPython(copy_to_homework, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="PracticeAssignment"),
    ]
