from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.checkins.measures import SCREENERS
from hearth.core.encryption import EncryptedCharField, EncryptedJSONField, EncryptedTextField

from .documents import DOCUMENTS

SCREENER_CHOICES = [(code, m.name) for code, m in SCREENERS.items()]
DOCUMENT_CHOICES = [(code, d.title) for code, d in DOCUMENTS.items()]


class PacketStatus(models.TextChoices):
    OPEN = "open", _("Being filled in")
    SUBMITTED = "submitted", _("Sent to the care team")
    REVIEWED = "reviewed", _("Reviewed")


class SexAtBirth(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNSAID = "", _("Prefer not to say")


class Availability(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")


class IntakePacket(models.Model):
    """One participant's intake for one program: filled at home, then reviewed by a clinician.

    Contact details (phone, emergency contact, date of birth, access needs) are written to the
    person's ClinicalIdentity, language and time zone to their profile; the rest lives here.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_packets")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="intake_packets")
    status = models.CharField(max_length=12, choices=PacketStatus.choices, default=PacketStatus.OPEN)
    sex_at_birth = models.CharField(_("sex assigned at birth"), max_length=10, choices=SexAtBirth.choices, blank=True)
    gender_identity = EncryptedCharField(_("gender"), max_length=60, blank=True)
    availability = models.JSONField(_("when you can attend"), default=list, blank=True)
    availability_note = models.CharField(_("anything else about your schedule"), max_length=300, blank=True)
    about_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = EncryptedTextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person", "program"], name="intake_one_packet_per_program")]

    def __str__(self) -> str:
        return f"intake packet #{self.pk}"


class ScreeningResult(models.Model):
    packet = models.ForeignKey(IntakePacket, on_delete=models.CASCADE, related_name="results")
    measure = models.CharField(max_length=16, choices=SCREENER_CHOICES)
    answers = EncryptedJSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    level = models.CharField(max_length=10)
    positive = models.BooleanField(null=True)
    item9_positive = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["packet", "measure"], name="intake_one_result_per_measure")]

    def __str__(self) -> str:
        return f"{self.measure} #{self.pk}"

    @property
    def band_label(self) -> str:
        return str(SCREENERS[self.measure].band_for(self.total).label)

    @property
    def measure_name(self) -> str:
        return str(SCREENERS[self.measure].name)


class ConsentSignature(models.Model):
    """An e-signature on one version of one intake document. Never edited; a new version is signed anew."""

    packet = models.ForeignKey(IntakePacket, on_delete=models.CASCADE, related_name="signatures")
    document = models.CharField(max_length=20, choices=DOCUMENT_CHOICES)
    document_version = models.CharField(max_length=40)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_name = models.CharField(_("signature (type your full name)"), max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "document", "document_version"], name="intake_sign_each_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} signed #{self.pk}"

    @property
    def title(self) -> str:
        return str(DOCUMENTS[self.document].title)
