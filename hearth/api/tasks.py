"""Background jobs of the API: FHIR bulk exports, and clearing what has expired. They take ids."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import access_tokens_expired_delete, bulk_export_fail, bulk_export_run, bulk_exports_expired_delete

log = logging.getLogger(__name__)


@db_task()
def bulk_export_run_task(export_id: str) -> str | None:
    try:
        export = bulk_export_run(export_id=export_id)
    except Exception:
        log.exception("bulk export %s failed", export_id)
        bulk_export_fail(export_id=export_id)
        raise
    return str(export.pk) if export is not None else None


@db_periodic_task(crontab(minute="23"))
def api_expired_delete() -> int:
    """Hourly: bulk exports (and their files) past their 24 hours, client access tokens past a day."""
    return bulk_exports_expired_delete() + access_tokens_expired_delete()
