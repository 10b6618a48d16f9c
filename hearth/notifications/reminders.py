"""Reminders: rows due at a time, sent by a job every minute through ``notify``.

Notifications stores and sends them and knows no feature. The app that owns a kind of reminder
registers it (``reminder_kind_register``): which of a batch of due reminders are still worth
sending (a session that moved, a check-in already done), and a catch-up that writes what no hook
reported. Scheduling owns session reminders; check-ins owns the daily check-in's "still needed".
The daily check-in reminder itself is a per-person daily time kept in notification settings, so
its schedule lives in ``services`` beside those settings."""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from .kinds import KINDS, check_kind
from .models import Reminder
from .services import CHECKIN_REMINDER_KIND, checkin_reminder_schedule, notifications_batched, notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderKind:
    kind: str
    # Given due reminders of this kind, the ids of those still worth sending (the rest are dropped).
    still_due: Callable[[list[Reminder]], set[int]] | None = None
    # A periodic catch-up (every 15 minutes): make this kind's upcoming reminders right.
    sync_upcoming: Callable[[datetime.datetime], int] | None = None


_kinds: dict[str, ReminderKind] = {}


def reminder_kind_register(kind: str, *, still_due=None, sync_upcoming=None) -> None:
    check_kind(kind)
    _kinds[kind] = ReminderKind(kind=kind, still_due=still_due, sync_upcoming=sync_upcoming)


def reminders_replace(
    *,
    kind: str,
    source,
    wanted: dict[tuple[int, str], datetime.datetime],
    url: str,
    now: datetime.datetime | None = None,
) -> None:
    """Make the reminders of ``kind`` about ``source`` exactly ``wanted`` ({(person id, slot): due}):
    new ones created, moved ones follow (and fire again if they had fired), the rest cancelled.
    Idempotent."""
    now = now or timezone.now()
    source_type = ContentType.objects.get_for_model(source)
    existing = {
        (r.person_id, r.slot): r
        for r in Reminder.objects.filter(source_type=source_type, source_id=source.pk, kind=kind)
    }
    to_create, to_update, to_cancel = [], [], []
    for key, due in wanted.items():
        reminder = existing.get(key)
        if reminder is None:
            to_create.append(
                Reminder(
                    person_id=key[0],
                    kind=kind,
                    due_at=due,
                    source_type=source_type,
                    source_id=source.pk,
                    slot=key[1],
                    url=url,
                )
            )
        elif reminder.due_at != due or reminder.cancelled_at is not None:
            reminder.due_at, reminder.sent_at, reminder.cancelled_at = due, None, None
            to_update.append(reminder)
    for key, reminder in existing.items():
        if key not in wanted and reminder.sent_at is None and reminder.cancelled_at is None:
            to_cancel.append(reminder.pk)
    with transaction.atomic():
        Reminder.objects.bulk_create(to_create, ignore_conflicts=True)
        Reminder.objects.bulk_update(to_update, ["due_at", "sent_at", "cancelled_at"])
        if to_cancel:
            Reminder.objects.filter(pk__in=to_cancel, sent_at__isnull=True).update(cancelled_at=now)


def reminders_sync_upcoming(*, now: datetime.datetime | None = None) -> int:
    """Run every registered kind's catch-up. Returns how many sources were synced."""
    now = now or timezone.now()
    return sum(kind.sync_upcoming(now) for kind in _kinds.values() if kind.sync_upcoming is not None)


def _skip_locked(queryset):
    """Two consumers draining reminders never take the same row: on PostgreSQL each skips rows
    another holds; SQLite runs one writer at a time (BEGIN IMMEDIATE), which gives the same."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def _still_due_ids(rows: Iterable[Reminder]) -> set[int]:
    by_kind: dict[str, list[Reminder]] = {}
    for reminder in rows:
        if reminder.kind not in KINDS or not reminder.person.is_active:
            logger.warning("Reminder %s dropped: unknown kind or inactive person", reminder.pk)
            continue
        by_kind.setdefault(reminder.kind, []).append(reminder)
    due: set[int] = set()
    for kind, reminders in by_kind.items():
        registered = _kinds.get(kind)
        if registered is None or registered.still_due is None:
            due |= {r.pk for r in reminders}
            continue
        try:
            due |= registered.still_due(reminders)
        except Exception:
            logger.exception("Reminders of kind %s: still-due check failed; sending anyway", kind)
            due |= {r.pk for r in reminders}
    return due


def reminders_send_due(*, now: datetime.datetime | None = None, batch: int = 200, limit: int | None = None) -> int:
    """Send every reminder due by ``now`` (through ``notify``). Each is marked sent in the same
    transaction that creates its notification, so a reminder is sent at most once. Returns how
    many were sent."""
    sent = 0
    while limit is None or sent < limit:
        at = now or timezone.now()
        with transaction.atomic(), notifications_batched():
            rows = list(
                _skip_locked(
                    Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=at)
                    .select_related("person", "person__notification_settings")
                    .order_by("due_at", "pk")
                )[:batch]
            )
            prefetch_related_objects([r.person for r in rows], "channel_preferences", "push_subscriptions")
            if not rows:
                break
            still_due = _still_due_ids(rows)
            done, dropped, follow_up = [], [], []
            for reminder in rows:
                if reminder.kind == CHECKIN_REMINDER_KIND and reminder.person.is_active:
                    follow_up.append(reminder.person)  # tomorrow's, whether today's is sent or not
                if reminder.pk not in still_due:
                    dropped.append(reminder.pk)
                    continue
                reminder.notification = notify(recipient=reminder.person, kind=reminder.kind, url=reminder.url)
                reminder.sent_at = at
                done.append(reminder)
            Reminder.objects.bulk_update(done, ["sent_at", "notification"])
            if dropped:
                Reminder.objects.filter(pk__in=dropped).update(cancelled_at=at)
            for person in follow_up:
                checkin_reminder_schedule(person=person, now=at)
            sent += len(done)
    return sent
