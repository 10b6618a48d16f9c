"""Background jobs for the community. They call services and are idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import digest_send_due


@db_periodic_task(crontab(minute="23"))
def send_weekly_digests() -> int:
    """Hourly: each person's summary goes out when their week is up, whenever they chose it."""
    return digest_send_due()
