"""Personal access tokens for the REST API, and the idempotency keys of its writes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_SCHEDULE = "read:schedule", _("Read my schedule")
    READ_CHECKINS = "read:checkins", _("Read my check-ins")
    WRITE_CHECKINS = "write:checkins", _("Send check-ins")
    READ_FHIR = "read:fhir", _("Export a record as FHIR")
    READ_CASELOAD = "read:caseload", _("Read my caseload summary (staff)")
    WRITE_SCHEDULE = "write:schedule", _("Reply to my sessions")
    READ_NOTIFICATIONS = "read:notifications", _("Read my notifications")
    READ_ATTENDANCE = "read:attendance", _("Export attendance (staff)")


class ApiToken(models.Model):
    """Only the SHA-256 of the token is kept; the token itself is shown once, when it is made."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart; not enough to use one.
    prefix = models.CharField(max_length=12)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"api token #{self.pk}"

    def is_active(self, at=None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())


class IdempotencyKey(models.Model):
    """A write sent again with the same key answers with what the first one made, once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    # SHA-256 of the request body: the same key with a different body is refused.
    request_hash = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "endpoint", "key"], name="api_idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"idempotency key #{self.pk}"
