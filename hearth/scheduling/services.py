"""Every write to schedules, RSVPs, attendance, notes and calendar feeds. Each one is
transactional and records an audit entry; notifications go through ``notifications.notify``."""

import datetime
import itertools
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.notifications.services import notify, person_zone
from hearth.programs.models import Membership, Program
from hearth.programs.selectors import is_care_team_of

from .models import (
    RSVP,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    CalendarFeedToken,
    Occurrence,
    RSVPStatus,
    SessionKind,
    SessionNote,
    SessionSeries,
)
from .reminders import reminders_sync_for_occurrence
from .selectors import (
    hash_feed_token,
    host_conflicts,
    hosts_for_occurrence,
    is_on_roster,
    roster_for_occurrence,
    staff_program_ids,
)

UTC = datetime.UTC
# How far ahead a series is written out as occurrences; a nightly job extends it.
EXPANSION_HORIZON_DAYS = 182
MAX_OCCURRENCES_PER_EXPANSION = 400
MAX_DURATION_MINUTES = 12 * 60
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# The end and the time of day come from the series' own fields, not from the rule text.
FORBIDDEN_RULE_PARTS = {"DTSTART", "UNTIL", "COUNT", "BYHOUR", "BYMINUTE", "BYSECOND"}
# Joining later than this counts as late; leaving earlier than this before the end as leaving early.
PRESENCE_GRACE = datetime.timedelta(minutes=10)
MAX_NOTE_LENGTH = 20_000


@dataclass
class Scheduled:
    """What scheduling returns: the thing created and warnings for the person who scheduled it."""

    obj: object
    warnings: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------


def _require_staff(actor, program_id: int) -> None:
    if not actor.is_authenticated or program_id not in staff_program_ids(actor):
        raise PermissionDenied


# Features above scheduling that let someone other than staff put a one-off session on the calendar
# (a mentor planning a meeting with their own mentee) register a check here:
# (actor=, program=, kind=, hosts=, people=, cohort=) -> bool. Staff of the program need none.
_SCHEDULE_ALLOWANCES: list = []


def schedule_allowance_register(check) -> None:
    if check not in _SCHEDULE_ALLOWANCES:
        _SCHEDULE_ALLOWANCES.append(check)


def _require_may_schedule(actor, program: Program, *, kind: str, hosts: list, people: list, cohort) -> None:
    if actor.is_authenticated and program.pk in staff_program_ids(actor):
        return
    if actor.is_authenticated and any(
        allows(actor=actor, program=program, kind=kind, hosts=hosts, people=people, cohort=cohort)
        for allows in _SCHEDULE_ALLOWANCES
    ):
        return
    raise PermissionDenied


def _zone(name: str, field_name: str = "time_zone") -> zoneinfo.ZoneInfo:
    try:
        if not name or name not in zoneinfo.available_timezones():
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({field_name: _("Choose a time zone from the list.")}) from None


def local_to_utc(local: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A wall-clock time in ``tz`` as a UTC instant."""
    return local.replace(tzinfo=tz).astimezone(UTC)


def parse_rule(
    text: str, *, dtstart: datetime.datetime, until: datetime.date | None = None, count: int | None = None
) -> RRule:
    """An RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=MO,WE,TH``) checked and bound to a naive local start."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    example = "FREQ=WEEKLY;BYDAY=MO,WE,TH"
    if not text:
        raise ValidationError({"rrule": _("Enter a recurrence rule, for example %(example)s.") % {"example": example}})
    if "\n" in text or "\r" in text:
        raise ValidationError({"rrule": _("Enter a single recurrence rule on one line.")})
    parts = {}
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValidationError(
                {
                    "rrule": _("“%(part)s” is not NAME=VALUE. Example of a valid rule: %(example)s.")
                    % {"part": part, "example": example}
                }
            )
        parts[name.strip().upper()] = value.strip().upper()
    forbidden = sorted(FORBIDDEN_RULE_PARTS & parts.keys())
    if forbidden:
        raise ValidationError(
            {
                "rrule": _(
                    "Leave %(parts)s out of the rule: the start time, last date and number of sessions "
                    "have their own fields."
                )
                % {"parts": ", ".join(forbidden)}
            }
        )
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            {
                "rrule": _("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, for example %(example)s.")
                % {"example": example}
            }
        )
    if until is not None and count is not None:
        raise ValidationError(_("Give either a last date or a number of sessions, not both."))
    try:
        rule = rrulestr(text, dtstart=dtstart, forceset=False)
        if until is not None:
            rule = rule.replace(until=datetime.datetime.combine(until, datetime.time.max))
        if count is not None:
            rule = rule.replace(count=count)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValidationError(
            {
                "rrule": _("This recurrence rule is not valid (%(reason)s). Example: %(example)s.")
                % {"reason": exc, "example": example}
            }
        ) from None
    if not isinstance(rule, RRule):
        raise ValidationError({"rrule": _("Enter a single recurrence rule.")})
    if rule.after(dtstart, inc=True) is None:
        raise ValidationError({"rrule": _("This rule gives no sessions between the first and last date.")})
    return rule


def _series_rule(series: SessionSeries) -> RRule:
    return parse_rule(
        series.rrule,
        dtstart=datetime.datetime.combine(series.dtstart, series.start_time),
        until=series.until,
        count=series.count,
    )


def series_instants(
    series: SessionSeries, *, through: datetime.date, since: datetime.date | None = None
) -> list[datetime.datetime]:
    """UTC start instants of the series on local dates from ``since`` (default: its first date)
    up to and including ``through``.

    The rule runs on naive wall-clock times; each is then placed in the series' zone, so
    18:00 America/Chicago stays 18:00 there on both sides of a DST change."""
    tz = _zone(series.time_zone)
    rule = _series_rule(series)
    start = datetime.datetime.combine(max(series.dtstart, since or series.dtstart), datetime.time.min)
    end = datetime.datetime.combine(through, datetime.time.max)
    instants = []
    for local in rule.xafter(start, count=MAX_OCCURRENCES_PER_EXPANSION, inc=True):
        if local > end:
            break
        instants.append(local_to_utc(local, tz))
    return instants


def _check_people_in_program(program: Program, people: Iterable, field_name: str) -> list:
    people = list(people)
    if not people:
        return people
    in_program = set(
        Membership.objects.filter(
            user__in=people, program=program, ended_at__isnull=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    outside = [p for p in people if p.pk not in in_program]
    if outside:
        raise ValidationError({field_name: _("Everyone named must take part in this program.")})
    return people


def _check_session_fields(*, program, kind, title, capacity, cohort) -> None:
    errors = {}
    if kind not in SessionKind.values:
        errors["kind"] = _("Choose a kind of session.")
    if not (title or "").strip():
        errors["title"] = _("Give the session a title (no clinical details: it appears in calendars).")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Capacity must be at least 1, or empty for no limit.")
    if cohort is not None and cohort.program_id != program.pk:
        errors["cohort"] = _("Choose a cohort of this program.")
    if errors:
        raise ValidationError(errors)


def _conflict_warnings(conflicts, tz: zoneinfo.ZoneInfo, limit: int = 10) -> list[str]:
    warnings = []
    for host, occurrence in conflicts[:limit]:
        when = formats.date_format(occurrence.starts_at.astimezone(tz), "D j M Y H:i")
        warnings.append(
            _("%(host)s is already hosting “%(title)s” at %(when)s.")
            % {"host": host.display_name, "title": occurrence.title, "when": when}
        )
    if len(conflicts) > limit:
        warnings.append(_("…and %(count)s more overlapping sessions.") % {"count": len(conflicts) - limit})
    return warnings


# --- series and occurrences -------------------------------------------------------------------


def series_create(
    *,
    actor,
    program: Program,
    kind: str,
    title: str,
    time_zone: str,
    start_time: datetime.time,
    duration_minutes: int,
    rrule: str,
    dtstart: datetime.date,
    until: datetime.date | None = None,
    count: int | None = None,
    capacity: int | None = None,
    hosts: Iterable = (),
    cohort=None,
    people: Iterable = (),
    expand_through: datetime.date | None = None,
) -> Scheduled:
    """Create a recurring series and write out its occurrences; warn about double-booked hosts."""
    _require_staff(actor, program.pk)
    _check_session_fields(program=program, kind=kind, title=title, capacity=capacity, cohort=cohort)
    tz = _zone(time_zone)
    if not duration_minutes or duration_minutes < 1 or duration_minutes > MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("A session lasts between 1 minute and 12 hours.")})
    if until is not None and until < dtstart:
        raise ValidationError({"until": _("The last date is before the first date.")})
    if count is not None and count < 1:
        raise ValidationError({"count": _("The number of sessions must be at least 1.")})
    parse_rule(rrule, dtstart=datetime.datetime.combine(dtstart, start_time), until=until, count=count)
    hosts = _check_people_in_program(program, hosts, "hosts")
    people = _check_people_in_program(program, people, "people")
    if cohort is None and not people:
        raise ValidationError(_("Choose a cohort or name the people on the roster."))
    with transaction.atomic():
        series = SessionSeries.objects.create(
            program=program,
            kind=kind,
            title=title.strip(),
            time_zone=time_zone,
            start_time=start_time,
            duration_minutes=duration_minutes,
            rrule=rrule.strip().removeprefix("RRULE:"),
            dtstart=dtstart,
            until=until,
            count=count,
            capacity=capacity,
            cohort=cohort,
            created_by=actor,
        )
        series.hosts.set(hosts)
        series.people.set(people)
        created = series_expand(series=series, through=expand_through or (timezone.localdate(timezone=tz) + _horizon()))
        audit_record(
            actor=actor,
            action="scheduling.series.created",
            obj=series,
            data={"program": program.pk, "kind": kind, "rrule": series.rrule, "occurrences": created},
        )
    intervals = [(o.starts_at, o.ends_at) for o in series.occurrences.all()]
    conflicts = host_conflicts(host_ids=[h.pk for h in hosts], intervals=intervals, exclude_series_id=series.pk)
    return Scheduled(obj=series, warnings=_conflict_warnings(conflicts, tz))


def _horizon() -> datetime.timedelta:
    return datetime.timedelta(days=EXPANSION_HORIZON_DAYS)


def series_expand(*, series: SessionSeries, through: datetime.date) -> int:
    """Write out the series' occurrences up to ``through`` (local date). Idempotent: occurrences
    already written (moved or cancelled ones too) are kept as they are."""
    # Continue after what is already written, so a long-running series never hits the cap.
    since = series.expanded_through + datetime.timedelta(days=1) if series.expanded_through else None
    instants = series_instants(series, through=through, since=since)
    if not instants:
        if series.expanded_through is None or through > series.expanded_through:
            series.expanded_through = through
            series.save(update_fields=["expanded_through"])
        return 0
    existing = set(series.occurrences.filter(original_start__gte=instants[0]).values_list("original_start", flat=True))
    new = [
        Occurrence(
            series=series,
            program_id=series.program_id,
            kind=series.kind,
            title=series.title,
            starts_at=start,
            ends_at=start + series.duration,
            original_start=start,
            capacity=series.capacity,
        )
        for start in instants
        if start not in existing
    ]
    Occurrence.objects.bulk_create(new)
    # Stopped at the per-run cap: record how far it really got, so the next run continues there.
    if len(instants) >= MAX_OCCURRENCES_PER_EXPANSION:
        through = instants[-1].astimezone(_zone(series.time_zone)).date()
    if series.expanded_through is None or through > series.expanded_through:
        series.expanded_through = through
        series.save(update_fields=["expanded_through"])
    return len(new)


_UNCHANGED = object()


def series_update(
    *,
    actor,
    series: SessionSeries,
    title: str | None = None,
    capacity=_UNCHANGED,
    hosts: Iterable | None = None,
    cohort=_UNCHANGED,
    people: Iterable | None = None,
) -> Scheduled:
    """Change a series' title, capacity, hosts or roster from now on. Past sessions keep theirs.
    (A new time, zone or rule is a new series: end this one and create another.)"""
    _require_staff(actor, series.program_id)
    program = series.program
    new_title = series.title if title is None else title
    new_capacity = series.capacity if capacity is _UNCHANGED else capacity
    new_cohort = series.cohort if cohort is _UNCHANGED else cohort
    _check_session_fields(program=program, kind=series.kind, title=new_title, capacity=new_capacity, cohort=new_cohort)
    new_hosts = None if hosts is None else _check_people_in_program(program, hosts, "hosts")
    new_people = None if people is None else _check_people_in_program(program, people, "people")
    if new_cohort is None and not (new_people if new_people is not None else series.people.exists()):
        raise ValidationError(_("Choose a cohort or name the people on the roster."))
    now = timezone.now()
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        future = series.occurrences.filter(starts_at__gt=now, cancelled_at__isnull=True)
        if new_capacity is not None:
            fullest = (
                RSVP.objects.filter(occurrence__in=future, status=RSVPStatus.GOING)
                .values("occurrence")
                .annotate(going=Count("pk"))
                .order_by("-going")
                .values_list("going", flat=True)
                .first()
            )
            if fullest and fullest > new_capacity:
                raise ValidationError(
                    {
                        "capacity": _("%(going)s people are already going; capacity cannot be lower than that.")
                        % {"going": fullest}
                    }
                )
        changed = []
        if new_title.strip() != series.title:
            series.title = new_title.strip()
            future.update(title=series.title)
            changed.append("title")
        if new_capacity != series.capacity:
            series.capacity = new_capacity
            future.update(capacity=new_capacity)
            changed.append("capacity")
        if new_cohort != series.cohort:
            series.cohort = new_cohort
            changed.append("cohort")
        series.save(update_fields=["title", "capacity", "cohort"])
        if new_hosts is not None and set(new_hosts) != set(series.hosts.all()):
            series.hosts.set(new_hosts)
            changed.append("hosts")
        if new_people is not None and set(new_people) != set(series.people.all()):
            series.people.set(new_people)
            changed.append("people")
        if "capacity" in changed:
            for occurrence in future:
                _promote_from_waitlist(occurrence)
        audit_record(actor=actor, action="scheduling.series.updated", obj=series, data={"changed": changed})
    warnings = []
    if "hosts" in changed:
        intervals = [
            (o.starts_at, o.ends_at) for o in series.occurrences.filter(starts_at__gt=now, cancelled_at__isnull=True)
        ]
        conflicts = host_conflicts(host_ids=[h.pk for h in new_hosts], intervals=intervals, exclude_series_id=series.pk)
        warnings = _conflict_warnings(conflicts, _zone(series.time_zone))
    return Scheduled(obj=series, warnings=warnings)


def _last_date_of(series: SessionSeries) -> datetime.date | None:
    """The local date of a series' last session by its rule, or None when it has no end."""
    if series.until is not None:
        return series.until
    if series.count is None:
        return None
    last = None
    for last in itertools.islice(_series_rule(series), MAX_OCCURRENCES_PER_EXPANSION * 10):  # noqa: B007
        pass
    return last.date() if last is not None else series.dtstart


def series_end(*, actor, series: SessionSeries, last_date: datetime.date) -> dict[str, int]:
    """End (or re-extend) a series after ``last_date`` (local). Later occurrences nobody has
    replied to, attended or written about are removed; those with history are kept, cancelled."""
    _require_staff(actor, series.program_id)
    if last_date < series.dtstart:
        raise ValidationError({"last_date": _("The last date is before the first date.")})
    cutoff = local_to_utc(
        datetime.datetime.combine(last_date + datetime.timedelta(days=1), datetime.time(0, 0)), _zone(series.time_zone)
    )
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        # Expansion resumes after the earlier of the old end, what was written and the new end
        # (a safe rewind: occurrences already written are skipped).
        marks = [d for d in (_last_date_of(series), series.expanded_through, last_date) if d is not None]
        series.until, series.count, series.expanded_through = last_date, None, min(marks)
        series.save(update_fields=["until", "count", "expanded_through"])
        later = series.occurrences.filter(original_start__gte=cutoff)
        history = (
            Q(Exists(RSVP.objects.filter(occurrence_id=OuterRef("pk"))))
            | Q(Exists(Attendance.objects.filter(occurrence_id=OuterRef("pk"))))
            | Q(Exists(SessionNote.objects.filter(occurrence_id=OuterRef("pk"))))
        )
        _total, deleted = later.exclude(history).delete()
        cancelled = later.filter(cancelled_at__isnull=True).update(cancelled_at=timezone.now())
        # A later last date than before extends the series (up to the usual horizon).
        horizon = timezone.localdate(timezone=_zone(series.time_zone)) + _horizon()
        added = series_expand(series=series, through=min(last_date, horizon))
        outcome = {"removed": deleted.get(Occurrence._meta.label, 0), "cancelled": cancelled, "added": added}
        audit_record(
            actor=actor,
            action="scheduling.series.ended",
            obj=series,
            data={"last_date": last_date.isoformat(), **outcome},
        )
    return outcome


def series_extend_all(*, series_ids: Iterable[int] | None = None) -> int:
    """Extend series to the horizon from today in their own zone (nightly job). Returns how many
    occurrences were written."""
    today = timezone.now().date()
    series_list = SessionSeries.objects.exclude(until__lt=today)
    if series_ids is not None:
        series_list = series_list.filter(pk__in=list(series_ids))
    written = 0
    for series in series_list.iterator():
        through = timezone.localdate(timezone=zoneinfo.ZoneInfo(series.time_zone)) + _horizon()
        if series.expanded_through is not None and series.expanded_through >= through:
            continue
        with transaction.atomic():
            created = series_expand(series=series, through=through)
            if created:
                audit_record(
                    actor=None,
                    action="scheduling.series.extended",
                    obj=series,
                    data={"through": through.isoformat(), "occurrences": created},
                )
        written += created
    return written


def occurrence_schedule(
    *,
    actor,
    program: Program,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int | None = None,
    hosts: Iterable = (),
    cohort=None,
    people: Iterable = (),
) -> Scheduled:
    """A one-off session (individual counselling, a family session, a workshop…). Staff of the
    program schedule anything; others only what a registered allowance lets them."""
    hosts, people = list(hosts), list(people)
    _require_may_schedule(actor, program, kind=kind, hosts=hosts, people=people, cohort=cohort)
    _check_session_fields(program=program, kind=kind, title=title, capacity=capacity, cohort=cohort)
    _check_times(starts_at, ends_at)
    hosts = _check_people_in_program(program, hosts, "hosts")
    people = _check_people_in_program(program, people, "people")
    if cohort is None and not people:
        raise ValidationError(_("Choose a cohort or name the people on the roster."))
    with transaction.atomic():
        occurrence = Occurrence.objects.create(
            program=program,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            cohort=cohort,
        )
        occurrence.hosts.set(hosts)
        occurrence.people.set(people)
        audit_record(
            actor=actor,
            action="scheduling.occurrence.scheduled",
            obj=occurrence,
            data={"program": program.pk, "kind": kind},
        )
        _sync_reminders_on_commit(occurrence)
    conflicts = host_conflicts(host_ids=[h.pk for h in hosts], intervals=[(starts_at, ends_at)])
    conflicts = [(h, o) for h, o in conflicts if o.pk != occurrence.pk]
    return Scheduled(obj=occurrence, warnings=_conflict_warnings(conflicts, _zone(program.time_zone)))


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at is None or ends_at is None or timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Give a start and an end with a time zone."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end is before the start.")})
    if ends_at - starts_at > datetime.timedelta(minutes=MAX_DURATION_MINUTES):
        raise ValidationError({"ends_at": _("A session lasts at most 12 hours.")})


def _sync_reminders_on_commit(occurrence: Occurrence) -> None:
    """Session reminders live in notifications; tell it this occurrence changed once committed.
    (Its periodic sweep also catches occurrences written by series expansion.)"""
    occurrence_id = occurrence.pk

    def sync():
        current = Occurrence.objects.filter(pk=occurrence_id).select_related("series").first()
        if current is not None:
            reminders_sync_for_occurrence(current)

    transaction.on_commit(sync)


def _when_for(person, at: datetime.datetime) -> str:
    """ "Tuesday 7 p.m." in the person's zone and the active language (called inside notify)."""
    local = at.astimezone(person_zone(person))
    return f"{formats.date_format(local, 'l')} {formats.time_format(local, 'TIME_FORMAT')}"


def _moved_text(occurrence: Occurrence, previous: datetime.datetime, person) -> str:
    return _("%(title)s moved from %(before)s to %(after)s") % {
        "title": occurrence.title,
        "before": _when_for(person, previous),
        "after": _when_for(person, occurrence.starts_at),
    }


def _cancelled_text(occurrence: Occurrence, person) -> str:
    return _("%(title)s on %(when)s is cancelled") % {
        "title": occurrence.title,
        "when": _when_for(person, occurrence.starts_at),
    }


def _seat_text(occurrence: Occurrence, person) -> str:
    return _("A seat opened for you: %(title)s on %(when)s") % {
        "title": occurrence.title,
        "when": _when_for(person, occurrence.starts_at),
    }


def _notify_changed(occurrence: Occurrence, text_for) -> None:
    """Tell everyone on the session (roster, people going, hosts) that it changed: in Hearth what
    changed (``text_for(person)``); outside it, generic words."""
    url = reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    people = {p.pk: p for p in roster_for_occurrence(occurrence)}
    for rsvp in RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.GOING).select_related("person"):
        people.setdefault(rsvp.person_id, rsvp.person)
    for host in hosts_for_occurrence(occurrence):
        people.setdefault(host.pk, host)
    for person in people.values():
        if person.is_active:
            notify(recipient=person, kind="scheduling.changed", url=url, text=partial(text_for, person))


def _lock(occurrence: Occurrence) -> Occurrence:
    return Occurrence.objects.select_for_update(of=("self",)).select_related("series").get(pk=occurrence.pk)


def occurrence_move(
    *, actor, occurrence: Occurrence, starts_at: datetime.datetime, ends_at: datetime.datetime | None = None
) -> Scheduled:
    """Move one occurrence; the series and its other occurrences stay as they are."""
    _require_staff(actor, occurrence.program_id)
    if ends_at is None:
        ends_at = starts_at + (occurrence.ends_at - occurrence.starts_at)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        locked = _lock(occurrence)
        if locked.cancelled_at is not None:
            raise ValidationError(_("This session was cancelled; it cannot be moved."))
        previous = locked.starts_at
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.save(update_fields=["starts_at", "ends_at"])
        audit_record(
            actor=actor,
            action="scheduling.occurrence.moved",
            obj=locked,
            data={"from": previous.isoformat(), "to": starts_at.isoformat()},
        )
        _notify_changed(locked, partial(_moved_text, locked, previous))
        _sync_reminders_on_commit(locked)
        host_ids = list(hosts_for_occurrence(locked).values_list("pk", flat=True))
    conflicts = [
        (h, o) for h, o in host_conflicts(host_ids=host_ids, intervals=[(starts_at, ends_at)]) if o.pk != locked.pk
    ]
    return Scheduled(obj=locked, warnings=_conflict_warnings(conflicts, _zone(locked.program.time_zone)))


def occurrence_cancel(*, actor, occurrence: Occurrence) -> Occurrence:
    """Cancel one occurrence. It stays on calendars marked cancelled; the series goes on."""
    _require_staff(actor, occurrence.program_id)
    with transaction.atomic():
        locked = _lock(occurrence)
        if locked.cancelled_at is not None:
            raise ValidationError(_("This session is already cancelled."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        audit_record(actor=actor, action="scheduling.occurrence.cancelled", obj=locked)
        _notify_changed(locked, partial(_cancelled_text, locked))
        _sync_reminders_on_commit(locked)
    return locked


def occurrence_set_capacity(*, actor, occurrence: Occurrence, capacity: int | None) -> Occurrence:
    """Change the number of seats. Lower than the people already going is refused; more seats
    promote people from the wait-list in order."""
    _require_staff(actor, occurrence.program_id)
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("Capacity must be at least 1, or empty for no limit.")})
    with transaction.atomic():
        locked = _lock(occurrence)
        going = RSVP.objects.filter(occurrence=locked, status=RSVPStatus.GOING).count()
        if capacity is not None and capacity < going:
            raise ValidationError(
                {
                    "capacity": _("%(going)s people are already going; capacity cannot be lower than that.")
                    % {"going": going}
                }
            )
        previous = locked.capacity
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        audit_record(
            actor=actor,
            action="scheduling.occurrence.capacity_changed",
            obj=locked,
            data={"from": previous, "to": capacity},
        )
        _promote_from_waitlist(locked)
    return locked


# --- RSVP and wait-list -----------------------------------------------------------------------


def rsvp_create(*, actor, occurrence: Occurrence, join_waitlist: bool = True) -> RSVP:
    """Say "I'm going". When the session is full the person joins the wait-list (or, if they
    would rather not wait, gets an error)."""
    with transaction.atomic():
        locked = _lock(occurrence)
        if not is_on_roster(locked, actor):
            raise ValidationError(_("You are not on the list for this session, so you cannot reply to it."))
        if locked.cancelled_at is not None:
            raise ValidationError(_("This session was cancelled."))
        if locked.starts_at <= timezone.now():
            raise ValidationError(_("This session has already started."))
        rsvp = RSVP.objects.filter(occurrence=locked, person=actor).first()
        if rsvp is not None and rsvp.status in (RSVPStatus.GOING, RSVPStatus.WAITLISTED):
            return rsvp
        going = RSVP.objects.filter(occurrence=locked, status=RSVPStatus.GOING).count()
        if locked.capacity is None or going < locked.capacity:
            status, position = RSVPStatus.GOING, None
        elif join_waitlist:
            status, position = RSVPStatus.WAITLISTED, _next_waitlist_position(locked)
        else:
            raise ValidationError(_("This session is full."))
        now = timezone.now()
        if rsvp is None:
            rsvp = RSVP.objects.create(
                occurrence=locked,
                person=actor,
                status=status,
                waitlist_position=position,
                created_at=now,
                updated_at=now,
            )
        else:
            rsvp.status, rsvp.waitlist_position, rsvp.updated_at = status, position, now
            rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        audit_record(
            actor=actor,
            action="scheduling.rsvp.created",
            subject=actor,
            obj=rsvp,
            data={"occurrence": locked.pk, "status": status, "position": position},
        )
        _sync_reminders_on_commit(locked)
    return rsvp


def _next_waitlist_position(occurrence: Occurrence) -> int:
    last = RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.WAITLISTED).aggregate(
        m=Max("waitlist_position")
    )
    return (last["m"] or 0) + 1


def _renumber_waitlist(occurrence: Occurrence) -> None:
    waiting = list(
        RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.WAITLISTED).order_by("waitlist_position", "pk")
    )
    for index, rsvp in enumerate(waiting, start=1):
        rsvp.waitlist_position = index
    RSVP.objects.bulk_update(waiting, ["waitlist_position"])


def _promote_from_waitlist(occurrence: Occurrence) -> list[RSVP]:
    """Fill free seats from the front of the wait-list; tell each promoted person."""
    promoted = []
    going = RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.GOING).count()
    free = None if occurrence.capacity is None else occurrence.capacity - going
    waiting = RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.WAITLISTED).order_by(
        "waitlist_position", "pk"
    )
    if free is not None:
        waiting = waiting[: max(free, 0)]
    now = timezone.now()
    url = reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    for rsvp in waiting.select_related("person"):
        rsvp.status, rsvp.waitlist_position, rsvp.updated_at = RSVPStatus.GOING, None, now
        rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        audit_record(
            actor=None,
            action="scheduling.rsvp.promoted",
            subject=rsvp.person,
            obj=rsvp,
            data={"occurrence": occurrence.pk},
        )
        notify(
            recipient=rsvp.person, kind="scheduling.changed", url=url, text=partial(_seat_text, occurrence, rsvp.person)
        )
        promoted.append(rsvp)
    if promoted:
        _renumber_waitlist(occurrence)
        _sync_reminders_on_commit(occurrence)
    return promoted


def rsvp_cancel(*, actor, occurrence: Occurrence) -> RSVP:
    """Withdraw a reply. A freed seat goes to the first person on the wait-list."""
    with transaction.atomic():
        locked = _lock(occurrence)
        rsvp = RSVP.objects.filter(occurrence=locked, person=actor).first()
        if rsvp is None or rsvp.status == RSVPStatus.CANCELLED:
            raise ValidationError(_("You have not replied to this session."))
        previous = rsvp.status
        rsvp.status, rsvp.waitlist_position, rsvp.updated_at = RSVPStatus.CANCELLED, None, timezone.now()
        rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        audit_record(
            actor=actor,
            action="scheduling.rsvp.cancelled",
            subject=actor,
            obj=rsvp,
            data={"occurrence": locked.pk, "was": previous},
        )
        _sync_reminders_on_commit(locked)
        if previous == RSVPStatus.GOING:
            _promote_from_waitlist(locked)
        else:
            _renumber_waitlist(locked)
    return rsvp


# --- attendance -------------------------------------------------------------------------------


def _default_minutes(occurrence: Occurrence, status: str, minutes: int | None) -> int:
    duration = occurrence.duration_minutes
    if minutes is not None:
        if minutes < 0 or minutes > duration:
            raise ValidationError(
                {"minutes": _("Minutes must be between 0 and %(duration)s.") % {"duration": duration}}
            )
        if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED) and minutes:
            raise ValidationError({"minutes": _("Someone absent or excused attended 0 minutes.")})
        return minutes
    if status == AttendanceStatus.PRESENT:
        return duration
    if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        return 0
    raise ValidationError({"minutes": _("Enter the minutes attended for someone late or leaving early.")})


def attendance_mark(*, actor, occurrence: Occurrence, person, status: str, minutes: int | None = None) -> Attendance:
    """Staff record (or correct) one person's attendance at one session."""
    _require_staff(actor, occurrence.program_id)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, late, left early, absent or excused.")})
    if occurrence.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled; there is no attendance to mark."))
    if not is_on_roster(occurrence, person):
        raise ValidationError(_("This person is not on the roster of this session."))
    minutes = _default_minutes(occurrence, status, minutes)
    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            occurrence=occurrence,
            person=person,
            defaults={"status": status, "minutes": minutes, "marked_by": actor, "source": AttendanceSource.MANUAL},
        )
        previous = None if created else {"status": attendance.status, "minutes": attendance.minutes}
        if not created:
            attendance.status, attendance.minutes = status, minutes
            attendance.marked_by, attendance.source = actor, AttendanceSource.MANUAL
            attendance.updated_at = timezone.now()
            attendance.save(update_fields=["status", "minutes", "marked_by", "source", "updated_at"])
        audit_record(
            actor=actor,
            action="scheduling.attendance.marked",
            subject=person,
            obj=attendance,
            data={"occurrence": occurrence.pk, "status": status, "minutes": minutes, "previous": previous},
        )
    return attendance


def _merged_minutes(
    intervals: list[tuple[datetime.datetime, datetime.datetime]], start: datetime.datetime, end: datetime.datetime
) -> int:
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if b > start and a < end)
    total = datetime.timedelta()
    current_start = current_end = None
    for a, b in clipped:
        if current_end is None or a > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = a, b
        else:
            current_end = max(current_end, b)
    if current_end is not None:
        total += current_end - current_start
    return int(total.total_seconds() // 60)


def attendance_record_presence(
    *, occurrence: Occurrence, person, joined_at: datetime.datetime, left_at: datetime.datetime
) -> Attendance:
    """Add one stretch of video presence (called by the video app on leave or disconnect).

    Reconnections are merged, so overlapping stretches are not counted twice. Attendance that
    staff marked by hand keeps their status and minutes; the presence is still kept."""
    if timezone.is_naive(joined_at) or timezone.is_naive(left_at) or left_at < joined_at:
        raise ValidationError(_("Presence needs a join time before the leave time, both with a time zone."))
    if not is_on_roster(occurrence, person):
        raise ValidationError(_("This person is not on the roster of this session."))
    with transaction.atomic():
        attendance, _created = Attendance.objects.select_for_update().get_or_create(
            occurrence=occurrence,
            person=person,
            defaults={"status": AttendanceStatus.ABSENT, "minutes": 0, "source": AttendanceSource.VIDEO},
        )
        attendance.presence = [*attendance.presence, [joined_at.isoformat(), left_at.isoformat()]]
        fields = ["presence", "updated_at"]
        if attendance.source == AttendanceSource.VIDEO:
            intervals = [
                (datetime.datetime.fromisoformat(a), datetime.datetime.fromisoformat(b)) for a, b in attendance.presence
            ]
            minutes = _merged_minutes(intervals, occurrence.starts_at, occurrence.ends_at)
            first_join = min(a for a, _ in intervals)
            last_leave = max(b for _, b in intervals)
            if minutes == 0:
                status = AttendanceStatus.ABSENT
            elif first_join > occurrence.starts_at + PRESENCE_GRACE:
                status = AttendanceStatus.LATE
            elif last_leave < occurrence.ends_at - PRESENCE_GRACE:
                status = AttendanceStatus.LEFT_EARLY
            else:
                status = AttendanceStatus.PRESENT
            attendance.minutes, attendance.status = minutes, status
            fields += ["minutes", "status"]
        attendance.updated_at = timezone.now()
        attendance.save(update_fields=fields)
        audit_record(
            actor=None,
            action="scheduling.attendance.presence_recorded",
            subject=person,
            obj=attendance,
            data={"occurrence": occurrence.pk, "minutes": attendance.minutes},
        )
    return attendance


# --- session notes ----------------------------------------------------------------------------


def note_write(*, actor, occurrence: Occurrence, body: str, person=None) -> SessionNote:
    """Write (or rewrite) the group note, or the note about one participant. Care team only."""
    _require_staff(actor, occurrence.program_id)
    if person is not None and not (is_care_team_of(actor, person) and is_on_roster(occurrence, person)):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("The note is empty.")})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": _("A note holds at most %(limit)s characters.") % {"limit": MAX_NOTE_LENGTH}})
    with transaction.atomic():
        note = SessionNote.objects.select_for_update().filter(occurrence=occurrence, person=person).first()
        created = note is None
        if created:
            note = SessionNote.objects.create(occurrence=occurrence, person=person, author=actor, body=body)
        else:
            note.body, note.author, note.updated_at = body, actor, timezone.now()
            note.save(update_fields=["body", "author", "updated_at"])
        audit_record(
            actor=actor,
            action="scheduling.note.written",
            subject=person,
            obj=note,
            data={"occurrence": occurrence.pk, "group_note": person is None, "created": created},
        )
    return note


# --- private calendar feed --------------------------------------------------------------------


def feed_token_create(*, actor) -> tuple[CalendarFeedToken, str]:
    """A new private feed address; any earlier one stops working. Returns the token and its secret
    (shown once; only its hash is kept)."""
    if not actor.is_authenticated:
        raise PermissionDenied
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        for old in CalendarFeedToken.objects.filter(person=actor, revoked_at__isnull=True):
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="scheduling.feed_token.revoked", subject=actor, obj=old)
        token = CalendarFeedToken.objects.create(person=actor, token_hash=hash_feed_token(raw))
        audit_record(actor=actor, action="scheduling.feed_token.created", subject=actor, obj=token)
    return token, raw


def feed_token_revoke(*, actor, token: CalendarFeedToken) -> CalendarFeedToken:
    if token.person_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        raise ValidationError(_("This calendar address was already turned off."))
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="scheduling.feed_token.revoked", subject=actor, obj=token)
    return token


__all__ = [
    "Scheduled",
    "attendance_mark",
    "attendance_record_presence",
    "feed_token_create",
    "feed_token_revoke",
    "local_to_utc",
    "note_write",
    "occurrence_cancel",
    "occurrence_move",
    "occurrence_schedule",
    "occurrence_set_capacity",
    "parse_rule",
    "rsvp_cancel",
    "rsvp_create",
    "schedule_allowance_register",
    "series_create",
    "series_end",
    "series_expand",
    "series_extend_all",
    "series_instants",
    "series_update",
]
