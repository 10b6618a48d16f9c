from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedJSONField, EncryptedTextField

from .measures import MEASURE_CHOICES, MEASURES

MOOD_RANGE = (1, 10)
CRAVING_RANGE = (0, 10)
SLEEP_HOURS_MAX = 24


class SleepQuality(models.TextChoices):
    POOR = "poor", _("Poor")
    FAIR = "fair", _("Fair")
    GOOD = "good", _("Good")


class Trigger(models.TextChoices):
    STRESS = "stress", _("Stress")
    PEOPLE = "people", _("People I used with")
    PLACES = "places", _("Places")
    BOREDOM = "boredom", _("Boredom")
    LONELINESS = "loneliness", _("Feeling lonely")
    CONFLICT = "conflict", _("Conflict")
    PAIN = "pain", _("Pain")
    CELEBRATION = "celebration", _("Celebration")
    TIRED = "tired", _("Tired")
    OTHER = "other", _("Something else")


class Connection(models.TextChoices):
    PEER = "peer", _("A peer")
    MENTOR = "mentor", _("My mentor")
    FAMILY = "family", _("Family")
    GROUP = "group", _("A group")
    NO_ONE = "no_one", _("No one today")


class CheckIn(models.Model):
    """One per person per local day (the person's own time zone); the same day can be edited.

    ``version`` goes up on every edit so that a stale form (opened before another save) is
    refused instead of overwriting newer answers.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    # The program the check-in belongs to: the care team is per program, so staff of another
    # program the person takes part in do not see it (null: made before the person had one).
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    local_date = models.DateField(_("day"))
    mood = models.PositiveSmallIntegerField(_("mood"))
    craving = models.PositiveSmallIntegerField(_("craving"))
    sleep_hours = models.DecimalField(_("hours of sleep"), max_digits=3, decimal_places=1)
    sleep_quality = models.CharField(_("sleep quality"), max_length=8, choices=SleepQuality.choices)
    used = models.BooleanField(_("used since last check-in"), default=False)
    used_what = EncryptedTextField(_("what was used"), blank=True)
    triggers = models.JSONField(_("triggers"), default=list, blank=True)
    trigger_other = EncryptedTextField(_("other trigger"), blank=True)
    connections = models.JSONField(_("connected with"), default=list, blank=True)
    # Keys of registered coping actions (checkins.coping), e.g. a self-help tool used today.
    coping = models.JSONField(_("coping actions"), default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "local_date"], name="checkin_one_per_day"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=10), name="checkin_mood_range"),
            models.CheckConstraint(condition=Q(craving__gte=0, craving__lte=10), name="checkin_craving_range"),
            models.CheckConstraint(condition=Q(sleep_hours__gte=0, sleep_hours__lte=24), name="checkin_sleep_range"),
        ]

    def __str__(self) -> str:
        return f"check-in #{self.pk} ({self.local_date})"

    @property
    def connected_with_no_one(self) -> bool:
        return self.connections == [Connection.NO_ONE]


class MeasureSchedule(models.Model):
    """A questionnaire a participant is asked to answer every ``every_days`` from ``starts_on``.

    Instance k is due on ``starts_on + k * every_days``; a response names the instance it answers.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_schedules")
    measure = models.CharField(_("questionnaire"), max_length=16, choices=MEASURE_CHOICES)
    every_days = models.PositiveSmallIntegerField(_("every (days)"), default=14)
    starts_on = models.DateField(_("from"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "measure"], condition=Q(ended_at__isnull=True), name="measure_schedule_one_active"
            ),
            models.CheckConstraint(condition=Q(every_days__gte=1), name="measure_schedule_every_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} every {self.every_days} days"


class MeasureResponse(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_responses")
    # The care team is per program (like CheckIn.program); null only for answers given outside any.
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    measure = models.CharField(max_length=16, choices=MEASURE_CHOICES)
    # The scheduled instance answered (its due day), or the local day for an unscheduled one.
    instance_date = models.DateField()
    schedule = models.ForeignKey(MeasureSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answers = EncryptedJSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    level = models.CharField(max_length=10)
    item9_positive = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "measure", "instance_date"], name="measure_once_per_instance")
        ]
        indexes = [models.Index(fields=["person", "measure", "-submitted_at"], name="measure_person_recent")]

    def __str__(self) -> str:
        return f"{self.measure} #{self.pk}"

    @property
    def band_label(self) -> str:
        """The band in the reader's language (``band`` keeps the English label for the record)."""
        return str(MEASURES[self.measure].band_for(self.total).label)
