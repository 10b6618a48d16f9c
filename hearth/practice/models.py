from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.core.encryption import EncryptedJSONField


class Scene(models.Model):
    """A practice scene: its YAML source as written, and the checked data the player reads.

    ``program`` empty means a scene shipped with Hearth (loaded by ``load_practice_scenes``) that
    every program sees; otherwise only that program's people see it.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="practice_scenes"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    source = models.TextField(_("scene (YAML)"))
    definition = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(_("shown to participants"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="practice_scene_slug_per_program"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(program__isnull=True), name="practice_scene_slug_global"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class EndingKind(models.TextChoices):
    GOOD = "good", _("Good ending")
    TEACHES = "teaches", _("An ending to learn from")


class PracticeRun(models.Model):
    """One play of a scene by a person. ``record`` (encrypted) holds the path taken, each step's
    choice and skills, and any answers typed in the person's own words."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_runs")
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="runs")
    scene_version = models.PositiveIntegerField()
    language = models.CharField(max_length=8, default="en")
    record = EncryptedJSONField(default=dict)
    ending_kind = models.CharField(max_length=8, choices=EndingKind.choices, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["person", "-started_at"], name="practice_run_person_recent")]

    def __str__(self) -> str:
        return f"practice run #{self.pk}"
