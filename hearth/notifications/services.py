"""``notify`` is the one way any part of Hearth tells a person something.

It stores the in-app notification, pushes the unread count, and for every outbound channel the
person wants (email, SMS, web push) writes one Delivery row and queues one job on commit. Jobs
take the delivery id and are idempotent. Reminders (before sessions, the daily check-in) are rows
sent by a job every minute; they too end in ``notify``.
"""

import base64
import binascii
import contextlib
import datetime
import logging
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record

from .kinds import DEFAULT_CHANNELS, GROUPS, KINDS, check_kind, group_for, title_for
from .models import (
    OUTBOUND_CHANNELS,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationSettings,
    PushSubscription,
    Reminder,
)
from .transports import TRANSPORTS, DeliveryError, Outbound

logger = logging.getLogger(__name__)

UTC = datetime.UTC
SESSION_REMINDER_KIND = "scheduling.reminder"
CHECKIN_REMINDER_KIND = "checkins.reminder"
# A delivery left "sending" this long is taken to have died with its consumer and is tried again.
SENDING_LEASE = datetime.timedelta(minutes=10)
# A delivery still waiting this long after it was due has lost its job; the sweep queues it again.
LOST_JOB_AFTER = datetime.timedelta(minutes=5)


def user_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"


# --- Preferences and quiet hours -----------------------------------------------------------


def settings_for(person) -> NotificationSettings:
    """The person's settings row, or an unsaved one with the defaults."""
    try:
        return person.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(person=person)


def channel_choices_for(person) -> dict[str, dict[str, tuple[bool, bool]]]:
    """group -> channel -> (enabled, chosen explicitly) for the outbound channels."""
    rows = {(p.group, p.channel): p.enabled for p in person.channel_preferences.all()}
    return {
        group: {
            channel: (rows[(group, channel)], True) if (group, channel) in rows else (DEFAULT_CHANNELS[channel], False)
            for channel in OUTBOUND_CHANNELS
        }
        for group in GROUPS
    }


def person_zone(person) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(person.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_to_utc(day: datetime.date, at: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A wall-clock time on a local date as a UTC instant. A time that does not exist (the hour
    skipped in spring) lands just after the gap; an ambiguous one (autumn) takes the first."""
    return datetime.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def quiet_until(person, now: datetime.datetime, prefs: NotificationSettings | None = None) -> datetime.datetime | None:
    """When the person's quiet hours end, if ``now`` is inside them; None otherwise."""
    prefs = prefs or settings_for(person)
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return None
    tz = person_zone(person)
    local = now.astimezone(tz)
    at = local.time().replace(tzinfo=None)
    if start < end:  # e.g. 13:00-15:00
        if not start <= at < end:
            return None
        end_day = local.date()
    else:  # over midnight, e.g. 21:00-07:00
        if end <= at < start:
            return None
        end_day = local.date() + datetime.timedelta(days=1) if at >= start else local.date()
    return local_to_utc(end_day, end, tz)


def preferences_update(
    *,
    actor,
    choices: dict[tuple[str, str], bool],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    sms_number: str = "",
    checkin_reminder_time: datetime.time | None = None,
) -> NotificationSettings:
    """Save the actor's own channel choices, quiet hours, SMS number and daily check-in time."""
    for group, channel in choices:
        if group not in GROUPS or channel not in OUTBOUND_CHANNELS:
            raise ValidationError(_("Unknown notification setting."))
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("Give both the start and the end of your quiet hours, or neither."))
    with transaction.atomic():
        prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(person=actor)
        prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
        prefs.sms_number = sms_number
        prefs.checkin_reminder_time = checkin_reminder_time
        prefs.updated_at = timezone.now()
        prefs.full_clean(exclude=["person"])
        prefs.save()
        for (group, channel), enabled in choices.items():
            ChannelPreference.objects.update_or_create(
                person=actor, group=group, channel=channel, defaults={"enabled": enabled}
            )
        actor.notification_settings = prefs
        checkin_reminder_schedule(person=actor)
        audit_record(actor=actor, action="notifications.preferences.updated", subject=actor, obj=prefs)
    return prefs


# --- notify and deliveries -----------------------------------------------------------------


def notify(*, recipient, kind: str, url: str = "", urgent: bool = False) -> Notification:
    """Store an in-app notification in the recipient's language, push the new unread count, and
    queue one delivery job per outbound channel the recipient wants. Outside quiet hours the jobs
    run at once; inside them they wait for the end (urgent alerts never wait)."""
    group = group_for(kind)
    with translation.override(recipient.language or "en"):
        title = title_for(kind)
    now = timezone.now()
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title, url=url, urgent=urgent, created_at=now
    )
    prefs = settings_for(recipient)
    hold = None if urgent else quiet_until(recipient, now, prefs)
    deliveries = []
    for channel, (enabled, explicit) in channel_choices_for(recipient)[group].items():
        transport = TRANSPORTS[channel]
        if not enabled or not transport.configured():
            continue
        reason = transport.unreachable(recipient)
        if reason and not explicit:
            continue  # a default the person never turned on and cannot use: nothing to record
        deliveries.append(
            Delivery(
                notification=notification,
                channel=channel,
                status=DeliveryStatus.SKIPPED if reason else DeliveryStatus.PENDING,
                last_error=reason,
                not_before=hold,
                created_at=now,
                updated_at=now,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    batch = getattr(_batch, "current", None)
    for delivery in deliveries:
        if delivery.status != DeliveryStatus.PENDING:
            continue
        if batch is not None and hold is None:
            batch.deliveries.append(delivery.pk)
        else:
            transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk, eta=hold))
    if batch is not None:
        batch.badges.add(recipient.pk)
    else:
        transaction.on_commit(lambda: publish_unread_count(recipient.pk))
    return notification


@dataclass
class _Batch:
    deliveries: list[int]
    badges: set[int]


_batch = threading.local()
DELIVERIES_PER_JOB = 25


@contextlib.contextmanager
def notifications_batched():
    """Inside an atomic block that notifies many people (the reminder job): on commit, queue the
    deliveries a few dozen to a job and publish each recipient's unread count once. Queueing is
    the slow part on SQLite (one synced write per job)."""
    if getattr(_batch, "current", None) is not None:
        yield
        return
    _batch.current = batch = _Batch(deliveries=[], badges=set())
    try:
        yield
    finally:
        _batch.current = None
    for start in range(0, len(batch.deliveries), DELIVERIES_PER_JOB):
        chunk = batch.deliveries[start : start + DELIVERIES_PER_JOB]
        transaction.on_commit(lambda chunk=chunk: enqueue_deliveries(chunk))
    for user_id in batch.badges:
        transaction.on_commit(lambda user_id=user_id: publish_unread_count(user_id))


def enqueue_delivery(delivery_id: int, eta: datetime.datetime | None = None) -> None:
    from .tasks import deliver

    if eta is not None and eta > timezone.now():
        deliver.schedule(args=(delivery_id,), eta=eta)
    else:
        deliver(delivery_id)


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    from .tasks import deliver_many

    deliver_many(delivery_ids)


def absolute_url(url: str) -> str:
    if not url:
        return settings.SITE_URL + "/notifications/"
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: base, 2×base, 4×base… capped at an hour."""
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600)


@dataclass(frozen=True)
class Attempt:
    outcome: str  # sent, retry, failed, skipped, done (already finished), busy, wait, gone
    retry_at: datetime.datetime | None = None


def delivery_attempt(*, delivery_id: int) -> Attempt:
    """Try one delivery once. Safe to call any number of times, from any number of consumers:
    the row is claimed under a lock, and a finished delivery is never sent again."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return Attempt("gone")
        if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED):
            return Attempt("done")
        if delivery.status == DeliveryStatus.SENDING and delivery.updated_at > now - SENDING_LEASE:
            return Attempt("busy")
        if delivery.not_before is not None and delivery.not_before > now:
            return Attempt("wait", retry_at=delivery.not_before)
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.updated_at = now
        delivery.save(update_fields=["status", "attempts", "updated_at"])
    notification = delivery.notification
    person = notification.recipient
    transport = TRANSPORTS.get(delivery.channel)
    fields = {"updated_at": timezone.now()}
    result = Attempt("sent")
    try:
        if transport is None or not transport.configured():
            raise DeliveryError(f"channel {delivery.channel} is not set up", retry=False)
        reason = transport.unreachable(person)
        if reason:
            fields.update(status=DeliveryStatus.SKIPPED, last_error=reason)
            result = Attempt("skipped")
        else:
            with translation.override(person.language or "en"):
                outbound = Outbound(
                    kind=notification.kind,
                    title=title_for(notification.kind) if notification.kind in KINDS else notification.title,
                    url=absolute_url(notification.url),
                    language=person.language or "en",
                )
                transport.send(person, outbound)
            fields.update(status=DeliveryStatus.SENT, sent_at=fields["updated_at"], last_error="")
    except Exception as exc:
        retry = exc.retry if isinstance(exc, DeliveryError) else True
        message = str(exc) if isinstance(exc, DeliveryError) else f"{delivery.channel}: {type(exc).__name__}"
        if not isinstance(exc, DeliveryError):
            logger.exception("Delivery %s: transport error", delivery.pk)
        if retry and delivery.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            retry_at = fields["updated_at"] + datetime.timedelta(seconds=retry_delay(delivery.attempts))
            fields.update(status=DeliveryStatus.PENDING, last_error=message[:300], not_before=retry_at)
            result = Attempt("retry", retry_at=retry_at)
        else:
            fields.update(status=DeliveryStatus.FAILED, last_error=message[:300])
            result = Attempt("failed")
            logger.warning("Delivery %s failed after %s attempts", delivery.pk, delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**fields)
    return result


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again deliveries whose job was lost (a consumer killed mid-send, a queue wiped).
    Returns how many were queued."""
    now = now or timezone.now()
    stale_sending = Q(status=DeliveryStatus.SENDING, updated_at__lt=now - SENDING_LEASE)
    lost_pending = Q(status=DeliveryStatus.PENDING, updated_at__lt=now - LOST_JOB_AFTER) & (
        Q(not_before__isnull=True) | Q(not_before__lt=now - LOST_JOB_AFTER)
    )
    ids = list(Delivery.objects.filter(stale_sending | lost_pending).values_list("pk", flat=True)[:1000])
    if ids:
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, updated_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(ids)


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def publish_unread_count(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            user_group(user_id), {"type": "notification.unread", "count": unread_count(user_id)}
        )
    except Exception:
        logger.warning("Could not publish the unread count", exc_info=True)


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all, or the given ids)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = unread.update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: publish_unread_count(actor.pk))
    return count


# --- Web push subscriptions ----------------------------------------------------------------


def _b64url_bytes(value, field: str) -> bytes:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValidationError({field: _("This browser sent a subscription Hearth cannot use.")})
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError({field: _("This browser sent a subscription Hearth cannot use.")}) from None


def push_endpoint_allowed(endpoint: str) -> bool:
    """Only the push services browsers use (the server POSTs to this URL: no arbitrary hosts)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme == "http" and settings.WEBPUSH_ALLOW_LOOPBACK_HTTP and host in ("127.0.0.1", "localhost"):
        return True
    if parts.scheme != "https" or not host:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in settings.WEBPUSH_ALLOWED_HOSTS)


def push_subscription_save(*, actor, subscription: dict, user_agent: str = "") -> PushSubscription:
    """Store (or move to the actor) a browser's subscription, after checking its shape."""
    if not isinstance(subscription, dict):
        raise ValidationError(_("This browser sent a subscription Hearth cannot use."))
    endpoint = subscription.get("endpoint")
    keys = subscription.get("keys") if isinstance(subscription.get("keys"), dict) else {}
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not push_endpoint_allowed(endpoint):
        raise ValidationError({"endpoint": _("This browser's push service is not one Hearth can use.")})
    p256dh = _b64url_bytes(keys.get("p256dh"), "p256dh")
    auth = _b64url_bytes(keys.get("auth"), "auth")
    if len(p256dh) != 65 or p256dh[0] != 4 or len(auth) < 16:
        raise ValidationError(_("This browser sent a subscription Hearth cannot use."))
    with transaction.atomic():
        saved, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "person": actor,
                "p256dh": keys["p256dh"],
                "auth": keys["auth"],
                "user_agent": (user_agent or "")[:200],
            },
        )
        audit_record(actor=actor, action="notifications.push_subscription.saved", subject=actor, obj=saved)
    return saved


def push_subscription_delete(*, actor, endpoint: str) -> int:
    with transaction.atomic():
        deleted, _detail = PushSubscription.objects.filter(person=actor, endpoint=endpoint).delete()
        if deleted:
            audit_record(actor=actor, action="notifications.push_subscription.deleted", subject=actor)
    return deleted


# --- Reminders -----------------------------------------------------------------------------

# kind -> callable(reminder) -> bool: is the reminder still worth sending? An app registers one
# in its AppConfig.ready (the check-ins app: "not yet checked in today").
_still_needed: dict[str, Callable[[Reminder], bool]] = {}


def reminder_check_register(kind: str, still_needed: Callable[[Reminder], bool]) -> None:
    check_kind(kind)
    _still_needed[kind] = still_needed


def _occurrence_type():
    from hearth.scheduling.models import Occurrence

    return ContentType.objects.get_for_model(Occurrence)


def _session_people(occurrence) -> set[int]:
    """Whom a session reminds: the roster, its hosts, and anyone who said they are going (events)."""
    from hearth.scheduling.models import RSVP, RSVPStatus
    from hearth.scheduling.selectors import hosts_for_occurrence, roster_for_occurrence

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
    from django.urls import reverse

    now = now or timezone.now()
    source_type = _occurrence_type()
    existing = {
        (r.person_id, r.slot): r
        for r in Reminder.objects.filter(source_type=source_type, source_id=occurrence.pk, kind=SESSION_REMINDER_KIND)
    }
    wanted: dict[tuple[int, str], datetime.datetime] = {}
    if occurrence.cancelled_at is None and occurrence.starts_at > now:
        for person_id in _session_people(occurrence):
            for minutes in settings.SESSION_REMINDER_MINUTES:
                due = occurrence.starts_at - datetime.timedelta(minutes=minutes)
                if due > now:
                    wanted[(person_id, str(minutes))] = due
    url = reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    to_create, to_update, to_cancel = [], [], []
    for key, due in wanted.items():
        reminder = existing.get(key)
        if reminder is None:
            to_create.append(
                Reminder(
                    person_id=key[0],
                    kind=SESSION_REMINDER_KIND,
                    due_at=due,
                    source_type=source_type,
                    source_id=occurrence.pk,
                    slot=key[1],
                    url=url,
                )
            )
        elif reminder.due_at != due or reminder.cancelled_at is not None:
            # Moved (or back on): the reminder follows, and fires again if it had already fired.
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


def reminders_sync_upcoming(*, now: datetime.datetime | None = None, hours: int | None = None) -> int:
    """Sync every occurrence starting within the longest reminder offset (plus a margin). Catches
    what no hook reported: occurrences written by series expansion, roster changes through cohorts."""
    from hearth.scheduling.models import Occurrence

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


def checkin_reminder_schedule(*, person, now: datetime.datetime | None = None) -> Reminder | None:
    """The person's next daily check-in reminder at their chosen local time (DST-correct), or
    none when they have not chosen one. Replaces any other unsent one."""
    now = now or timezone.now()
    prefs = settings_for(person)
    from hearth.accounts.models import User

    source_type = ContentType.objects.get_for_model(User)
    pending = Reminder.objects.filter(
        person=person, kind=CHECKIN_REMINDER_KIND, sent_at__isnull=True, cancelled_at__isnull=True
    )
    if prefs.checkin_reminder_time is None:
        pending.update(cancelled_at=now)
        return None
    tz = person_zone(person)
    day = now.astimezone(tz).date()
    due = local_to_utc(day, prefs.checkin_reminder_time, tz)
    if due <= now:
        day += datetime.timedelta(days=1)
        due = local_to_utc(day, prefs.checkin_reminder_time, tz)
    slot = day.isoformat()
    pending.exclude(slot=slot).update(cancelled_at=now)
    reminder, _created = Reminder.objects.update_or_create(
        person=person,
        kind=CHECKIN_REMINDER_KIND,
        source_type=source_type,
        source_id=person.pk,
        slot=slot,
        defaults={"due_at": due, "cancelled_at": None, "url": _checkin_url()},
    )
    return reminder


def _checkin_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("checkins:checkin")
    except NoReverseMatch:
        return "/"


def _skip_locked(queryset):
    """Two consumers draining reminders never take the same row: on PostgreSQL each skips rows
    another holds; SQLite runs one writer at a time (BEGIN IMMEDIATE), which gives the same."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def _session_reminder_current(reminder: Reminder, occurrences: dict) -> bool:
    occurrence = occurrences.get(reminder.source_id)
    if occurrence is None or occurrence.cancelled_at is not None:
        return False
    expected = occurrence.starts_at - datetime.timedelta(minutes=int(reminder.slot))
    return abs((expected - reminder.due_at).total_seconds()) < 60


def reminders_send_due(*, now: datetime.datetime | None = None, batch: int = 200, limit: int | None = None) -> int:
    """Send every reminder due by ``now`` (through ``notify``). Each is marked sent in the same
    transaction that creates its notification, so a reminder is sent at most once. Returns how
    many were sent."""
    from hearth.scheduling.models import Occurrence

    sent = 0
    occurrence_type = None
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
            occurrence_type = occurrence_type or _occurrence_type()
            occurrence_ids = [r.source_id for r in rows if r.source_type_id == occurrence_type.pk]
            occurrences = Occurrence.objects.in_bulk(occurrence_ids) if occurrence_ids else {}
            done, dropped, follow_up = [], [], []
            for reminder in rows:
                if reminder.kind == CHECKIN_REMINDER_KIND and reminder.person.is_active:
                    follow_up.append(reminder.person)  # tomorrow's, whether today's is sent or not
                if not _reminder_still_due(reminder, occurrences, occurrence_type):
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


def _reminder_still_due(reminder: Reminder, occurrences: dict, occurrence_type) -> bool:
    if reminder.kind not in KINDS or not reminder.person.is_active:
        logger.warning("Reminder %s dropped: unknown kind or inactive person", reminder.pk)
        return False
    if reminder.source_type_id == occurrence_type.pk and not _session_reminder_current(reminder, occurrences):
        return False
    check = _still_needed.get(reminder.kind)
    if check is not None:
        try:
            return bool(check(reminder))
        except Exception:
            logger.exception("Reminder %s: still-needed check failed; sending anyway", reminder.pk)
    return True
