"""Writes of the safety app: raising and escalating signals (the one way intake, check-ins and
messaging say "this person may be at risk"), and the participant's safety plan."""

import datetime
import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import (
    care_team_for,
    care_team_with_role,
    home_program_id_of,
    is_care_team_of,
    primary_clinicians_of,
    program_ids_where,
    programs_of_participant,
)

from .detection import SEVERITY_ORDER, Detection, detect
from .models import (
    MAX_PLAN_CONTACTS,
    AcknowledgeAction,
    SafetyPlan,
    SafetyPlanVersion,
    SafetySignal,
    Severity,
    SignalEvent,
    SignalEventKind,
)
from .phones import phone_normalize

logger = logging.getLogger(__name__)

DEFAULT_ESCALATION_MINUTES = 15


# --- Signals and escalation ----------------------------------------------------------------


def escalation_interval_for(person) -> datetime.timedelta:
    """The shortest escalation interval of the person's programs (the safest when they differ)."""
    minutes = [p.escalation_minutes for p in programs_of_participant(person=person)]
    return datetime.timedelta(minutes=min(minutes) if minutes else DEFAULT_ESCALATION_MINUTES)


def _alert(*, signal, recipients, kind: str, event_kind: str, level: int, at) -> None:
    url = reverse("signal_detail", args=[signal.pk])
    recipients = list(recipients)
    for member in recipients:
        notify(recipient=member, kind=kind, url=url, urgent=signal.severity == Severity.URGENT)
    SignalEvent.objects.create(
        signal=signal, kind=event_kind, at=at, level=level, recipients=sorted(m.pk for m in recipients)
    )


def _of_program(people, program_id: int | None) -> list:
    """Only the care team of the signal's program hears of it (the care team is per program)."""
    people = list(people)
    if program_id is None:
        return people
    return [member for member in people if program_id in program_ids_where(member, *STAFF_ROLES)]


def safety_signal_raise(
    *, person, source: str, severity: str, evidence: str = "", raised_by=None, program=None
) -> SafetySignal:
    """Record the signal and alert at once: an urgent one goes to the primary clinician (every
    channel, quiet hours ignored) and escalates until answered; others go to the care team.
    ``program`` (a program or its id) is where it arose; by default the person's home program.

    Never raises for the person's sake: the caller must not block what the person was doing."""
    if severity not in Severity.values:
        raise ValidationError({"severity": f"Unknown severity {severity!r}"})
    now = timezone.now()
    with transaction.atomic():
        program_id = getattr(program, "pk", program) or home_program_id_of(person)
        signal = SafetySignal.objects.create(
            person=person,
            program_id=program_id,
            source=source,
            severity=severity,
            evidence=evidence,
            raised_by=raised_by,
            raised_at=now,
        )
        SignalEvent.objects.create(signal=signal, kind=SignalEventKind.RAISED, at=now, actor=raised_by)
        audit_record(
            actor=raised_by,
            action="safety.signal.raised",
            subject=person,
            obj=signal,
            data={"source": source, "severity": severity},
        )
        if severity == Severity.LOW:
            return signal  # on the timeline for the care team to read; no alert, no escalation
        if severity == Severity.URGENT:
            recipients = _of_program(primary_clinicians_of(person=person), program_id) or _of_program(
                care_team_for(person=person), program_id
            )
            signal.next_escalation_at = now + escalation_interval_for(person)
            signal.save(update_fields=["next_escalation_at"])
        else:
            recipients = _of_program(care_team_for(person=person), program_id)
        _alert(
            signal=signal,
            recipients=recipients,
            kind="safety.signal",
            event_kind=SignalEventKind.NOTIFIED,
            level=0,
            at=now,
        )
    return signal


def free_text_screen(
    *, person, source: str, texts, raised_by=None, language: str | None = None, alerting_only: bool = False
) -> Detection | None:
    """Read what a person wrote for crisis and relapse language: the most severe finding among
    ``texts`` becomes a signal about ``person`` once the write commits (a ``low`` one goes on the
    timeline without an alert, unless ``alerting_only``). Never blocks or fails the write: a failure
    to raise is logged. Returns the finding so the caller can show the writer crisis resources."""
    found = [d for text in texts if text and (d := detect(text, language=language)) is not None]
    if alerting_only:
        found = [d for d in found if d.raises_signal]
    if not found:
        return None
    worst = min(found, key=lambda d: SEVERITY_ORDER[d.severity])

    def raise_signal():
        try:
            safety_signal_raise(
                person=person, source=source, severity=worst.severity, evidence=worst.evidence, raised_by=raised_by
            )
        except Exception:
            logger.exception("safety: raising a signal from %s failed", source)

    transaction.on_commit(raise_signal)
    return worst


def escalation_recipients(*, signal) -> list:
    """Past the primary clinician: the program's on-call list (its clinicians) and its admins."""
    person = signal.person
    clinicians = _of_program(care_team_with_role(person=person, role=Role.CLINICIAN), signal.program_id)
    admins = [
        a
        for a in _of_program(care_team_with_role(person=person, role=Role.ADMIN), signal.program_id)
        if a not in clinicians
    ]
    return clinicians + admins


def signal_escalate(*, signal_id: int, now: datetime.datetime) -> bool:
    """One escalation step for one signal, if it is still due at ``now``. Idempotent: the step
    moves ``next_escalation_at`` forward, so a second run at the same time does nothing."""
    with transaction.atomic():
        signal = (
            SafetySignal.objects.select_for_update()
            .select_related("person")
            .filter(pk=signal_id, acknowledged_at__isnull=True, next_escalation_at__lte=now)
            .first()
        )
        if signal is None:
            return False
        signal.escalation_level += 1
        signal.next_escalation_at = now + escalation_interval_for(signal.person)
        signal.save(update_fields=["escalation_level", "next_escalation_at"])
        _alert(
            signal=signal,
            recipients=escalation_recipients(signal=signal),
            kind="safety.escalation",
            event_kind=SignalEventKind.ESCALATED,
            level=signal.escalation_level,
            at=now,
        )
        audit_record(
            actor=None,
            action="safety.signal.escalated",
            subject=signal.person,
            obj=signal,
            data={"level": signal.escalation_level},
        )
    return True


def signals_escalate_due(*, now: datetime.datetime | None = None) -> int:
    """Escalate every unanswered signal whose next step is due; run every minute. Returns how many."""
    now = now or timezone.now()
    due = SafetySignal.objects.filter(acknowledged_at__isnull=True, next_escalation_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(signal_escalate(signal_id=pk, now=now) for pk in list(due))


def safety_signal_acknowledge(
    *, actor, signal: SafetySignal, action: str = AcknowledgeAction.REACHED_PERSON, note: str = ""
) -> SafetySignal:
    """Someone on the care team answers the alert: who, when and what they did. Stops escalation."""
    if not is_care_team_of(actor, signal.person, program_id=signal.program_id):
        raise PermissionDenied
    if action not in AcknowledgeAction.values:
        raise ValidationError({"action": _("Choose what you did.")})
    note = note.strip()
    if action == AcknowledgeAction.OTHER and not note:
        raise ValidationError({"note": _("Say briefly what you did.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    with transaction.atomic():
        signal = SafetySignal.objects.select_for_update().get(pk=signal.pk)
        if signal.acknowledged_at is not None:
            raise ValidationError(_("This signal was already acknowledged."))
        now = timezone.now()
        signal.acknowledged_at = now
        signal.acknowledged_by = actor
        signal.acknowledged_action = action
        signal.next_escalation_at = None
        signal.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_action", "next_escalation_at"])
        SignalEvent.objects.create(
            signal=signal, kind=SignalEventKind.ACKNOWLEDGED, at=now, actor=actor, action=action, note=note
        )
        audit_record(
            actor=actor, action="safety.signal.acknowledged", subject=signal.person, obj=signal, data={"action": action}
        )
    return signal


# --- Safety plan ---------------------------------------------------------------------------

PLAN_TEXT_FIELDS = (
    "warning_signs",
    "coping_strategies",
    "distractions",
    "professionals",
    "environment",
    "reasons_for_living",
)
MAX_SECTION_CHARS = 4000


def may_edit_plan(actor, person) -> bool:
    """The participant and their care team draft the plan together; nobody else writes it."""
    return actor.is_authenticated and (actor.pk == person.pk or is_care_team_of(actor, person))


def current_version_number(person) -> int:
    latest = SafetyPlanVersion.objects.filter(plan__person=person).order_by("-number").values_list("number", flat=True)
    return latest.first() or 0


def safety_plan_save(
    *, actor, person, based_on: int, sections: dict[str, str], contacts: list[dict]
) -> SafetyPlanVersion:
    """Save a new version of the person's plan. ``based_on`` is the version the editor started
    from: if someone saved since, nothing is written and the editor is told (their text stays in
    the form)."""
    if not may_edit_plan(actor, person):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    clean = {}
    for name in PLAN_TEXT_FIELDS:
        text = (sections.get(name) or "").strip()
        if len(text) > MAX_SECTION_CHARS:
            errors[name] = [_("Keep this part under 4,000 characters.")]
        clean[name] = text
    if len(contacts) > MAX_PLAN_CONTACTS:
        errors["contacts"] = [_("A plan holds up to %(max)d people to ask for help.") % {"max": MAX_PLAN_CONTACTS}]
    people = []
    for contact in contacts[:MAX_PLAN_CONTACTS]:
        name = (contact.get("name") or "").strip()[:100]
        if not name:
            errors.setdefault("contacts", []).append(_("Give each person a name."))
            continue
        try:
            phone = phone_normalize(contact.get("phone") or "")
        except ValidationError as exc:
            errors.setdefault("contacts", []).append(f"{name}: {exc.messages[0]}")
            continue
        people.append({"name": name, "phone": phone})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan, _created = SafetyPlan.objects.select_for_update().get_or_create(person=person)
        latest = current_version_number(person)
        if based_on != latest:
            raise ValidationError(
                _(
                    "Someone saved this plan while you were editing it. Your changes are still in the "
                    "form below: look at the newest version, then save again."
                ),
                code="stale",
            )
        version = SafetyPlanVersion.objects.create(
            plan=plan, number=latest + 1, contacts=json.dumps(people), saved_by=actor, **clean
        )
        audit_record(
            actor=actor,
            action="safety.plan.saved",
            subject=person,
            obj=version,
            data={"version": version.number, "contacts": len(people)},
        )
        if actor.pk == person.pk:
            url = reverse("safety_plan", args=[person.pk])
            for clinician in primary_clinicians_of(person=person):
                notify(recipient=clinician, kind="safety.plan_review", url=url)
    return version


def safety_plan_review(*, actor, person, number: int) -> SafetyPlanVersion:
    """A clinician of the care team marks the version they read as reviewed."""
    if not is_care_team_of(actor, person):
        raise PermissionDenied
    with transaction.atomic():
        version = SafetyPlanVersion.objects.select_for_update().filter(plan__person=person).order_by("-number").first()
        if version is None:
            raise ValidationError(_("There is no safety plan to review yet."))
        if version.number != number:
            raise ValidationError(
                _("The plan changed since you opened it. Read the newest version, then mark it reviewed."),
                code="stale",
            )
        version.reviewed_at = timezone.now()
        version.reviewed_by = actor
        version.save(update_fields=["reviewed_at", "reviewed_by"])
        audit_record(
            actor=actor, action="safety.plan.reviewed", subject=person, obj=version, data={"version": version.number}
        )
    return version
