from django.conf import settings
from django.db import models
from django.utils import timezone

from .descriptions import describe


class AuditEntry(models.Model):
    """Who did what to whose data, when, from where. Append-only.

    The database refuses UPDATE and DELETE on this table (triggers in migration 0002), so not
    even a bug or an operator's shell can rewrite history.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=120, db_index=True)  # dotted: "consent.consent.granted"
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # The program the data was read or written in, when the caller knows it: audit search shows a
    # program admin the entries of their programs (docs/security-model.md, "Audit search").
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    # Facts about the change, never clinical free text (that stays in its encrypted home).
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="audit_subject_at"),
            models.Index(fields=["program", "-at"], name="audit_program_at"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def description(self) -> str:
        return describe(self.action)
