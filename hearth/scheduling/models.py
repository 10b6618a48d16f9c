"""Sessions (recurring series and their occurrences), RSVPs, attendance, session notes and
private calendar feeds.

Times are stored in UTC. A series keeps its *local* start time and its own time zone so that
expansion holds the local wall-clock time across DST changes.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import validate_time_zone
from hearth.core.encryption import EncryptedTextField


class SessionKind(models.TextChoices):
    GROUP_THERAPY = "group_therapy", _("Group therapy")
    PSYCHOEDUCATION = "psychoeducation", _("Psychoeducation")
    SUPPORT_GROUP = "support_group", _("Support group")
    INDIVIDUAL_COUNSELLING = "individual_counselling", _("Individual counselling")
    FAMILY_SESSION = "family_session", _("Family session")
    COUPLES_SESSION = "couples_session", _("Couples session")
    MENTOR_MEETING = "mentor_meeting", _("Mentor meeting")
    STAFF_CHECKIN_CALL = "staff_checkin_call", _("Staff check-in call")
    GAME_NIGHT = "game_night", _("Game night")
    MOVIE_SCREENING = "movie_screening", _("Movie screening")
    WORKSHOP = "workshop", _("Workshop")
    MINDFULNESS = "mindfulness", _("Mindfulness")


# Structured programming that counts toward the weekly hours target (ASAM 2.1).
CLINICAL_KINDS = frozenset(
    {
        SessionKind.GROUP_THERAPY,
        SessionKind.PSYCHOEDUCATION,
        SessionKind.SUPPORT_GROUP,
        SessionKind.INDIVIDUAL_COUNSELLING,
        SessionKind.FAMILY_SESSION,
        SessionKind.COUPLES_SESSION,
    }
)
SOCIAL_KINDS = frozenset(
    {SessionKind.GAME_NIGHT, SessionKind.MOVIE_SCREENING, SessionKind.WORKSHOP, SessionKind.MINDFULNESS}
)


class SessionSeries(models.Model):
    """A recurring session: an RFC 5545 rule expanded in the series' own time zone."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="session_series")
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    # Shown in calendars and feeds: never clinical content.
    title = models.CharField(_("title"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    start_time = models.TimeField(_("local start time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    rrule = models.CharField(_("recurrence rule"), max_length=500)
    dtstart = models.DateField(_("first date"))
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of sessions"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hosted_series", blank=True)
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="session_series"
    )
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="rostered_series", blank=True)
    expanded_through = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("session series")

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)


class Occurrence(models.Model):
    """One session on the calendar. From a series (``original_start`` is the instant the rule gave,
    kept when the occurrence is moved) or a one-off (``series`` empty; roster and hosts on itself)."""

    series = models.ForeignKey(
        SessionSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="occurrences")
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    original_start = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # One-offs only; occurrences of a series use the series' hosts and roster.
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hosted_occurrences", blank=True)
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="occurrences"
    )
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="rostered_occurrences", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"],
                condition=Q(series__isnull=False),
                name="occurrence_unique_in_series",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_ends_after_start"),
        ]
        indexes = [models.Index(fields=["program", "starts_at"], name="occurrence_program_start")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M} UTC)"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def was_moved(self) -> bool:
        return self.original_start is not None and self.series_id is not None and self.original_start != self.starts_at


class RSVPStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLISTED = "waitlisted", _("On the wait-list")
    CANCELLED = "cancelled", _("Not going")


class RSVP(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=12, choices=RSVPStatus.choices)
    # 1-based place on the wait-list; empty unless waitlisted.
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "person"], name="rsvp_one_per_person")]

    def __str__(self) -> str:
        return f"RSVP #{self.pk} ({self.status})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class AttendanceSource(models.TextChoices):
    MANUAL = "manual", _("Marked by staff")
    VIDEO = "video", _("Video presence")


class Attendance(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("status"), max_length=12, choices=AttendanceStatus.choices)
    minutes = models.PositiveIntegerField(_("minutes attended"), default=0)
    source = models.CharField(max_length=8, choices=AttendanceSource.choices, default=AttendanceSource.MANUAL)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Video presence as [[joined_iso, left_iso], ...]; minutes come from their union.
    presence = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "person"], name="attendance_one_per_person")]
        indexes = [models.Index(fields=["person", "occurrence"], name="attendance_person")]

    def __str__(self) -> str:
        return f"attendance #{self.pk} ({self.status})"


class SessionNote(models.Model):
    """A clinician's note on a session: the group note (no person) or a note about one participant."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="session_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "person"], condition=Q(person__isnull=False), name="session_note_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["occurrence"], condition=Q(person__isnull=True), name="session_note_one_group_note"
            ),
        ]

    def __str__(self) -> str:
        return f"session note #{self.pk}"


class CalendarFeedToken(models.Model):
    """A private ICS feed address. Only a SHA-256 of the secret is stored; revoking is immediate."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
