"""Peer mentors, the people asking for one, the relationships between them and their contacts.

A mentor sees their mentees' community names, contact logs and shared meetings; nothing here
holds check-ins, measures, plans or notes, and a mentor sees those only where the mentee consents
(``MENTOR_SHAREABLE``, through the consent app). A contact note is short, optional, not clinical, and
encrypted at rest like every free text a person writes in a treatment program.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.consent.models import Category
from hearth.core.encryption import EncryptedTextField

from . import matching

PROPOSAL_DAYS = 14  # a proposal nobody answered in two weeks is stale
# What a participant may consent to show their mentor. Clinical notes never: no category holds them.
MENTOR_SHAREABLE = (Category.CHECKINS, Category.MEASURES, Category.TREATMENT_PLAN)


def _choices(vocabulary: dict) -> list[tuple[str, str]]:
    return list(vocabulary.items())


class MentorProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="mentor_profiles")
    pathways = models.JSONField(_("recovery pathways"), default=list, blank=True)
    years_in_recovery = models.PositiveSmallIntegerField(_("years in recovery"), default=0)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=_choices(matching.GENDERS), blank=True)
    age_range = models.CharField(_("age range"), max_length=10, choices=_choices(matching.AGE_RANGES), blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    # Weekly windows in the mentor's own zone: [[weekday 0=Monday, start minute, end minute], …].
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Chicago")
    capacity = models.PositiveSmallIntegerField(_("most mentees at once"), default=3)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_mentor_profiles",
        verbose_name=_("supervisor"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(capacity__lte=12), name="mentor_capacity_at_most_12")]

    def __str__(self) -> str:
        return f"Mentor profile of {self.user}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class TrainingRecord(models.Model):
    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("training or certification"), max_length=120)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-expires_on"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("completed_on")), name="training_expires_after")
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: datetime.date) -> bool:
        return self.completed_on <= on <= self.expires_on


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a match")
    PROPOSED = "proposed", _("Match proposed")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentorRequest(models.Model):
    """A participant asking for a mentor (or a clinician asking for them), with their preferences."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_requests")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="mentor_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    languages = models.JSONField(_("languages"), default=list, blank=True)  # hard
    gender = models.CharField(_("mentor's gender"), max_length=20, choices=_choices(matching.GENDERS), blank=True)
    pathways = models.JSONField(_("recovery pathways"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="America/Chicago")
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.WAITING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status__in=["waiting", "proposed"]),
                name="one_open_mentor_request",
            )
        ]

    def __str__(self) -> str:
        return f"Mentor request #{self.pk}"


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    GOALS_MET = "goals_met", _("We reached what we set out to do")
    SCHEDULE = "schedule", _("Our schedules no longer fit")
    FIT = "fit", _("Not the right fit — no one's fault")
    PROGRAM_ENDED = "program_ended", _("The program ended")
    MENTOR_BREAK = "mentor_break", _("The mentor is taking a break")
    OTHER = "other", _("Something else")


class Mentorship(models.Model):
    """A mentor and a mentee: proposed by staff, active once both accept, ended kindly with a reason.
    Rows are never deleted; the history of who mentored whom is kept."""

    request = models.ForeignKey(MentorRequest, on_delete=models.CASCADE, related_name="mentorships")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee")
    status = models.CharField(max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.PROPOSED)
    score = models.SmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)  # [[kind, [values], points], …] from matching
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status__in=["proposed", "active"]), name="one_open_mentorship"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentorship_not_oneself"),
        ]
        indexes = [models.Index(fields=["mentor", "status"], name="mentorship_mentor_status")]

    def __str__(self) -> str:
        return f"Mentorship #{self.pk}"

    def reason_objects(self) -> list[matching.Reason]:
        return [matching.Reason(kind, tuple(values), points) for kind, values, points in self.reasons]

    @property
    def explanation(self) -> str:
        return matching.explain(self.reason_objects())


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Messages")
    IN_PERSON = "in_person", _("In person")
    MEETING = "meeting", _("Meeting or group")


class HowItWent(models.TextChoices):
    GOOD = "good", _("Went well")
    OKAY = "okay", _("Okay")
    HARD = "hard", _("Hard")
    NO_ANSWER = "no_answer", _("Could not reach them")


class ContactLog(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="contacts")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    happened_at = models.DateTimeField(_("when"), db_index=True)
    channel = models.CharField(_("how"), max_length=12, choices=Channel.choices)
    minutes = models.PositiveSmallIntegerField(_("how long (minutes)"))
    how_it_went = models.CharField(_("how it went"), max_length=12, choices=HowItWent.choices)
    note = EncryptedTextField(_("a few words (optional, no clinical details)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_at"]
        constraints = [models.CheckConstraint(condition=Q(minutes__lte=600), name="contact_at_most_ten_hours")]

    def __str__(self) -> str:
        return f"Contact #{self.pk}"

    @property
    def reached(self) -> bool:
        return self.how_it_went != HowItWent.NO_ANSWER


class Worry(models.Model):
    """ "I'm worried about this person": the signal went to the care team; this row counts it for supervision."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="worries")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    signal = models.ForeignKey("safety.SafetySignal", on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Worry #{self.pk}"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class SupervisionNote(models.Model):
    """A supervisor's note on one mentor for one month. Only the mentor's supervisor and the program's
    admins read it; it is about a person in recovery too, so it is encrypted at rest. ``version``
    grows with each edit so an edit made on an older copy is refused instead of overwriting."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="supervision_notes")
    month = models.DateField(_("month"))  # always the first day of the month
    body = EncryptedTextField(_("supervision note"))
    version = models.PositiveIntegerField(default=1)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["profile", "month"], name="one_supervision_note_a_month")]

    def __str__(self) -> str:
        return f"Supervision note #{self.pk}"
