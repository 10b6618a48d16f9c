"""Aggregates for the program report and the isolation radar.

Every read is scoped to programs the viewer staffs (clinician or admin); another program answers
404. The number of queries does not grow with the number of participants: each figure is one
grouped query, and the arithmetic over people happens here, in Python.
"""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from hearth.checkins.models import CheckIn, Connection, MeasureResponse
from hearth.community.selectors import post_days_for_staff
from hearth.family.selectors import contract_days_for_staff
from hearth.mentorship.selectors import contact_days_for_staff
from hearth.messaging.models import Conversation, Kind, Message
from hearth.programs.models import Cohort, EnrolmentState, EnrolmentTransition, Membership, Program, Role, Track
from hearth.programs.selectors import program_ids_where
from hearth.scheduling.models import SOCIAL_KINDS, Attendance, AttendanceStatus

from .forms import DEFAULT_WEEKS
from .models import ReportSnapshot
from .outcomes import RELIABLE_CHANGE, ReliableChange

IN_CARE = frozenset({EnrolmentState.ACTIVE, EnrolmentState.STEP_DOWN})
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
RETENTION_DAYS = (30, 60, 90)
DAY = datetime.timedelta(days=1)


# --- scope ------------------------------------------------------------------------------------


def programs_for_reports(*, viewer) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN)).order_by("name")


def program_for_reports(*, viewer, program_id) -> Program:
    try:
        program_id = int(program_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if program_id not in program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN):
        raise Http404
    return Program.objects.get(pk=program_id)


def cohorts_for_reports(*, viewer) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(program_id__in=program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN))
        .select_related("program")
        .order_by("program__name", "name")
    )


def tracks_for_reports(*, viewer) -> QuerySet[Track]:
    return (
        Track.objects.filter(program_id__in=program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN))
        .select_related("program")
        .order_by("program__name", "order", "pk")
    )


@dataclass(frozen=True)
class Scope:
    """Whose figures: a program the viewer staffs, optionally one cohort and one track (the track a
    person's enrolment is on now), between two local days."""

    program: Program
    cohort: Cohort | None
    start: datetime.date
    end: datetime.date
    today: datetime.date
    viewer: object = None
    track: Track | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.program.time_zone)

    def start_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=self.tz)

    def end_at(self) -> datetime.datetime:
        """The first instant after the range (midnight after ``end``, local)."""
        return datetime.datetime.combine(self.end + DAY, datetime.time(), tzinfo=self.tz)

    def local(self, at: datetime.datetime) -> datetime.date:
        return at.astimezone(self.tz).date()

    def participant_memberships(self) -> QuerySet[Membership]:
        memberships = Membership.objects.filter(program=self.program, role=Role.PARTICIPANT)
        if self.cohort is not None:
            memberships = memberships.filter(cohort=self.cohort)
        if self.track is not None:
            memberships = memberships.filter(enrolment__track=self.track)
        return memberships

    def people(self):
        return self.participant_memberships().values("user_id")


def scope_for_viewer(
    *, viewer, program: Program, cohort: Cohort | None, start, end, now=None, track: Track | None = None
) -> Scope:
    if program.pk not in program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN):
        raise Http404
    if cohort is not None and cohort.program_id != program.pk:
        raise Http404
    if track is not None and track.program_id != program.pk:
        raise Http404
    today = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()
    return Scope(program=program, cohort=cohort, start=start, end=end, today=today, viewer=viewer, track=track)


def scope_for_snapshot(*, program: Program, viewer=None, now=None) -> Scope:
    """The report's default view (every cohort and track, the last 12 weeks to today) that the
    periodic job computes ahead; ``viewer`` None is the job itself, a person is a staff refresh."""
    if viewer is not None and program.pk not in program_ids_where(viewer, Role.ADMIN, Role.CLINICIAN):
        raise Http404
    today = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()
    start = today - datetime.timedelta(weeks=DEFAULT_WEEKS) + DAY
    return Scope(program=program, cohort=None, start=start, end=today, today=today, viewer=viewer)


def snapshot_for_scope(*, scope: Scope, max_age: datetime.timedelta, now=None) -> ReportSnapshot | None:
    """The stored figures for exactly this scope when they are young enough, else None. The scope
    was checked for its viewer already (scope_for_viewer)."""
    if scope.cohort is not None or scope.track is not None or scope.end != scope.today:
        return None
    snapshot = ReportSnapshot.objects.filter(program=scope.program, start=scope.start, end=scope.end).first()
    if snapshot is None or snapshot.computed_at < (now or timezone.now()) - max_age:
        return None
    return snapshot


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number and how many people it is about (``n``), so small groups can be suppressed."""

    value: float | int | None
    n: int

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(100 * self.value, 1)


def _rate(numerator: int, denominator: int, n: int) -> Figure:
    return Figure(numerator / denominator if denominator else None, n)


@dataclass
class CensusWeek:
    week: datetime.date
    admissions: int = 0
    completions: int = 0
    discharges: int = 0
    dropouts: int = 0
    in_care: int = 0


@dataclass
class RateWeek:
    week: datetime.date
    rate: Figure
    numerator: int
    denominator: int


@dataclass
class Retention:
    days: int
    eligible: int
    retained: int

    @property
    def rate(self) -> Figure:
        return _rate(self.retained, self.eligible, self.eligible)


@dataclass
class MeasureChange:
    rule: ReliableChange
    answered: int  # people with at least one answer
    compared: int  # people with two answers or more
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None
    improved: int

    @property
    def improved_share(self) -> Figure:
        return _rate(self.improved, self.compared, self.compared)


@dataclass
class Spread:
    """How one kind of engagement spreads over people: per person per week in care."""

    name: str  # sessions, messages, posts, mentor
    people: int
    total: int  # events counted over everyone
    low: float | None  # lower quartile
    median: float | None
    high: float | None  # upper quartile
    most: float | None

    def figure(self, value) -> Figure:
        return Figure(value, self.people)


@dataclass
class Report:
    scope: Scope
    people_in_care: int
    census: list[CensusWeek]
    totals: CensusWeek
    attendance: list[RateWeek]
    attendance_total: Figure
    adherence: list[RateWeek]
    adherence_total: Figure
    retention: list[Retention]
    measures: list[MeasureChange]
    engagement: list[Spread] = field(default_factory=list)


def _weeks(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    monday = start - datetime.timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class _Stay:
    """One person's path through the lifecycle, read from their enrolment transitions."""

    admitted: datetime.date | None = None
    intervals: list[list] = field(default_factory=list)  # [first day in care, last day or None]
    discharged: datetime.date | None = None

    def in_care_on(self, day: datetime.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.intervals)

    def care_days(self, first: datetime.date, last: datetime.date) -> int:
        total = 0
        for start, end in self.intervals:
            lo, hi = max(start, first), min(end or last, last)
            total += max((hi - lo).days + 1, 0)
        return total


def _stays(scope: Scope) -> tuple[dict[int, _Stay], list[tuple[int, str, str, datetime.date]]]:
    rows = list(
        EnrolmentTransition.objects.filter(enrolment__membership__in=scope.participant_memberships())
        .order_by("at", "pk")
        .values_list("enrolment__membership__user_id", "from_state", "to_state", "at")
    )
    stays: dict[int, _Stay] = defaultdict(_Stay)
    events = []
    for person_id, from_state, to_state, at in rows:
        day = scope.local(at)
        events.append((person_id, from_state, to_state, day))
        stay = stays[person_id]
        open_interval = bool(stay.intervals) and stay.intervals[-1][1] is None
        if to_state in IN_CARE:
            if to_state == EnrolmentState.ACTIVE and stay.admitted is None:
                stay.admitted = day
            if not open_interval:
                stay.intervals.append([day, None])
        elif open_interval:
            # The day of leaving is not a day in care.
            stay.intervals[-1][1] = day - DAY
        if to_state == EnrolmentState.DISCHARGED:
            stay.discharged = day
    return stays, events


def _census(scope: Scope, stays, events) -> tuple[list[CensusWeek], CensusWeek]:
    weeks = {week: CensusWeek(week=week) for week in _weeks(scope.start, scope.end)}
    totals = CensusWeek(week=scope.start)
    for _person, from_state, to_state, day in events:
        if not scope.start <= day <= scope.end:
            continue
        row = weeks[_monday(day)]
        counters = []
        if to_state == EnrolmentState.ACTIVE and from_state == EnrolmentState.INTAKE:
            counters.append("admissions")
        elif to_state == EnrolmentState.COMPLETED:
            counters.append("completions")
        elif to_state == EnrolmentState.DISCHARGED:
            counters.append("discharges")
            if from_state in IN_CARE:
                counters.append("dropouts")
        for name in counters:
            setattr(row, name, getattr(row, name) + 1)
            setattr(totals, name, getattr(totals, name) + 1)
    for week, row in weeks.items():
        last_day = min(week + datetime.timedelta(days=6), scope.end, scope.today)
        row.in_care = sum(1 for stay in stays.values() if stay.in_care_on(last_day))
    return list(weeks.values()), totals


def _week_bounds(scope: Scope, week: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = max(week, scope.start)
    last = min(week + datetime.timedelta(days=6), scope.end)
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=scope.tz),
        datetime.datetime.combine(last + DAY, datetime.time(), tzinfo=scope.tz),
    )


def _attendance(scope: Scope) -> tuple[list[RateWeek], Figure]:
    # One row of conditional counts, a pair per week: no per-row date function in the database.
    weeks = _weeks(scope.start, scope.end)
    aggregates = {"people": Count("person", distinct=True)}
    for index, week in enumerate(weeks):
        since, until = _week_bounds(scope, week)
        in_week = Q(occurrence__starts_at__gte=since, occurrence__starts_at__lt=until)
        aggregates[f"t{index}"] = Count("pk", filter=in_week)
        aggregates[f"a{index}"] = Count("pk", filter=in_week & Q(status__in=ATTENDED))
        aggregates[f"p{index}"] = Count("person", filter=in_week, distinct=True)
    row = (
        Attendance.objects.filter(
            person__in=scope.people(),
            occurrence__program=scope.program,
            occurrence__cancelled_at__isnull=True,
            occurrence__starts_at__gte=scope.start_at(),
            occurrence__starts_at__lt=scope.end_at(),
        )
        # Social events are optional: skipping a game night is not a missed session.
        .exclude(status=AttendanceStatus.EXCUSED)
        .exclude(occurrence__kind__in=SOCIAL_KINDS)
        .aggregate(**aggregates)
    )
    series = [
        RateWeek(week, _rate(row[f"a{i}"], row[f"t{i}"], row[f"p{i}"]), row[f"a{i}"], row[f"t{i}"])
        for i, week in enumerate(weeks)
    ]
    attended = sum(r.numerator for r in series)
    total = sum(r.denominator for r in series)
    return series, _rate(attended, total, row["people"])


def _adherence(scope: Scope, stays: dict[int, _Stay]) -> tuple[list[RateWeek], Figure]:
    """Days with a check-in over days in care, per week; a person's check-ins in a week count up
    to their days in care that week (a check-in on a day out of care adds nothing)."""
    weeks = _weeks(scope.start, scope.end)
    # One row per person with a count per week (conditional counts, no date function per row).
    aggregates = {
        f"w{index}": Count(
            "pk", filter=Q(local_date__gte=max(week, scope.start), local_date__lte=week + datetime.timedelta(days=6))
        )
        for index, week in enumerate(weeks)
    }
    rows = (
        CheckIn.objects.filter(person__in=scope.people(), local_date__gte=scope.start, local_date__lte=scope.end)
        .values("person")
        .annotate(**aggregates)
    )
    done = {}
    for row in rows:
        for index, week in enumerate(weeks):
            done[(row["person"], week)] = row[f"w{index}"]
    series = []
    everyone: set[int] = set()
    last_counted = min(scope.end, scope.today)
    for week in weeks:
        first, last = max(week, scope.start), min(week + datetime.timedelta(days=6), last_counted)
        numerator = denominator = people = 0
        if first <= last:
            for person_id, stay in stays.items():
                care = stay.care_days(first, last)
                if care:
                    people += 1
                    everyone.add(person_id)
                    denominator += care
                    numerator += min(done.get((person_id, week), 0), care)
        series.append(RateWeek(week, _rate(numerator, denominator, people), numerator, denominator))
    return series, _rate(sum(r.numerator for r in series), sum(r.denominator for r in series), len(everyone))


def _retention(scope: Scope, stays: dict[int, _Stay]) -> list[Retention]:
    """Of the people admitted in the range long enough ago, the share not discharged within N days
    (a completion counts as retained: the person finished the program)."""
    result = []
    for days in RETENTION_DAYS:
        eligible = retained = 0
        for stay in stays.values():
            if stay.admitted is None or not scope.start <= stay.admitted <= scope.end:
                continue
            if stay.admitted + datetime.timedelta(days=days) > scope.today:
                continue
            eligible += 1
            if stay.discharged is None or stay.discharged >= stay.admitted + datetime.timedelta(days=days):
                retained += 1
        result.append(Retention(days, eligible, retained))
    return result


def _measures(scope: Scope, in_range: set[int]) -> list[MeasureChange]:
    codes = [rule.measure.code for rule in RELIABLE_CHANGE]
    rows = (
        MeasureResponse.objects.filter(person__in=scope.people(), measure__in=codes, submitted_at__lt=scope.end_at())
        .order_by("submitted_at", "pk")
        .values_list("person_id", "measure", "total")
    )
    first: dict[tuple[int, str], int] = {}
    latest: dict[tuple[int, str], int] = {}
    answers: dict[tuple[int, str], int] = defaultdict(int)
    for person_id, code, total in rows:
        if person_id not in in_range:
            continue
        key = (person_id, code)
        first.setdefault(key, total)
        latest[key] = total
        answers[key] += 1
    result = []
    for rule in RELIABLE_CHANGE:
        keys = [key for key in first if key[1] == rule.measure.code]
        compared = [key for key in keys if answers[key] >= 2]
        changes = [latest[key] - first[key] for key in compared]
        result.append(
            MeasureChange(
                rule=rule,
                answered=len(keys),
                compared=len(compared),
                mean_first=_mean([first[key] for key in compared]),
                mean_latest=_mean([latest[key] for key in compared]),
                mean_change=_mean(changes),
                improved=sum(1 for key in compared if rule.improved(first[key], latest[key])),
            )
        )
    return result


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (statistics.quantiles' "inclusive" method, which
    refuses a single value; one person is a valid, if small, group)."""
    position = (len(ordered) - 1) * q
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


ENGAGEMENT = ("sessions", "messages", "posts", "mentor")
# Fewer days in care than this and a per-week rate means little (one message in one day = 7 a week).
ENGAGEMENT_MIN_DAYS = 7


def _engagement(scope: Scope, stays: dict[int, _Stay]) -> list[Spread]:
    """Per person per week in care: sessions attended, messages sent, community posts and replies,
    mentor contacts; one query each grouped by person and local day, so only days in care count
    (a group before admission is not engagement in care)."""
    last = min(scope.end, scope.today)
    weeks = {}
    for person_id, stay in stays.items():
        days = stay.care_days(scope.start, last) if scope.start <= last else 0
        if days >= ENGAGEMENT_MIN_DAYS:
            weeks[person_id] = days / 7
    since = scope.start_at()
    until = min(scope.end_at(), datetime.datetime.combine(scope.today + DAY, datetime.time(), tzinfo=scope.tz))
    people = scope.people()
    counts: dict[str, dict[int, int]] = {name: defaultdict(int) for name in ENGAGEMENT}
    if weeks and since < until:
        attended = (
            Attendance.objects.filter(
                person__in=people,
                status__in=ATTENDED,
                occurrence__program=scope.program,
                occurrence__cancelled_at__isnull=True,
                occurrence__starts_at__gte=since,
                occurrence__starts_at__lt=until,
            )
            .annotate(day=TruncDate("occurrence__starts_at", tzinfo=scope.tz))
            .values("person_id", "day")
            .order_by()
            .annotate(n=Count("pk"))
            .values_list("person_id", "day", "n")
        )
        sent = (
            Message.objects.filter(
                sender__in=people,
                conversation__program=scope.program,
                deleted_at__isnull=True,
                created_at__gte=since,
                created_at__lt=until,
            )
            .annotate(day=TruncDate("created_at", tzinfo=scope.tz))
            .values("sender_id", "day")
            .order_by()
            .annotate(n=Count("pk"))
            .values_list("sender_id", "day", "n")
        )
        window = {"program": scope.program, "people": people, "since": since, "until": until, "tz": scope.tz}
        for name, rows in (
            ("sessions", attended),
            ("messages", sent),
            ("posts", post_days_for_staff(viewer=scope.viewer, **window)),
            ("mentor", contact_days_for_staff(viewer=scope.viewer, **window)),
        ):
            for person_id, day, n in rows:
                if person_id in weeks and stays[person_id].in_care_on(day):
                    counts[name][person_id] += n
    result = []
    for name in ENGAGEMENT:
        rates = sorted(counts[name].get(person_id, 0) / w for person_id, w in weeks.items())
        total = sum(counts[name].get(person_id, 0) for person_id in weeks)
        if not rates:
            result.append(Spread(name, 0, 0, None, None, None, None))
            continue
        low, median, high = (round(_quantile(rates, q), 2) for q in (0.25, 0.5, 0.75))
        result.append(Spread(name, len(rates), total, low, median, high, round(rates[-1], 2)))
    return result


def program_report(*, scope: Scope) -> Report:
    """Every figure of the program report for one scope (a fixed number of queries)."""
    stays, events = _stays(scope)
    last_counted = min(scope.end, scope.today)
    in_range = {person for person, stay in stays.items() if stay.care_days(scope.start, last_counted)}
    census, totals = _census(scope, stays, events)
    attendance, attendance_total = _attendance(scope)
    adherence, adherence_total = _adherence(scope, stays)
    return Report(
        scope=scope,
        people_in_care=len(in_range),
        census=census,
        totals=totals,
        attendance=attendance,
        attendance_total=attendance_total,
        adherence=adherence,
        adherence_total=adherence_total,
        retention=_retention(scope, stays),
        measures=_measures(scope, in_range),
        engagement=_engagement(scope, stays),
    )


# --- the isolation radar ----------------------------------------------------------------------

RADAR_WEEKS = 4
PEER_KINDS = (Kind.DIRECT, Kind.GROUP, Kind.COHORT, Kind.SUPPORT_GROUP, Kind.SESSION)
# Social contact, each counted in days (groups and events: sessions) per week.
CHANNELS = ("peers", "community", "groups", "events", "mentor", "family", "checkins")
NEW_DAYS = 7


@dataclass
class RadarRow:
    person: object
    weeks: dict[str, list[int]]  # channel -> days (or sessions) of contact per week, oldest first
    contact_days: int
    last_contact: datetime.date | None
    last_peer_chat: datetime.date | None
    missed_groups: int
    no_one_answers: int
    checkins: int
    has_family_conversation: bool
    ucla_total: int | None
    ucla_on: datetime.date | None
    # Days of the window the person has been in the program (28 unless they joined within it).
    days_in_window: int = 7 * RADAR_WEEKS

    @property
    def days_since_contact(self) -> int | None:
        return None if self.last_contact is None else (self.today - self.last_contact).days

    @property
    def is_new(self) -> bool:
        """Joined this past week: too little history to read as alone."""
        return self.days_in_window <= NEW_DAYS

    @property
    def contact_share(self) -> float:
        """Days with contact per day in the program within the window."""
        return self.contact_days / max(1, self.days_in_window)

    today: datetime.date = datetime.date.min


def isolation_radar(*, scope: Scope) -> list[RadarRow]:
    """People now in the program (not completed or discharged), most alone first: the smallest share
    of their days in the program (within the last four weeks) with any contact, then longest since
    the last contact, then the loneliest latest UCLA-3. People who joined this past week come after
    everyone else: a first day has no history to read as isolation."""
    first_day = scope.today - datetime.timedelta(days=7 * RADAR_WEEKS - 1)
    since = datetime.datetime.combine(first_day, datetime.time(), tzinfo=scope.tz)
    until = datetime.datetime.combine(scope.today + DAY, datetime.time(), tzinfo=scope.tz)
    latest_ucla = MeasureResponse.objects.filter(person=OuterRef("user_id"), measure="ucla3").order_by(
        "-submitted_at", "-pk"
    )
    memberships = list(
        scope.participant_memberships()
        .filter(ended_at__isnull=True)
        .exclude(enrolment__state__in=(EnrolmentState.COMPLETED, EnrolmentState.DISCHARGED))
        .select_related("user")
        .annotate(
            ucla_total=Subquery(latest_ucla.values("total")[:1]),
            ucla_at=Subquery(latest_ucla.values("submitted_at")[:1]),
        )
        .order_by("user__display_name", "pk")
    )
    people = scope.participant_memberships().filter(ended_at__isnull=True).values("user_id")

    def week_of(day: datetime.date) -> int:
        return (day - first_day).days // 7

    days: dict[tuple[int, str], set[datetime.date]] = defaultdict(set)
    peer_days = (
        Message.objects.filter(
            sender__in=people,
            conversation__program=scope.program,
            conversation__kind__in=PEER_KINDS,
            deleted_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(day=TruncDate("created_at", tzinfo=scope.tz))
        .values_list("sender_id", "day")
        .distinct()
    )
    for person_id, day in peer_days:
        days[(person_id, "peers")].add(day)
    last_peer = dict(
        Message.objects.filter(
            sender__in=people,
            conversation__program=scope.program,
            conversation__kind__in=PEER_KINDS,
            deleted_at__isnull=True,
            created_at__lt=until,
        )
        .values("sender_id")
        .annotate(last=Max("created_at"))
        .values_list("sender_id", "last")
    )
    family_days = (
        Message.objects.filter(
            conversation__program=scope.program,
            conversation__kind=Kind.FAMILY,
            conversation__participant__in=people,
            deleted_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(day=TruncDate("created_at", tzinfo=scope.tz))
        .values_list("conversation__participant_id", "day")
        .distinct()
    )
    for person_id, day in family_days:
        days[(person_id, "family")].add(day)
    with_family = set(
        Conversation.objects.filter(program=scope.program, kind=Kind.FAMILY, participant__in=people).values_list(
            "participant_id", flat=True
        )
    )
    # Counted in the database (no JSON decoded per row): check-ins, and "no one" answers; only the
    # days that named someone come back as rows.
    recent = CheckIn.objects.filter(person__in=people, local_date__gte=first_day, local_date__lte=scope.today)
    no_one_only = Q(connections=[Connection.NO_ONE])
    counted = recent.values("person_id").annotate(n=Count("pk"), no_one=Count("pk", filter=no_one_only))
    checkins = {row["person_id"]: row["n"] for row in counted}
    no_one = {row["person_id"]: row["no_one"] for row in counted}
    for person_id, day in recent.exclude(no_one_only).exclude(connections=[]).values_list("person_id", "local_date"):
        days[(person_id, "checkins")].add(day)
    # Community posts and replies, and contacts a mentor logged, through their apps' selectors.
    window = {"program": scope.program, "people": people, "since": since, "until": until, "tz": scope.tz}
    for person_id, day, _n in post_days_for_staff(viewer=scope.viewer, **window):
        days[(person_id, "community")].add(day)
    for person_id, day, _n in contact_days_for_staff(viewer=scope.viewer, **window):
        days[(person_id, "mentor")].add(day)
    # A day the couple stated their recovery contract together is a day of family contact.
    for person_id, day, _n in contract_days_for_staff(viewer=scope.viewer, **window):
        days[(person_id, "family")].add(day)
    sessions: dict[tuple[int, str, int], int] = defaultdict(int)
    missed: dict[int, int] = defaultdict(int)
    for person_id, status, starts_at, kind in Attendance.objects.filter(
        person__in=people,
        occurrence__program=scope.program,
        occurrence__cancelled_at__isnull=True,
        occurrence__starts_at__gte=since,
        occurrence__starts_at__lt=min(until, timezone.now()),
    ).values_list("person_id", "status", "occurrence__starts_at", "occurrence__kind"):
        day = scope.local(starts_at)
        # Game nights, films and workshops are community events; the rest are groups and sessions.
        channel = "events" if kind in SOCIAL_KINDS else "groups"
        if status in ATTENDED:
            days[(person_id, channel)].add(day)
            sessions[(person_id, channel, week_of(day))] += 1
        elif status == AttendanceStatus.ABSENT and channel == "groups":
            missed[person_id] += 1

    rows = []
    window_days = 7 * RADAR_WEEKS
    for membership in memberships:
        pid = membership.user_id
        weeks = {}
        for channel in CHANNELS:
            counts = [0] * RADAR_WEEKS
            if channel in ("groups", "events"):
                counts = [sessions[(pid, channel, w)] for w in range(RADAR_WEEKS)]
            else:
                for day in days[(pid, channel)]:
                    counts[week_of(day)] += 1
            weeks[channel] = counts
        any_day = set().union(*(days[(pid, channel)] for channel in CHANNELS))
        last_peer_at = last_peer.get(pid)
        rows.append(
            RadarRow(
                person=membership.user,
                weeks=weeks,
                contact_days=len(any_day),
                last_contact=max(any_day) if any_day else None,
                last_peer_chat=scope.local(last_peer_at) if last_peer_at else None,
                missed_groups=missed[pid],
                no_one_answers=no_one.get(pid, 0),
                checkins=checkins.get(pid, 0),
                has_family_conversation=pid in with_family,
                ucla_total=membership.ucla_total,
                ucla_on=scope.local(membership.ucla_at) if membership.ucla_at else None,
                days_in_window=max(1, min(window_days, (scope.today - scope.local(membership.started_at)).days + 1)),
                today=scope.today,
            )
        )
    rows.sort(
        key=lambda r: (
            r.is_new,
            r.contact_share,
            -(r.days_since_contact if r.days_since_contact is not None else r.days_in_window),
            -(r.ucla_total or 0),
            r.person.display_name,
        )
    )
    return rows
