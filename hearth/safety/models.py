from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField

from .sources import source_label


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    # Recorded on the person's timeline (e.g. "I'm not going to hurt myself"); alerts no one.
    LOW = "low", _("Low")


ALERTING_SEVERITIES = (Severity.URGENT, Severity.HIGH, Severity.MODERATE)


class SafetySignal(models.Model):
    """Something that suggests a person may be at risk: raised by intake, check-ins, messaging.

    The evidence is clinical free text and is encrypted at rest.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_signals")
    # The program whose care team answers it (the care team is per program); null only when the
    # person took part in no program when it was raised.
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=60)  # dotted origin, e.g. "intake.phq9.item9"
    severity = models.CharField(max_length=10, choices=Severity.choices)
    evidence = EncryptedTextField(blank=True)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_action = models.CharField(max_length=20, blank=True)
    # Escalation of an urgent signal: how many steps past the primary clinician it has gone, and
    # when the next step is due (None once acknowledged, or for signals that do not escalate).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.severity} signal #{self.pk}"

    @property
    def source_label(self) -> str:
        return source_label(self.source)


class AcknowledgeAction(models.TextChoices):
    REACHED_PERSON = "reached_person", _("I reached the person")
    CALLED_EMERGENCY = "called_emergency", _("I called emergency services")
    OTHER = "other", _("Something else (say what in the note)")


class SignalEventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    NOTIFIED = "notified", _("Care team alerted")
    ESCALATED = "escalated", _("Escalated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class SignalEvent(models.Model):
    """Append-only: one row per step in a signal's life (who was alerted, who answered, when).

    ``recipients`` holds user ids only; ``note`` (an acknowledgement's free text) is encrypted.
    """

    signal = models.ForeignKey(SafetySignal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=SignalEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(default=0)
    recipients = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=20, choices=AcknowledgeAction.choices, blank=True)
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} for signal #{self.signal_id}"


# Section 4 (people I can ask for help) holds at most this many contacts: a plan is read in a
# crisis, on a phone, and a short list is the point.
MAX_PLAN_CONTACTS = 10


class SafetyPlan(models.Model):
    """A participant's Stanley–Brown safety plan: one per person; its content lives in versions."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"safety plan #{self.pk}"


class SafetyPlanVersion(models.Model):
    """One saved state of a plan. Every save adds a version; nothing is overwritten.

    Each section is free text, one item a line; ``contacts`` is JSON ``[{"name", "phone"}]``.
    All of it is encrypted at rest.
    """

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    warning_signs = EncryptedTextField(_("1. Warning signs that a crisis may be coming"), blank=True)
    coping_strategies = EncryptedTextField(_("2. Things I can do on my own to take my mind off it"), blank=True)
    distractions = EncryptedTextField(_("3. People and places that help me feel better"), blank=True)
    contacts = EncryptedTextField(_("4. People I can ask for help"), blank=True, default="[]")
    professionals = EncryptedTextField(_("5. Other professionals or agencies I can contact"), blank=True)
    environment = EncryptedTextField(_("6. Making my surroundings safer"), blank=True)
    reasons_for_living = EncryptedTextField(_("The one thing most important to me, my reasons for living"), blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="safety_plan_version_unique")]

    def __str__(self) -> str:
        return f"safety plan #{self.plan_id} v{self.number}"
