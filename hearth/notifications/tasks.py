"""Huey jobs for notifications. They take ids and call services; all are idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from .services import deliveries_sweep, delivery_attempt, reminders_send_due, reminders_sync_upcoming


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


@db_periodic_task(crontab(minute="*"))
def send_due_reminders() -> None:
    reminders_send_due()
    deliveries_sweep()


@db_periodic_task(crontab(minute="*/15"))
def sync_upcoming_session_reminders() -> None:
    reminders_sync_upcoming()
