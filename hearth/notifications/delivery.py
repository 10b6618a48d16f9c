"""Sending one delivery (an email, SMS or push for a notification) once, safely from any consumer."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .kinds import KINDS, title_for
from .models import Delivery, DeliveryStatus
from .transports import TRANSPORTS, DeliveryError, Outbound

logger = logging.getLogger(__name__)

# A delivery left "sending" this long is taken to have died with its consumer and is tried again.
SENDING_LEASE = datetime.timedelta(minutes=10)
# A delivery still waiting this long after it was due has lost its job; the sweep queues it again.
LOST_JOB_AFTER = datetime.timedelta(minutes=5)


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
