from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    CLINICIAN = "clinician", _("Clinician")
    MENTOR = "mentor", _("Peer mentor")
    FAMILY = "family", _("Family member or partner")
    ADMIN = "admin", _("Program admin")


STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)
# Roles that must enrol a second factor before reaching any other page.
MFA_REQUIRED_ROLES = (Role.CLINICIAN, Role.ADMIN, Role.MENTOR)


class Program(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Chicago")
    on_call_phone = models.CharField(_("on-call phone"), max_length=32, blank=True)
    allow_peer_private_messages = models.BooleanField(_("participants may message each other privately"), default=False)
    escalation_minutes = models.PositiveSmallIntegerField(
        _("minutes before an unanswered urgent alert goes to the on-call list"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Empty keeps them. The nightly shredder (programs.retention) removes the messages of people who
    # left the program more than this many years ago; audit entries are kept.
    chat_retention_years = models.PositiveSmallIntegerField(
        _("years to keep a participant's chat messages after they leave"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A roster of participants: a cohort that moves through the program together, or a rolling
    group that people join whenever they start. Sessions can be scheduled for either."""

    class Kind(models.TextChoices):
        COHORT = "cohort", _("Cohort (starts and moves together)")
        ROLLING = "rolling", _("Rolling group (people join any time)")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COHORT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cohort_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role one person holds in one program. Ending a membership keeps the row (history)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships")
    # Participants: the clinician who owns their care. Family: the participant they support.
    primary_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related_participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="family_memberships"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"],
                condition=Q(ended_at__isnull=True, related_participant__isnull=True),
                name="membership_one_active_role",
            ),
            models.UniqueConstraint(
                fields=["user", "program", "role", "related_participant"],
                condition=Q(ended_at__isnull=True, related_participant__isnull=False),
                name="membership_one_active_family_link",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "role"], condition=Q(ended_at__isnull=True), name="membership_active")
        ]

    def __str__(self) -> str:
        return f"{self.role} in program #{self.program_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Track(models.Model):
    """A phase of the program (e.g. "Stabilise", "Build skills", "Step-down"), shown in order."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="track_unique_name")]

    def __str__(self) -> str:
        return self.name


class EnrolmentState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    STEP_DOWN = "step_down", _("Step-down")
    COMPLETED = "completed", _("Completed")
    DISCHARGED = "discharged", _("Discharged")


# The only moves the lifecycle allows; completed and discharged are final (a return is a new referral).
ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EnrolmentState.REFERRED: frozenset({EnrolmentState.INTAKE, EnrolmentState.DISCHARGED}),
    EnrolmentState.INTAKE: frozenset({EnrolmentState.ACTIVE, EnrolmentState.DISCHARGED}),
    EnrolmentState.ACTIVE: frozenset({EnrolmentState.STEP_DOWN, EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED}),
    EnrolmentState.STEP_DOWN: frozenset({EnrolmentState.ACTIVE, EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED}),
    EnrolmentState.COMPLETED: frozenset(),
    EnrolmentState.DISCHARGED: frozenset(),
}


class Enrolment(models.Model):
    """Where one participant membership stands in the lifecycle; history in EnrolmentTransition."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="enrolment")
    state = models.CharField(_("state"), max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.REFERRED)
    track = models.ForeignKey(Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments")
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"enrolment #{self.pk} ({self.state})"

    @property
    def allowed_next(self) -> list[str]:
        return [s for s in EnrolmentState.values if s in ENROLMENT_TRANSITIONS[self.state]]


class EnrolmentTransition(models.Model):
    """Append-only: one row per change of state (services only ever create these)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=EnrolmentState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=EnrolmentState.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"
