from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hearth.programs.models import Program

from .services import report_snapshot_refresh


@db_periodic_task(crontab(minute="*/15"))
def program_reports_compute() -> int:
    """Every 15 minutes: each program's default report, so the page answers at once (its age is
    shown, with a button to count again)."""
    count = 0
    for program in Program.objects.order_by("pk"):
        report_snapshot_refresh(actor=None, program=program)
        count += 1
    return count
