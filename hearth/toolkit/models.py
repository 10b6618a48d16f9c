"""The participant's recovery toolkit: a sober-days counter that treats a lapse with compassion,
personal goals with small steps, a resource library with homework, and private self-help records."""

import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedTextField

GOAL_STEPS_MAX = 20


class SoberCounter(models.Model):
    """Off unless the person turns it on (harm-reduction pathways may not want a counter).

    ``start_date`` is the first day of the journey, a local date in the person's time zone; a lapse
    never moves it: runs are computed from it and the lapses, so total days are never lost."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sober_counter")
    enabled = models.BooleanField(_("show my days counter"), default=False)
    start_date = models.DateField(_("start date"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"counter of #{self.person_id}"


class Lapse(models.Model):
    """A return to use on a local day. Private unless the person shares it with their care team."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lapses")
    local_date = models.DateField(_("day"))
    note = EncryptedTextField(_("note"), blank=True)
    shared_with_care_team = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_date", "pk"]

    def __str__(self) -> str:
        return f"lapse #{self.pk} ({self.local_date})"


class Goal(models.Model):
    """The participant's own goal (not the clinician's treatment-plan goal). The clinician may link
    it to one goal of the person's plan: plan goals are lines of free text in a plan version, so
    the link keeps the plan and the line's words as they were when linked."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolkit_goals")
    title = EncryptedTextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    plan = models.ForeignKey("plans.TreatmentPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    plan_goal = EncryptedTextField(_("treatment plan goal"), blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["completed_at", "target_date", "-created_at"]

    def __str__(self) -> str:
        return f"goal #{self.pk}"


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = EncryptedTextField(_("step"))
    order = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"step #{self.pk} of goal #{self.goal_id}"


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    WORKSHEET = "worksheet", _("Worksheet")


class Topic(models.TextChoices):
    CRAVINGS = "cravings", _("Cravings and urges")
    COPING = "coping", _("Coping skills")
    RELAPSE_PREVENTION = "relapse_prevention", _("Preventing a return to use")
    CONNECTION = "connection", _("Connection and support")
    FAMILY = "family", _("Family")
    SELF_CARE = "self_care", _("Sleep and self-care")


class Phase(models.TextChoices):
    ANY = "any", _("Any time")
    EARLY = "early", _("Early recovery")
    ONGOING = "ongoing", _("Ongoing recovery")
    CONTINUING = "continuing", _("Continuing care")


class Resource(models.Model):
    """An article, a link to audio or video, or a worksheet. ``program`` empty = Hearth's starter
    library, offered in every program; staff add their program's own."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.ANY)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), blank=True)
    # Short-answer questions asked when the resource is given as homework.
    prompts = models.JSONField(_("questions"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["program", "slug", "language"], name="resource_unique_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_labels(self) -> list:
        return [Topic(t).label for t in self.topics if t in Topic.values]


class ResourceFavourite(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "resource"], name="favourite_once")]

    def __str__(self) -> str:
        return f"favourite #{self.pk}"


class ResourceOpenCount(models.Model):
    """How often a resource was opened in a program on a day. Deliberately no person: staff learn
    what is useful, not who read what."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="open_counts")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "program", "day"], name="open_count_per_day")]

    def __str__(self) -> str:
        return f"{self.count} opens of #{self.resource_id} on {self.day}"


class Assignment(models.Model):
    """Homework: a resource given to one participant (a cohort assignment makes one per person), or
    an activity another app registered (``activities``: a practice scene), kept as kind and id."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    activity_kind = models.CharField(max_length=40, blank=True)
    activity_id = models.PositiveIntegerField(null=True, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="homework")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("programs.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Empty only on practice assignments migrated after their clinician's account was removed.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("due date"))
    instructions = EncryptedTextField(_("a note for the person"), blank=True)
    # JSON list of answers, one per prompt, encrypted as one text.
    answers = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    review_comment = EncryptedTextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["completed_at", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(resource__isnull=False, activity_kind="", activity_id__isnull=True)
                    | Q(resource__isnull=True, activity_id__isnull=False) & ~Q(activity_kind="")
                ),
                name="homework_resource_or_activity",
            )
        ]
        indexes = [models.Index(fields=["person", "activity_kind", "activity_id"], name="homework_activity")]

    def __str__(self) -> str:
        return f"homework #{self.pk}"

    @property
    def title(self) -> str:
        """What was given: the resource's title, or the activity's (see activities_describe)."""
        if self.resource_id:
            return self.resource.title
        activity = getattr(self, "activity", None)
        return activity.title if activity else ""

    @property
    def answer_list(self) -> list[str]:
        try:
            value = json.loads(self.answers) if self.answers else []
        except ValueError:
            return []
        return [str(a) for a in value] if isinstance(value, list) else []


class ThoughtRecord(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thought_records")
    situation = EncryptedTextField(_("What happened?"))
    thought = EncryptedTextField(_("What went through your mind?"))
    feeling = EncryptedTextField(_("What did you feel, and how strongly?"))
    evidence = EncryptedTextField(_("What supports the thought, and what does not?"), blank=True)
    balanced = EncryptedTextField(_("A kinder, more balanced thought"), blank=True)
    shared_with_care_team = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"thought record #{self.pk}"


class JournalKind(models.TextChoices):
    JOURNAL = "journal", _("Journal")
    GRATITUDE = "gratitude", _("Gratitude note")


class JournalEntry(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries")
    kind = models.CharField(max_length=10, choices=JournalKind.choices, default=JournalKind.JOURNAL)
    body = EncryptedTextField(_("entry"))
    shared_with_care_team = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"journal entry #{self.pk}"


# What a participant can share one at a time with their care team (the URL's ``kind``).
SHAREABLE = {"journal": JournalEntry, "thought": ThoughtRecord, "lapse": Lapse}
