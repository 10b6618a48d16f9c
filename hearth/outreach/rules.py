"""Outreach rules: small named checks that turn signals into evidence for a task.

Each rule looks at one participant (through a RuleContext that loads what rules share once) and
returns Evidence or None. ``Evidence.key`` names the occurrence (a check-in day, a session, a
questionnaire), so a resolved task is not raised again for the same thing.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Max
from django.utils.translation import gettext as _

from hearth.checkins.models import CheckIn, Connection, MeasureResponse
from hearth.messaging.models import Message
from hearth.programs.models import Membership
from hearth.scheduling.models import Attendance, AttendanceStatus

from .models import ProgramThresholds, Rule, Urgency

RECENT_CHECKIN_DAYS = 2  # craving / use: only the last two local days count
PHQ9_LOOKBACK_DAYS = 14
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


@dataclass(frozen=True)
class Evidence:
    key: str
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSpec:
    rule: str
    urgency: int
    due: datetime.timedelta
    check: Callable[["RuleContext"], Evidence | None]


def thresholds_for(program) -> ProgramThresholds:
    try:
        return program.outreach_thresholds
    except ProgramThresholds.DoesNotExist:
        return ProgramThresholds(program=program)


class RuleContext:
    def __init__(self, *, membership: Membership, now: datetime.datetime, thresholds: ProgramThresholds):
        self.membership = membership
        self.person = membership.user
        self.now = now
        self.thresholds = thresholds
        try:
            self.tz = zoneinfo.ZoneInfo(self.person.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.tz = zoneinfo.ZoneInfo("UTC")
        self.today = now.astimezone(self.tz).date()
        self.enrolled_on = membership.started_at.astimezone(self.tz).date()

    @cached_property
    def recent_checkins(self) -> list[CheckIn]:
        """Check-ins of the last few weeks, newest first (what every check-in rule needs)."""
        since = self.today - datetime.timedelta(days=max(self.thresholds.isolation_days, 14) + 1)
        return list(
            CheckIn.objects.filter(person=self.person, local_date__gte=since, local_date__lte=self.today)
            .only("pk", "local_date", "craving", "used", "connections")
            .order_by("-local_date")
        )

    def local_date_of(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.tz).date()


def missed_checkins(ctx: RuleContext) -> Evidence | None:
    """No check-in on each of the last N complete days (today is not over yet)."""
    n = ctx.thresholds.missed_checkins_in_a_row
    window = [ctx.today - datetime.timedelta(days=i) for i in range(1, n + 1)]
    if window[-1] < ctx.enrolled_on:
        return None  # not enrolled long enough to have missed them
    days = {c.local_date for c in ctx.recent_checkins}
    if any(day in days for day in window):
        return None
    last = CheckIn.objects.filter(person=ctx.person, local_date__lt=window[-1]).aggregate(last=Max("local_date"))[
        "last"
    ]
    return Evidence(
        key=f"last:{last.isoformat() if last else 'none'}",
        facts={
            "missed_days": [d.isoformat() for d in sorted(window)],
            "last_checkin": last.isoformat() if last else None,
        },
    )


def missed_session(ctx: RuleContext) -> Evidence | None:
    since = ctx.now - datetime.timedelta(days=ctx.thresholds.missed_session_lookback_days)
    absence = (
        Attendance.objects.filter(
            person=ctx.person,
            status=AttendanceStatus.ABSENT,
            occurrence__starts_at__gte=since,
            occurrence__starts_at__lte=ctx.now,
            occurrence__cancelled_at__isnull=True,
        )
        .select_related("occurrence")
        .order_by("-occurrence__starts_at")
        .first()
    )
    if absence is None:
        return None
    occurrence = absence.occurrence
    return Evidence(
        key=f"occurrence:{occurrence.pk}",
        facts={
            "occurrence_id": occurrence.pk,
            "title": occurrence.title,
            "starts_at": occurrence.starts_at.isoformat(),
        },
    )


def _latest_recent(ctx: RuleContext, predicate) -> CheckIn | None:
    earliest = ctx.today - datetime.timedelta(days=RECENT_CHECKIN_DAYS - 1)
    return next((c for c in ctx.recent_checkins if c.local_date >= earliest and predicate(c)), None)


def high_craving(ctx: RuleContext) -> Evidence | None:
    threshold = ctx.thresholds.craving_at_least
    checkin = _latest_recent(ctx, lambda c: c.craving >= threshold)
    if checkin is None:
        return None
    return Evidence(
        key=f"checkin:{checkin.local_date.isoformat()}",
        facts={"day": checkin.local_date.isoformat(), "craving": checkin.craving, "threshold": threshold},
    )


def use_reported(ctx: RuleContext) -> Evidence | None:
    checkin = _latest_recent(ctx, lambda c: c.used)
    if checkin is None:
        return None
    return Evidence(key=f"checkin:{checkin.local_date.isoformat()}", facts={"day": checkin.local_date.isoformat()})


def phq9_item9(ctx: RuleContext) -> Evidence | None:
    response = (
        MeasureResponse.objects.filter(
            person=ctx.person,
            measure="phq9",
            item9_positive=True,
            submitted_at__gte=ctx.now - datetime.timedelta(days=PHQ9_LOOKBACK_DAYS),
        )
        .order_by("-submitted_at")
        .first()
    )
    if response is None:
        return None
    return Evidence(
        key=f"response:{response.pk}",
        facts={
            "response_id": response.pk,
            "item9": response.answers[8],
            "total": response.total,
            "submitted_at": response.submitted_at.isoformat(),
        },
    )


# Features above outreach that record social contact of their own (a mentor's contact log) register
# a function (person, now) -> the latest such contact (an aware datetime) or None.
_SOCIAL_CONTACT_SOURCES: list = []


def social_contact_register(latest_contact) -> None:
    if latest_contact not in _SOCIAL_CONTACT_SOURCES:
        _SOCIAL_CONTACT_SOURCES.append(latest_contact)


def isolation(ctx: RuleContext) -> Evidence | None:
    """No message sent, no session attended, no check-in naming someone, no registered contact
    (a mentor's contact log) for N days."""
    n = ctx.thresholds.isolation_days
    last_message = Message.objects.filter(sender=ctx.person, deleted_at__isnull=True).aggregate(last=Max("created_at"))[
        "last"
    ]
    last_attended = Attendance.objects.filter(
        person=ctx.person, status__in=ATTENDED, occurrence__starts_at__lte=ctx.now
    ).aggregate(last=Max("occurrence__starts_at"))["last"]
    connected = [c.local_date for c in ctx.recent_checkins if c.connections and Connection.NO_ONE not in c.connections]
    last_connected = max(connected) if connected else None
    candidates = [ctx.enrolled_on]
    if last_message:
        candidates.append(ctx.local_date_of(last_message))
    if last_attended:
        candidates.append(ctx.local_date_of(last_attended))
    if last_connected:
        candidates.append(last_connected)
    other_contacts = [c for source in _SOCIAL_CONTACT_SOURCES if (c := source(ctx.person, ctx.now))]
    last_other = max(other_contacts) if other_contacts else None
    if last_other:
        candidates.append(ctx.local_date_of(last_other))
    last_contact = max(candidates)
    days = (ctx.today - last_contact).days
    if days < n:
        return None
    no_one_days = sorted(
        c.local_date.isoformat()
        for c in ctx.recent_checkins
        if c.connections == [Connection.NO_ONE] and c.local_date > last_contact
    )
    return Evidence(
        key=f"since:{last_contact.isoformat()}",
        facts={
            "days": days,
            "threshold": n,
            "last_message": last_message.isoformat() if last_message else None,
            "last_attended": last_attended.isoformat() if last_attended else None,
            "last_connected_checkin": last_connected.isoformat() if last_connected else None,
            "last_other_contact": last_other.isoformat() if last_other else None,
            "no_one_answers": no_one_days,
        },
    )


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(Rule.PHQ9_ITEM9, Urgency.URGENT, datetime.timedelta(hours=1), phq9_item9),
    RuleSpec(Rule.USE_REPORTED, Urgency.HIGH, datetime.timedelta(hours=4), use_reported),
    RuleSpec(Rule.HIGH_CRAVING, Urgency.HIGH, datetime.timedelta(hours=4), high_craving),
    RuleSpec(Rule.MISSED_SESSION, Urgency.ROUTINE, datetime.timedelta(hours=24), missed_session),
    RuleSpec(Rule.MISSED_CHECKINS, Urgency.ROUTINE, datetime.timedelta(hours=24), missed_checkins),
    RuleSpec(Rule.ISOLATION, Urgency.ROUTINE, datetime.timedelta(hours=24), isolation),
)


def describe(rule: str, facts: dict) -> str:
    """The reason a flag was raised, in the reader's language."""
    if rule == Rule.PHQ9_ITEM9:
        return _("Answered %(item9)s to PHQ-9 item 9 (thoughts of death or self-harm); total %(total)s.") % facts
    if rule == Rule.USE_REPORTED:
        return _("Reported use in the check-in for %(day)s.") % facts
    if rule == Rule.HIGH_CRAVING:
        return _("Craving %(craving)s of 10 on %(day)s (threshold %(threshold)s).") % facts
    if rule == Rule.MISSED_SESSION:
        return _("Absent from “%(title)s” on %(when)s.") % {**facts, "when": facts.get("starts_at", "")[:10]}
    if rule == Rule.MISSED_CHECKINS:
        last = facts.get("last_checkin") or _("never")
        return _("No check-in on %(days)s; last check-in %(last)s.") % {
            "days": ", ".join(facts.get("missed_days", [])),
            "last": last,
        }
    if rule == Rule.ISOLATION:
        text = (
            _(
                "No sign of social contact for %(days)s days "
                "(no message sent, no session attended, no check-in naming someone)."
            )
            % facts
        )
        if facts.get("no_one_answers"):
            text += " " + _("Answered “no one” on %(count)s check-ins.") % {"count": len(facts["no_one_answers"])}
        return text
    return ""
