"""Periodic Huey jobs for notifications. They call services; all are idempotent. The jobs that
send one delivery live in ``queue``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .queue import deliver, deliver_many, deliveries_sweep
from .reminders import reminders_send_due, reminders_sync_upcoming

__all__ = ["deliver", "deliver_many", "send_due_reminders", "sync_upcoming_reminders"]


@db_periodic_task(crontab(minute="*"))
def send_due_reminders() -> None:
    reminders_send_due()
    deliveries_sweep()


@db_periodic_task(crontab(minute="*/15"))
def sync_upcoming_reminders() -> None:
    """Reminders no hook reported (series expansion, roster changes): each kind's own catch-up."""
    reminders_sync_upcoming()
