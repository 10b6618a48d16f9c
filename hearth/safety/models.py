from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")


class SafetySignal(models.Model):
    """Something that suggests a person may be at risk: raised by intake, check-ins, messaging.

    The evidence is clinical free text and is encrypted at rest.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_signals")
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

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.severity} signal #{self.pk}"
