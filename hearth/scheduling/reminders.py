"""Session reminders: scheduling decides who a session reminds and when; notifications stores and
sends the rows (``hearth.notifications.reminders``). Registered in ``SchedulingConfig.ready``."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hearth.notifications.reminders import reminder_kind_register, reminders_replace

from .models import RSVP, Occurrence, RSVPStatus
from .selectors import hosts_for_occurrence, roster_for_occurrence

SESSION_REMINDER_KIND = "scheduling.reminder"


def _session_people(occurrence) -> set[int]:
    """Whom a session reminds: the roster, its hosts, and anyone who said they are going (events)."""
    people = set(roster_for_occurrence(occurrence).values_list("pk", flat=True))
    people |= set(hosts_for_occurrence(occurrence).filter(is_active=True).values_list("pk", flat=True))
    people |= set(
        RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.GOING, person__is_active=True).values_list(
            "person_id", flat=True
        )
    )
    return people


def reminders_sync_for_occurrence(occurrence, *, now: datetime.datetime | None = None) -> None:
    """Make the occurrence's reminders match it: one per person on it per configured offset,
    due before its (possibly moved) start; dropped when it is cancelled or the person left.
    Idempotent; call it after an occurrence is created, moved, cancelled or its roster changes."""
    now = now or timezone.now()
    wanted: dict[tuple[int, str], datetime.datetime] = {}
    if occurrence.cancelled_at is None and occurrence.starts_at > now:
        for person_id in _session_people(occurrence):
            for minutes in settings.SESSION_REMINDER_MINUTES:
                due = occurrence.starts_at - datetime.timedelta(minutes=minutes)
                if due > now:
                    wanted[(person_id, str(minutes))] = due
    url = reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    reminders_replace(kind=SESSION_REMINDER_KIND, source=occurrence, wanted=wanted, url=url, now=now)


def reminders_sync_upcoming(*, now: datetime.datetime | None = None, hours: int | None = None) -> int:
    """Sync every occurrence starting within the longest reminder offset (plus a margin). Catches
    what no hook reported: occurrences written by series expansion, roster changes through cohorts."""
    now = now or timezone.now()
    horizon = datetime.timedelta(minutes=max(settings.SESSION_REMINDER_MINUTES, default=0) + 60)
    if hours is not None:
        horizon = datetime.timedelta(hours=hours)
    occurrences = Occurrence.objects.filter(starts_at__gt=now, starts_at__lte=now + horizon).select_related("series")
    count = 0
    for occurrence in occurrences.iterator():
        reminders_sync_for_occurrence(occurrence, now=now)
        count += 1
    return count


def session_reminders_still_due(reminders) -> set[int]:
    """A reminder still stands if its session is on and still starts where the reminder expects."""
    occurrences = Occurrence.objects.in_bulk([r.source_id for r in reminders])
    due = set()
    for reminder in reminders:
        occurrence = occurrences.get(reminder.source_id)
        if occurrence is None or occurrence.cancelled_at is not None:
            continue
        expected = occurrence.starts_at - datetime.timedelta(minutes=int(reminder.slot))
        if abs((expected - reminder.due_at).total_seconds()) < 60:
            due.add(reminder.pk)
    return due


def register() -> None:
    reminder_kind_register(
        SESSION_REMINDER_KIND,
        still_due=session_reminders_still_due,
        sync_upcoming=lambda now: reminders_sync_upcoming(now=now),
    )
