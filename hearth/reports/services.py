"""The one write in reports: storing a program's report computed ahead (a snapshot)."""

from django.db import transaction
from django.utils import timezone

from hearth.audit.services import audit_record

from . import selectors, snapshots
from .models import ReportSnapshot


def report_snapshot_refresh(*, actor, program, now=None) -> ReportSnapshot:
    """Compute the program's default report and store it. ``actor`` None is the periodic job; a
    person must staff the program (anyone else gets a 404, as for the page)."""
    now = now or timezone.now()
    scope = selectors.scope_for_snapshot(program=program, viewer=actor, now=now)
    figures = snapshots.encode(selectors.program_report(scope=scope))
    with transaction.atomic():
        snapshot, _created = ReportSnapshot.objects.update_or_create(
            program=program,
            defaults={"start": scope.start, "end": scope.end, "computed_at": now, "figures": figures},
        )
        audit_record(
            actor=actor,
            action="reports.snapshot.computed",
            obj=snapshot,
            program=program,
            data={"start": str(scope.start), "end": str(scope.end)},
        )
    return snapshot
