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
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record

from .kinds import DEFAULT_CHANNELS, GROUPS, group_for, title_for
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
from .queue import enqueue_deliveries, enqueue_delivery
from .transports import TRANSPORTS

logger = logging.getLogger(__name__)

UTC = datetime.UTC


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


def notify(
    *, recipient, kind: str, url: str = "", urgent: bool = False, text: Callable[[], str] | None = None
) -> Notification:
    """Store an in-app notification in the recipient's language, push the new unread count, and
    queue one delivery job per outbound channel the recipient wants. Outside quiet hours the jobs
    run at once; inside them they wait for the end (urgent alerts never wait).

    ``text`` says what happened, for the list in Hearth only; the app that notifies writes it (this
    mechanism knows no messages or sessions) and it is called in the recipient's language. The
    channels that leave Hearth keep the kind's generic title."""
    group = group_for(kind)
    with translation.override(recipient.language or "en"):
        title = title_for(kind)
        said = str(text())[: Notification._meta.get_field("text").max_length] if text is not None else ""
    now = timezone.now()
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title, text=said, url=url, urgent=urgent, created_at=now
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
    if urgent:
        # Open pages show an urgent alert at once, with the kind's generic words and its link.
        transaction.on_commit(lambda: publish_urgent(recipient.pk, notification))
    return notification


def publish_urgent(user_id: int, notification: Notification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    with translation.override(notification.recipient.language or "en"):
        title = notification.generic_title
    try:
        async_to_sync(layer.group_send)(
            user_group(user_id), {"type": "notification.urgent", "title": title, "url": notification.url}
        )
    except Exception:
        logger.warning("Could not publish an urgent alert", exc_info=True)


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


# --- The daily check-in reminder (a time the person chose in their settings) -----------------

CHECKIN_REMINDER_KIND = "checkins.reminder"


def checkin_reminder_schedule(*, person, now: datetime.datetime | None = None) -> Reminder | None:
    """The person's next daily check-in reminder at their chosen local time (DST-correct), or
    none when they have not chosen one. Replaces any other unsent one."""
    now = now or timezone.now()
    prefs = settings_for(person)
    source_type = ContentType.objects.get_for_model(person)
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
