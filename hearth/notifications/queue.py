"""The delivery queue: the Huey jobs that send deliveries, and the ways to put deliveries on it.

Below ``services`` (which queues on commit) and beside ``tasks`` (the periodic jobs), so neither
imports the other in a circle."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey.contrib.djhuey import db_task
from huey.exceptions import RetryTask

from .delivery import LOST_JOB_AFTER, SENDING_LEASE, delivery_attempt
from .models import Delivery, DeliveryStatus


@db_task()
def deliver(delivery_id: int) -> str:
    """Send one delivery. A failure that may pass is tried again later with a growing delay
    (the delivery row counts attempts and holds the next time); after the last, it is failed."""
    attempt = delivery_attempt(delivery_id=delivery_id)
    if attempt.retry_at is not None:
        raise RetryTask(eta=attempt.retry_at)
    return attempt.outcome


@db_task()
def deliver_many(delivery_ids: list[int]) -> int:
    """Several deliveries in one job (queued by the reminder job). One that should be tried again
    goes on as its own ``deliver`` job at its retry time. Returns how many were sent."""
    sent = 0
    for delivery_id in delivery_ids:
        attempt = delivery_attempt(delivery_id=delivery_id)
        sent += attempt.outcome == "sent"
        if attempt.retry_at is not None:
            deliver.schedule(args=(delivery_id,), eta=attempt.retry_at)
    return sent


def enqueue_delivery(delivery_id: int, eta: datetime.datetime | None = None) -> None:
    if eta is not None and eta > timezone.now():
        deliver.schedule(args=(delivery_id,), eta=eta)
    else:
        deliver(delivery_id)


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    deliver_many(delivery_ids)


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
