"""Personal access tokens and integration clients for the REST API, the idempotency keys of its
writes, and FHIR bulk exports with their files."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


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
    # Set for the short-lived access tokens an integration client gets at the token endpoint.
    client = models.ForeignKey(
        "IntegrationClient", on_delete=models.CASCADE, null=True, blank=True, related_name="access_tokens"
    )

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


class IntegrationClient(models.Model):
    """An integration (an EHR, a payer's reporting system) of one program. It acts as its service
    account: a real person row with a staff role in the program, so every selector scopes it like
    the pages (decisions: API client credentials). Only the SHA-256 of the secret is kept."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    client_id = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    service_account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integration_client"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"integration client #{self.pk}"

    def is_active(self, at=None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())


class BulkExport(models.Model):
    """A FHIR Bulk Data export of a program (``Group/{program}/$export``), run on the task queue.
    Its files live in the database, encrypted, until ``expires_at``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    types = models.JSONField(default=list)
    request_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    transaction_time = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="api_bulkexport_expires")]

    def __str__(self) -> str:
        return f"bulk export {self.pk}"


class BulkExportFile(models.Model):
    """One NDJSON file of an export: every resource of one type, one per line."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    export = models.ForeignKey(BulkExport, on_delete=models.CASCADE, related_name="files")
    resource_type = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    content = EncryptedTextField()

    class Meta:
        ordering = ["resource_type"]

    def __str__(self) -> str:
        return f"bulk export file {self.pk}"
