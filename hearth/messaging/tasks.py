"""Background jobs for messaging. They take ids and call services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import unread_notices_send


@db_periodic_task(crontab(minute="*"))
def unread_notices() -> int:
    return unread_notices_send()
