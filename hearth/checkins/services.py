"""Every write of check-ins and questionnaires. Reported use, crisis words and a positive PHQ-9
item 9 raise signals through the safety service; outreach rules run after commit."""

import datetime
import decimal
import zoneinfo
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.programs.models import Role
from hearth.programs.selectors import home_program_id_of, is_care_team_of, program_ids_where
from hearth.safety.detection import detect
from hearth.safety.models import Severity
from hearth.safety.services import safety_signal_raise

from .coping import coping_choices
from .measures import measure_for, score
from .models import (
    CRAVING_RANGE,
    MOOD_RANGE,
    SLEEP_HOURS_MAX,
    CheckIn,
    Connection,
    MeasureResponse,
    MeasureSchedule,
    SleepQuality,
    Trigger,
)

# A late check-in for a recent day is allowed (a night shift, a forgotten evening); older is not.
BACKFILL_DAYS = 2


def local_today(person, now: datetime.datetime | None = None) -> datetime.date:
    try:
        tz = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return (now or timezone.now()).astimezone(tz).date()


# Apps above check-ins that act on a new answer register a callback taking the person's id
# (outreach re-runs its rules for that person); check-ins knows none of them.
_answer_callbacks: list[Callable[[int], object]] = []


def on_answer_register(callback: Callable[[int], object]) -> None:
    if callback not in _answer_callbacks:
        _answer_callbacks.append(callback)


def _after_answer(person_id: int) -> None:
    for callback in _answer_callbacks:
        callback(person_id)


def _validate(*, mood, craving, sleep_hours, sleep_quality, used, used_what, triggers, connections, coping=()) -> dict:
    errors: dict[str, str] = {}
    if not isinstance(mood, int) or not MOOD_RANGE[0] <= mood <= MOOD_RANGE[1]:
        errors["mood"] = _("Mood is a number from 1 to 10.")
    if not isinstance(craving, int) or not CRAVING_RANGE[0] <= craving <= CRAVING_RANGE[1]:
        errors["craving"] = _("Craving is a number from 0 to 10.")
    try:
        hours = decimal.Decimal(str(sleep_hours)).quantize(decimal.Decimal("0.1"))
    except (decimal.InvalidOperation, ValueError):
        hours = None
    if hours is None or not 0 <= hours <= SLEEP_HOURS_MAX:
        errors["sleep_hours"] = _("Hours of sleep are between 0 and 24.")
    if sleep_quality not in SleepQuality.values:
        errors["sleep_quality"] = _("Choose how well you slept.")
    if any(t not in Trigger.values for t in triggers):
        errors["triggers"] = _("Choose triggers from the list.")
    if any(c not in Connection.values for c in connections):
        errors["connections"] = _("Choose from the list.")
    elif Connection.NO_ONE in connections and len(connections) > 1:
        errors["connections"] = _("“No one today” cannot go with other choices.")
    if any(key not in dict(coping_choices()) for key in coping):
        errors["coping"] = _("Choose from the list.")
    if not used and used_what:
        errors["used_what"] = _("Leave this empty if you did not use.")
    if errors:
        raise ValidationError(errors)
    return {"sleep_hours": hours}


def checkin_submit(
    *,
    actor,
    person,
    local_date: datetime.date,
    mood: int,
    craving: int,
    sleep_hours,
    sleep_quality: str,
    used: bool = False,
    used_what: str = "",
    triggers: list[str] | tuple = (),
    trigger_other: str = "",
    connections: list[str] | tuple = (),
    coping: list[str] | tuple = (),
    note: str = "",
    expected_version: int = 0,
    now: datetime.datetime | None = None,
) -> CheckIn:
    """Create the day's check-in (expected_version 0) or edit it (expected_version = the version
    the form was opened on). A stale form, a future or too-old day, out-of-range values or a
    check-in for someone else are refused and change nothing."""
    if actor is None or not actor.is_authenticated or actor.pk != person.pk:
        raise PermissionDenied(_("You can only check in for yourself."))
    if not program_ids_where(person, Role.PARTICIPANT):
        raise PermissionDenied(_("Check-ins are for participants."))
    now = now or timezone.now()
    today = local_today(person, now)
    if local_date > today:
        raise ValidationError({"local_date": _("You cannot check in for a day that has not come yet.")})
    if local_date < today - datetime.timedelta(days=BACKFILL_DAYS):
        raise ValidationError({"local_date": _("That day is too long ago to check in for.")})
    triggers = sorted(set(triggers))
    connections = sorted(set(connections))
    coping = sorted(set(coping))
    cleaned = _validate(
        mood=mood,
        craving=craving,
        sleep_hours=sleep_hours,
        sleep_quality=sleep_quality,
        used=used,
        used_what=used_what,
        triggers=triggers,
        connections=connections,
        coping=coping,
    )
    if trigger_other and Trigger.OTHER not in triggers:
        triggers.append(Trigger.OTHER)
    values = {
        "mood": mood,
        "craving": craving,
        "sleep_hours": cleaned["sleep_hours"],
        "sleep_quality": sleep_quality,
        "used": bool(used),
        "used_what": used_what.strip()[:500],
        "triggers": triggers,
        "trigger_other": trigger_other.strip()[:200],
        "connections": connections,
        "coping": coping,
        "note": note.strip()[:4000],
    }
    with transaction.atomic():
        existing = CheckIn.objects.select_for_update().filter(person=person, local_date=local_date).first()
        if existing is None:
            if expected_version != 0:
                raise ValidationError(_("This check-in changed since you opened it. Please reload and try again."))
            previous_note, previously_used = "", False
            try:
                with transaction.atomic():
                    checkin = CheckIn.objects.create(
                        person=person,
                        program_id=home_program_id_of(person),
                        local_date=local_date,
                        submitted_at=now,
                        updated_at=now,
                        **values,
                    )
            except IntegrityError:
                raise ValidationError(
                    _("You already checked in for this day. Please reload to see and edit it.")
                ) from None
            action = "checkins.checkin.submitted"
        else:
            if expected_version != existing.version:
                raise ValidationError(
                    _("You already checked in for this day, or it changed since you opened this form. Please reload.")
                )
            previous_note, previously_used = existing.note, existing.used
            for field, value in values.items():
                setattr(existing, field, value)
            existing.version += 1
            existing.updated_at = now
            existing.save(update_fields=[*values, "version", "updated_at"])
            checkin = existing
            action = "checkins.checkin.edited"
        audit_record(
            actor=actor,
            action=action,
            subject=person,
            obj=checkin,
            data={"local_date": local_date.isoformat(), "version": checkin.version},
        )
        if checkin.used and not previously_used:
            safety_signal_raise(
                person=person,
                source="checkins.use_reported",
                severity=Severity.HIGH,
                evidence=_("Reported use in the check-in for %(day)s.") % {"day": local_date.isoformat()},
                raised_by=actor,
                program=checkin.program_id,
            )
        if checkin.note and checkin.note != previous_note:
            match = detect(checkin.note)
            # A "low" result (a negated statement) is recorded on the timeline and alerts no one.
            if match is not None and (not previous_note or detect(previous_note) != match):
                safety_signal_raise(
                    person=person,
                    source=f"checkins.note.{match.category}",
                    severity=match.severity,
                    evidence=_("Check-in note for %(day)s: “%(phrase)s”")
                    % {"day": local_date.isoformat(), "phrase": match.evidence},
                    raised_by=actor,
                    program=checkin.program_id,
                )
        transaction.on_commit(lambda: _after_answer(person.pk))
    return checkin


# --- questionnaires ---------------------------------------------------------------------------


def current_instance(schedule: MeasureSchedule, today: datetime.date) -> datetime.date | None:
    """The due day of the latest instance on or before today (None before the first)."""
    if today < schedule.starts_on:
        return None
    periods = (today - schedule.starts_on).days // schedule.every_days
    return schedule.starts_on + datetime.timedelta(days=periods * schedule.every_days)


def measure_schedule_set(*, actor, person, measure: str, every_days: int, starts_on: datetime.date) -> MeasureSchedule:
    """Start (or replace) a questionnaire schedule for a participant; care team only."""
    measure_for(measure)
    if not is_care_team_of(actor, person):
        raise PermissionDenied
    if not isinstance(every_days, int) or not 1 <= every_days <= 365:
        raise ValidationError({"every_days": _("Choose between 1 and 365 days.")})
    with transaction.atomic():
        now = timezone.now()
        MeasureSchedule.objects.filter(person=person, measure=measure, ended_at__isnull=True).update(ended_at=now)
        schedule = MeasureSchedule.objects.create(
            person=person, measure=measure, every_days=every_days, starts_on=starts_on, created_by=actor
        )
        audit_record(
            actor=actor,
            action="checkins.measure_schedule.set",
            subject=person,
            obj=schedule,
            data={"measure": measure, "every_days": every_days, "starts_on": starts_on.isoformat()},
        )
    return schedule


def measure_submit(
    *, actor, person, measure: str, answers: list[int], instance_date: datetime.date | None = None, now=None
) -> MeasureResponse:
    """Score and store one answered questionnaire. The instance is the schedule's current one (or
    today when unscheduled); answering the same instance twice is refused."""
    if actor is None or not actor.is_authenticated or actor.pk != person.pk:
        raise PermissionDenied(_("You can only answer questionnaires for yourself."))
    definition = measure_for(measure)
    result = score(definition, answers)
    now = now or timezone.now()
    today = local_today(person, now)
    schedule = MeasureSchedule.objects.filter(person=person, measure=measure, ended_at__isnull=True).first()
    expected = (current_instance(schedule, today) if schedule else None) or today
    if instance_date is not None and instance_date != expected:
        raise ValidationError(_("This questionnaire is no longer due. Please reload the page."))
    with translation.override("en"):
        band_label = str(result.band.label)
    with transaction.atomic():
        if MeasureResponse.objects.filter(person=person, measure=measure, instance_date=expected).exists():
            raise ValidationError(_("You have already answered this questionnaire. Thank you."))
        try:
            with transaction.atomic():
                response = MeasureResponse.objects.create(
                    person=person,
                    program_id=home_program_id_of(person),
                    measure=measure,
                    instance_date=expected,
                    schedule=schedule if schedule and current_instance(schedule, today) else None,
                    answers=list(answers),
                    total=result.total,
                    band=band_label,
                    level=result.band.level,
                    item9_positive=result.item9_positive,
                    submitted_at=now,
                )
        except IntegrityError:
            raise ValidationError(_("You have already answered this questionnaire. Thank you.")) from None
        audit_record(
            actor=actor,
            action="checkins.measure.submitted",
            subject=person,
            obj=response,
            data={"measure": measure, "total": result.total, "instance_date": expected.isoformat()},
        )
        if result.item9_positive:
            safety_signal_raise(
                person=person,
                source="checkins.phq9.item9",
                severity=Severity.URGENT,
                evidence=_("PHQ-9 item 9 answered %(value)d (total %(total)d).")
                % {"value": answers[8], "total": result.total},
                raised_by=actor,
            )
        transaction.on_commit(lambda: _after_answer(person.pk))
    return response
