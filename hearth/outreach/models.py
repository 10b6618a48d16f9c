from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


class Rule(models.TextChoices):
    PHQ9_ITEM9 = "phq9_item9", _("PHQ-9 item 9 above 0")
    USE_REPORTED = "use_reported", _("Use reported")
    HIGH_CRAVING = "high_craving", _("High craving")
    MISSED_SESSION = "missed_session", _("Missed a session")
    MISSED_CHECKINS = "missed_checkins", _("Missed check-ins")
    ISOLATION = "isolation", _("No sign of social contact")


class Urgency(models.IntegerChoices):
    # Lower sorts first in the queue.
    URGENT = 0, _("Urgent")
    HIGH = 1, _("High")
    ROUTINE = 2, _("Routine")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Outcome(models.TextChoices):
    REACHED_CALL = "reached_call", _("Reached by call")
    REACHED_VIDEO = "reached_video", _("Reached by video")
    REACHED_MESSAGE = "reached_message", _("Reached by message")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")


REACHED = {Outcome.REACHED_CALL, Outcome.REACHED_VIDEO, Outcome.REACHED_MESSAGE}


class ProgramThresholds(models.Model):
    """Per-program thresholds for the outreach rules; a program without a row uses the defaults."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="outreach_thresholds")
    missed_checkins_in_a_row = models.PositiveSmallIntegerField(_("missed check-ins in a row"), default=2)
    craving_at_least = models.PositiveSmallIntegerField(_("craving at or above"), default=8)
    isolation_days = models.PositiveSmallIntegerField(_("days without social contact"), default=4)
    missed_session_lookback_days = models.PositiveSmallIntegerField(
        _("look back for missed sessions (days)"), default=7
    )
    disabled_rules = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"outreach thresholds of program #{self.program_id}"


class OutreachTask(models.Model):
    """A person on the care team should reach out to a participant, and why (``evidence``)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreach_tasks")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="outreach_tasks")
    rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_outreach"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("due"))
    # {"key": what makes this occurrence distinct, "summary": one line, "facts": {...}}
    evidence = models.JSONField(default=dict)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule"], condition=Q(status="open"), name="outreach_one_open_task_per_rule"
            )
        ]
        indexes = [
            models.Index(fields=["owner", "status", "urgency", "due_at"], name="outreach_queue"),
            models.Index(fields=["status", "due_at"], name="outreach_overdue"),
            models.Index(fields=["person", "rule", "-raised_at"], name="outreach_person_rule"),
        ]

    def __str__(self) -> str:
        return f"outreach task #{self.pk} ({self.rule})"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class TaskEvent(models.Model):
    """The task's history: raised, attempts, escalation, resolution."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ATTEMPT = "attempt", _("Outreach attempt")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on task #{self.task_id}"
