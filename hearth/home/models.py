"""What the top floor keeps of its own: the first-day steps a person has put away."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DismissedStep(models.Model):
    """A "next step" on the dashboard the person said they no longer need; it stays hidden."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissed_steps")
    step = models.CharField(max_length=30)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "step"], name="dismissed_step_unique")]

    def __str__(self) -> str:
        return f"{self.step} dismissed by #{self.person_id}"
