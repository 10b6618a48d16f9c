import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedCharField

# A consent ends at most three years after it is signed (the form offers end dates up to this many
# days ahead; the model allows one day more, for an end of day in any time zone).
MAX_CONSENT_DAYS = 3 * 366


class Category(models.TextChoices):
    """Kinds of information a participant may disclose outside the care team (42 CFR Part 2)."""

    ATTENDANCE = "attendance", _("Attendance")
    PROGRESS = "progress", _("Progress summary")
    CHECKINS = "checkins", _("Daily check-ins")
    MEASURES = "measures", _("Questionnaire results")
    SCHEDULE = "schedule", _("Session schedule")
    TREATMENT_PLAN = "treatment_plan", _("Treatment plan")
    # Joining the participant's family conversation with the care team (what is said there is
    # treatment information too).
    MESSAGING = "messaging", _("Family conversation with the care team")
    # The participant's safety plan, to help them use it in a crisis.
    SAFETY_PLAN = "safety_plan", _("Safety plan")
    # The daily recovery contract of Behavioral Couples Therapy, kept with a partner.
    COUPLES_CONTRACT = "couples_contract", _("Couples recovery contract")


class RecipientKind(models.TextChoices):
    FAMILY = "family", _("Family member")
    PARTNER = "partner", _("Partner")
    # The participant's peer mentor: outside the care team, so sharing with them needs a consent too.
    MENTOR = "mentor", _("Peer mentor")
    COURT = "court", _("Court or probation")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other")


class Consent(models.Model):
    """A written consent to disclose named kinds of information to a named recipient."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="consents")
    recipient_kind = models.CharField(_("recipient is"), max_length=20, choices=RecipientKind.choices)
    # A Hearth account (family, partner) or an outside party known only by name.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="consents_received"
    )
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    categories = models.JSONField(_("information to share"), default=list)
    purpose = EncryptedCharField(_("purpose"), max_length=300)
    expires_at = models.DateTimeField(_("expires"))
    # The typed full name: as identifying as the legal name, so encrypted too.
    signature = EncryptedCharField(_("signature (type your full name)"), max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    document_version = models.CharField(max_length=20, default="part2-2024.1")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        indexes = [
            models.Index(
                fields=["recipient_user", "participant"], condition=Q(revoked_at__isnull=True), name="consent_active"
            )
        ]

    def __str__(self) -> str:
        return f"consent #{self.pk}"

    def clean(self):
        super().clean()
        if self.expires_at and self.expires_at > self.signed_at + datetime.timedelta(days=MAX_CONSENT_DAYS + 1):
            raise ValidationError({"expires_at": _("Choose an end date within three years.")})

    def is_in_force(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at

    def category_labels(self) -> list[str]:
        return [str(Category(code).label) for code in self.categories if code in Category.values]
