from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField

PLAN_FIELDS = ("problems", "goals", "objectives", "interventions", "weekly_minutes_target", "next_review_on", "groups")
PLAN_FIELD_LABELS = {
    "problems": _("Problems"),
    "goals": _("Goals"),
    "objectives": _("Objectives"),
    "interventions": _("Interventions"),
    "weekly_minutes_target": _("Weekly hours target"),
    "next_review_on": _("Next review"),
    "groups": _("Assigned groups"),
}


class TreatmentPlan(models.Model):
    """One participant's plan in one program. Its content lives in versions: every save adds one."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treatment_plans")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="treatment_plans")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "program"], name="plan_one_per_program")]

    def __str__(self) -> str:
        return f"treatment plan #{self.pk}"


class PlanVersion(models.Model):
    """A complete, never-edited snapshot of the plan, with who wrote it and which parts changed."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    problems = EncryptedTextField(_("problems"))
    goals = EncryptedTextField(_("goals"))
    objectives = EncryptedTextField(_("objectives"), blank=True)
    interventions = EncryptedTextField(_("interventions"), blank=True)
    groups = models.ManyToManyField("scheduling.SessionSeries", blank=True, related_name="+")
    # Minutes of structured programming a week; the hours report uses it instead of the ASAM floor.
    weekly_minutes_target = models.PositiveIntegerField(_("weekly target (minutes)"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    changed_fields = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]
        indexes = [models.Index(fields=["plan", "-number"], name="plan_version_latest")]

    def __str__(self) -> str:
        return f"plan #{self.plan_id} v{self.number}"

    @property
    def weekly_hours_target(self):
        return None if self.weekly_minutes_target is None else round(self.weekly_minutes_target / 60, 2)

    @property
    def changed_labels(self) -> list[str]:
        return [str(PLAN_FIELD_LABELS.get(name, name)) for name in self.changed_fields]
