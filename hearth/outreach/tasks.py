"""Background jobs for outreach. They take ids (or nothing) and call services; all idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import outreach_escalate_overdue, outreach_evaluate_all, outreach_evaluate_person


@db_task()
def evaluate_person(person_id: int) -> int:
    """After a check-in or questionnaire: run the rules for that one participant."""
    return len(outreach_evaluate_person(person_id=person_id))


@db_periodic_task(crontab(minute="7"))
def evaluate_everyone() -> int:
    """Hourly: rules that fire on absence (missed check-ins, sessions, isolation) need a clock."""
    return outreach_evaluate_all()


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue() -> int:
    return outreach_escalate_overdue()
