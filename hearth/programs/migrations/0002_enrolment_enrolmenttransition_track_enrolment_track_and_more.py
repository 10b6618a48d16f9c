import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from hearth.core.migration_operations import CreateModels


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="Enrolment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("referred", "Referred"),
                                    ("intake", "Intake"),
                                    ("active", "Active"),
                                    ("step_down", "Step-down"),
                                    ("completed", "Completed"),
                                    ("discharged", "Discharged"),
                                ],
                                default="referred",
                                max_length=20,
                                verbose_name="state",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "membership",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="enrolment",
                                to="programs.membership",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="EnrolmentTransition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "from_state",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("referred", "Referred"),
                                    ("intake", "Intake"),
                                    ("active", "Active"),
                                    ("step_down", "Step-down"),
                                    ("completed", "Completed"),
                                    ("discharged", "Discharged"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "to_state",
                            models.CharField(
                                choices=[
                                    ("referred", "Referred"),
                                    ("intake", "Intake"),
                                    ("active", "Active"),
                                    ("step_down", "Step-down"),
                                    ("completed", "Completed"),
                                    ("discharged", "Discharged"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("reason", models.CharField(blank=True, max_length=500, verbose_name="reason")),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "enrolment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transitions",
                                to="programs.enrolment",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Track",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("order", models.PositiveSmallIntegerField(default=1, verbose_name="order")),
                        ("description", models.CharField(blank=True, max_length=300, verbose_name="description")),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tracks",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["order", "pk"],
                        "constraints": [models.UniqueConstraint(fields=("program", "name"), name="track_unique_name")],
                    },
                ),
            ]
        ),
        migrations.AddField(
            model_name="enrolment",
            name="track",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="enrolments",
                to="programs.track",
            ),
        ),
    ]
