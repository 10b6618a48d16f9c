from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .retention import shred_expired


@db_periodic_task(crontab(hour="3", minute="17"))
def shred_expired_daily() -> dict:
    """Nightly: remove what each program's retention settings say is past keeping (audited)."""
    return shred_expired(dry_run=False)
