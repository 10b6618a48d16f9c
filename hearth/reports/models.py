from django.db import models
from django.utils import timezone


class ReportSnapshot(models.Model):
    """A program's report for its default view (every cohort and track, the last 12 weeks), computed
    ahead by a periodic job so the page answers at once; the page says how old it is (decision NN).
    Figures only: counts, rates and quartiles, never a person's name or id."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="report_snapshot")
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    figures = models.JSONField()

    def __str__(self) -> str:
        return f"report snapshot of program #{self.program_id} ({self.start} to {self.end})"
