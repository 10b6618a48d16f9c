from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import signals_escalate_due


@db_periodic_task(crontab(minute="*"))
def escalate_unanswered_signals() -> int:
    """Every minute: move each unanswered urgent signal one step up the ladder when it is due."""
    return signals_escalate_due()
