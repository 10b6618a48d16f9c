"""Retention: how long a program keeps what a participant wrote after they leave, and the shredder
that removes what is past it. Audit entries are never shredded (the audit trail is append-only).

Programs may not import the apps that own the data, so each such app registers a shredder in its
``AppConfig.ready()`` naming the program setting that holds its years (empty: keep everything)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.audit.services import audit_record

from .models import EnrolmentState, Membership, Program, Role

FINAL_STATES = (EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED)


@dataclass(frozen=True)
class Shredder:
    name: str  # what it removes, dotted like audit actions: "messaging.messages"
    setting: str  # the Program field with the years to keep, e.g. "chat_retention_years"
    # (program, people: a values("user_id") queryset, now, dry_run) -> how many items (would be) removed
    shred: Callable[..., int]


SHREDDERS: list[Shredder] = []


def shredder_register(shredder: Shredder) -> None:
    if shredder.name not in {s.name for s in SHREDDERS}:
        SHREDDERS.append(shredder)


def people_who_left_before(program: Program, cutoff: datetime.datetime) -> QuerySet:
    """``user_id``s of people who took part in the program and whose every participant membership
    there finished (ended, completed or discharged) before ``cutoff``; anyone back in the program is
    kept whole."""
    finished = Q(ended_at__lt=cutoff) | Q(enrolment__state__in=FINAL_STATES, enrolment__changed_at__lt=cutoff)
    participants = Membership.objects.filter(program=program, role=Role.PARTICIPANT)
    still_here = participants.exclude(finished).values("user_id")
    return participants.filter(finished).exclude(user_id__in=still_here).values("user_id").distinct()


def cutoff_for(now: datetime.datetime, years: int) -> datetime.datetime:
    return now - relativedelta(years=years)


def shred_expired(*, dry_run: bool, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Run every registered shredder over every program that sets its years. Returns
    ``{program slug: {shredder name: count}}`` for the programs with a setting; a dry run counts
    what would go and changes nothing. Each program's removal is one audited transaction."""
    now = now or timezone.now()
    report: dict[str, dict[str, int]] = {}
    for program in Program.objects.order_by("pk"):
        for shredder in SHREDDERS:
            years = getattr(program, shredder.setting)
            if not years:
                continue
            cutoff = cutoff_for(now, years)
            with transaction.atomic():
                count = shredder.shred(
                    program=program, people=people_who_left_before(program, cutoff), now=now, dry_run=dry_run
                )
                if count and not dry_run:
                    audit_record(
                        actor=None,
                        action="programs.retention.shredded",
                        obj=program,
                        program=program,
                        data={"what": shredder.name, "count": count, "years": years, "cutoff": cutoff.isoformat()},
                    )
            report.setdefault(program.slug, {})[shredder.name] = count
    return report
