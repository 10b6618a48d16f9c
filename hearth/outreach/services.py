"""Every write of outreach tasks: raising them from the rules, logging attempts, resolving,
escalating overdue ones to the program admin."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.models import Membership, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where

from .models import REACHED, Outcome, OutreachTask, ProgramThresholds, Rule, Status, TaskEvent
from .rules import RULES, RuleContext, thresholds_for

NOTE_MAX = 4000


def _task_url(task: OutreachTask) -> str:
    return reverse("outreach:task_detail", args=[task.pk])


def _participant_memberships(person_ids=None):
    qs = Membership.objects.filter(role=Role.PARTICIPANT, ended_at__isnull=True).select_related(
        "user", "program", "program__outreach_thresholds"
    )
    if person_ids is not None:
        qs = qs.filter(user_id__in=person_ids)
    return qs.order_by("user_id", "pk")


def outreach_evaluate_person(*, person_id: int, now: datetime.datetime | None = None) -> list[OutreachTask]:
    """Run every rule for one participant; raise at most one open task per rule. Idempotent."""
    now = now or timezone.now()
    raised = []
    seen = set()
    for membership in _participant_memberships([person_id]):
        if membership.user_id in seen:
            continue  # one program's rules per person: the earliest active enrolment
        seen.add(membership.user_id)
        raised.extend(_evaluate(membership, now))
    return raised


def outreach_evaluate_all(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    seen = set()
    for membership in _participant_memberships().iterator(chunk_size=500):
        if membership.user_id in seen or not membership.user.is_active:
            continue
        seen.add(membership.user_id)
        count += len(_evaluate(membership, now))
    return count


def _evaluate(membership: Membership, now: datetime.datetime) -> list[OutreachTask]:
    thresholds = thresholds_for(membership.program)
    ctx = RuleContext(membership=membership, now=now, thresholds=thresholds)
    latest = {}
    for task in OutreachTask.objects.filter(person_id=membership.user_id).order_by("rule", "-raised_at"):
        latest.setdefault(task.rule, task)
    raised = []
    for spec in RULES:
        if spec.rule in thresholds.disabled_rules:
            continue
        previous = latest.get(spec.rule)
        if previous is not None and previous.is_open:
            continue
        evidence = spec.check(ctx)
        if evidence is None:
            continue
        if previous is not None and previous.evidence.get("key") == evidence.key:
            continue  # already handled this very occurrence
        task = _raise(membership=membership, spec=spec, evidence=evidence, now=now)
        if task is not None:
            raised.append(task)
    return raised


def _raise(*, membership: Membership, spec, evidence, now) -> OutreachTask | None:
    try:
        with transaction.atomic():
            task = OutreachTask.objects.create(
                person_id=membership.user_id,
                program=membership.program,
                rule=spec.rule,
                urgency=spec.urgency,
                owner_id=membership.primary_clinician_id,
                due_at=now + spec.due,
                evidence={"key": evidence.key, "facts": evidence.facts},
                raised_at=now,
            )
            TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.RAISED, at=now)
            audit_record(
                actor=None,
                action="outreach.task.raised",
                subject=membership.user,
                obj=task,
                data={"rule": spec.rule, "key": evidence.key},
            )
            recipients = [task.owner] if task.owner_id else list(_program_staff(task.program_id, Role.CLINICIAN))
            for recipient in recipients:
                notify(recipient=recipient, kind="outreach.task", url=_task_url(task), urgent=spec.urgency == 0)
    except IntegrityError:
        return None  # another run raised it first: the conditional unique constraint holds
    return task


def _program_staff(program_id: int, role: str):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__program_id=program_id,
            memberships__role=role,
            memberships__ended_at__isnull=True,
            is_active=True,
        )
        .distinct()
    )


def _task_for_update(*, actor, task_id: int) -> OutreachTask:
    task = OutreachTask.objects.select_for_update().select_related("person").filter(pk=task_id).first()
    # The care team is per program: staff of another program of the person may not touch it.
    if task is None or not is_care_team_of(actor, task.person, program_id=task.program_id):
        raise PermissionDenied
    return task


def outreach_task_log(*, actor, task_id: int, outcome: str, note: str = "", now=None) -> OutreachTask:
    """Record an outreach attempt. Reaching the person resolves the task; no answer or a left
    message keeps it open (with the attempt in its history)."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Notes are at most %(max)d characters.") % {"max": NOTE_MAX}})
    now = now or timezone.now()
    with transaction.atomic():
        task = _task_for_update(actor=actor, task_id=task_id)
        if not task.is_open:
            raise ValidationError(_("This task is already resolved."))
        TaskEvent.objects.create(
            task=task, kind=TaskEvent.Kind.ATTEMPT, at=now, actor=actor, outcome=outcome, note=note
        )
        task.outcome = outcome
        if note:
            task.notes = f"{task.notes}\n\n{note}".strip() if task.notes else note
        fields = ["outcome", "notes"]
        if outcome in REACHED:
            task.status = Status.RESOLVED
            task.resolved_at = now
            task.resolved_by = actor
            fields += ["status", "resolved_at", "resolved_by"]
            TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.RESOLVED, at=now, actor=actor, outcome=outcome)
        task.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="outreach.task.resolved" if task.status == Status.RESOLVED else "outreach.task.attempted",
            subject=task.person,
            obj=task,
            data={"outcome": outcome},
        )
    return task


def outreach_escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Open tasks past their due time go to the program's admins, once."""
    now = now or timezone.now()
    count = 0
    overdue = OutreachTask.objects.filter(status=Status.OPEN, due_at__lt=now, escalated_at__isnull=True).values_list(
        "pk", flat=True
    )
    for task_id in list(overdue[:1000]):
        with transaction.atomic():
            task = (
                OutreachTask.objects.select_for_update()
                .select_related("person")
                .filter(pk=task_id, status=Status.OPEN, escalated_at__isnull=True)
                .first()
            )
            if task is None:
                continue
            admins = list(_program_staff(task.program_id, Role.ADMIN).order_by("pk"))
            task.escalated_at = now
            task.escalated_to = admins[0] if admins else None
            task.save(update_fields=["escalated_at", "escalated_to"])
            TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.ESCALATED, at=now, actor=None)
            audit_record(
                actor=None,
                action="outreach.task.escalated",
                subject=task.person,
                obj=task,
                data={"to": [a.pk for a in admins], "due_at": task.due_at.isoformat()},
            )
            for admin in admins:
                notify(recipient=admin, kind="outreach.task", url=_task_url(task), urgent=task.urgency == 0)
            count += 1
    return count


THRESHOLD_LIMITS = {
    "missed_checkins_in_a_row": (1, 14),
    "craving_at_least": (1, 10),
    "isolation_days": (1, 30),
    "missed_session_lookback_days": (1, 30),
}


def outreach_thresholds_set(*, actor, program, disabled_rules=(), **values) -> ProgramThresholds:
    """A program admin sets the program's rule thresholds (and may switch rules off)."""
    if program.pk not in program_ids_where(actor, Role.ADMIN):
        raise PermissionDenied
    errors = {}
    for name, (low, high) in THRESHOLD_LIMITS.items():
        value = values.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
    if any(rule not in Rule.values for rule in disabled_rules):
        errors["disabled_rules"] = _("Unknown rule.")
    elif Rule.PHQ9_ITEM9 in disabled_rules:
        errors["disabled_rules"] = _("The PHQ-9 item 9 rule is part of the safety protocol and cannot be switched off.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        thresholds, _created = ProgramThresholds.objects.update_or_create(
            program=program,
            defaults={**{name: values[name] for name in THRESHOLD_LIMITS}, "disabled_rules": sorted(disabled_rules)},
        )
        audit_record(
            actor=actor,
            action="outreach.thresholds.set",
            obj=thresholds,
            data={**{name: values[name] for name in THRESHOLD_LIMITS}, "disabled_rules": sorted(disabled_rules)},
        )
    return thresholds
