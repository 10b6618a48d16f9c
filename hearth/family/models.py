from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField


class ProgressSummary(models.Model):
    """A few plain words about how things are going, written and approved by the participant:
    the only progress text family ever sees (never clinical notes)."""

    participant = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_progress_summary"
    )
    text = EncryptedTextField(_("what you want to share"))
    approved_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"progress summary of #{self.participant_id}"


class CourseProgress(models.Model):
    """A family member finished one module of the family course (CRAFT)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_progress")
    module = models.SlugField(max_length=60)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "module"], name="course_progress_once")]

    def __str__(self) -> str:
        return f"{self.module} by #{self.person_id}"


class ContractDay(models.Model):
    """One day of a couple's daily recovery contract (Behavioral Couples Therapy)."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract_days")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    stated_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    medication_observed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="contract_day_once")]

    def __str__(self) -> str:
        return f"contract day {self.day} of #{self.participant_id}"


class CaringNote(models.Model):
    """'Caught you doing something nice': one partner notes a caring act of the other."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("what they did"))
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"caring note #{self.pk}"


class SessionTopic(models.Model):
    """'Save it for session': something not to argue about at home, noted for the clinician."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("topic"))
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"session topic #{self.pk}"


class ContractAgreement(models.Model):
    """One term of a couple's daily recovery contract: each of the two agrees for themself, and days
    are recorded only while both have agreed and neither has stopped. A stopped term is kept (the
    history), and starting again opens a new term that both agree to afresh."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    participant_agreed_at = models.DateTimeField(null=True, blank=True)
    partner_agreed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "partner"],
                condition=models.Q(stopped_at__isnull=True),
                name="contract_agreement_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"contract agreement #{self.pk}"

    @property
    def in_force(self) -> bool:
        return self.stopped_at is None and bool(self.participant_agreed_at and self.partner_agreed_at)


class ActivityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Did not happen")


class SharedActivity(models.Model):
    """One shared rewarding activity the couple plans for a week (Behavioral Couples Therapy): one
    partner proposes, the other agrees, then either marks whether it happened."""

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()  # the Monday of the week, in the participant's zone
    title = EncryptedTextField(_("what you will do together"))
    status = models.CharField(max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change: an agreement or edit made from an older page is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-week_start", "proposed_at", "pk"]
        indexes = [models.Index(fields=["participant", "week_start"], name="family_activity_week")]

    def __str__(self) -> str:
        return f"shared activity #{self.pk}"
