"""Background jobs for scheduling. They take ids (or nothing) and call services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import series_extend_all


@db_periodic_task(crontab(hour="3", minute="17"))
def extend_series_nightly() -> int:
    """Keep every open-ended series written out EXPANSION_HORIZON_DAYS ahead."""
    return series_extend_all()


@db_task()
def extend_series(series_id: int) -> int:
    return series_extend_all(series_ids=[series_id])
