import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    KeyedHashField,
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, one account. Roles are granted per program (programs.Membership).

    The fields here are the *community identity* and preferences; the clinical identity
    (legal name, birth date, contact details) lives in ClinicalIdentity and is read only
    through accounts.selectors by the person and their care team.
    """

    class Language(models.TextChoices):
        EN = "en", _("English")
        ES = "es", _("Spanish")

    email = models.EmailField(_("email"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=60, help_text=_("What peers see in groups and chat. An alias is fine.")
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.EN)
    reduce_motion = models.BooleanField(_("reduce motion"), default=False)
    larger_text = models.BooleanField(_("larger text"), default=False)
    high_contrast = models.BooleanField(_("high contrast"), default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Operations access only; not a clinical role.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or _("person #%(id)s") % {"id": self.pk}

    def get_short_name(self) -> str:
        return self.display_name


class ClinicalIdentity(models.Model):
    """Who the person is for the care team. Never shown to peers."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_identity")
    # Encrypted at rest (decisions §32); the legal name can be found by exact match through its
    # keyed hash (``ClinicalIdentity.legal_name_lookup``), nothing here can be ordered by in SQL.
    legal_name = EncryptedCharField(_("legal name"), max_length=200)
    legal_name_digest = KeyedHashField(source="legal_name", purpose="accounts.legal_name")
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=32, blank=True)
    emergency_contact_name = EncryptedCharField(_("emergency contact name"), max_length=200, blank=True)
    emergency_contact_phone = EncryptedCharField(_("emergency contact phone"), max_length=32, blank=True)
    # Free text the person chooses to tell the care team about access needs (may be sensitive).
    accessibility_needs = EncryptedTextField(_("accessibility needs"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"clinical identity of person #{self.user_id}"

    @classmethod
    def legal_name_lookup(cls, legal_name: str) -> models.Q:
        """Exact match on a legal name (case and spacing ignored), through its keyed hash."""
        return models.Q(legal_name_digest=cls._meta.get_field("legal_name_digest").digest(legal_name))


INVITATION_STATE_LABELS = {
    "pending": _("waiting"),
    "accepted": _("accepted"),
    "expired": _("expired"),
    "revoked": _("withdrawn"),
}


class Invitation(models.Model):
    """A single-use, expiring, revocable link that grants one role in one program.

    Only the SHA-256 of the token is stored; the token itself exists only in the link.
    """

    email = models.EmailField(_("email"))
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20)
    cohort = models.ForeignKey("programs.Cohort", on_delete=models.SET_NULL, null=True, blank=True)
    # For family / partner invitations: the participant who invited them.
    related_participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation #{self.pk} ({self.role})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.accepted_at:
            return "accepted"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def state_label(self) -> str:
        return str(INVITATION_STATE_LABELS[self.state])

    @property
    def role_label(self) -> str:
        from hearth.programs.models import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role
