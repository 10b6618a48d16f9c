"""Every read of sessions, rosters, attendance and notes, scoped to the viewer."""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from hearth.consent.models import Category
from hearth.consent.selectors import consent_allows, consent_program_ids
from hearth.programs.models import STAFF_ROLES, Membership, Program, Role
from hearth.programs.selectors import finished_care, participants_for_viewer, program_ids_where

from .models import (
    CLINICAL_KINDS,
    RSVP,
    Attendance,
    AttendanceStatus,
    CalendarFeedToken,
    Occurrence,
    RSVPStatus,
    SessionNote,
    SessionSeries,
)

User = get_user_model()

# ASAM level 2.1 (intensive outpatient) floor of structured programming per week.
ADULT_WEEKLY_MINUTES = 9 * 60
ADOLESCENT_WEEKLY_MINUTES = 6 * 60

SeriesPeople = SessionSeries.people.through
SeriesHosts = SessionSeries.hosts.through
OccurrencePeople = Occurrence.people.through
OccurrenceHosts = Occurrence.hosts.through


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _cohort_ids_of(person):
    # After care (completed, discharged) the person's old cohort's sessions leave their calendar,
    # feed and events page; the cohort's rosters for the care team are unchanged.
    return (
        Membership.objects.filter(user=person, role=Role.PARTICIPANT, ended_at__isnull=True, cohort__isnull=False)
        .exclude(finished_care())
        .values("cohort_id")
    )


def roster_q(person) -> Q:
    """Occurrences the person is on the roster of: their cohort's, or named."""
    cohorts = _cohort_ids_of(person)
    named_in_series = SeriesPeople.objects.filter(sessionseries_id=OuterRef("series_id"), user_id=person.pk)
    named_in_one_off = OccurrencePeople.objects.filter(occurrence_id=OuterRef("pk"), user_id=person.pk)
    return (
        Q(series__isnull=False, series__cohort_id__in=cohorts)
        | Q(series__isnull=False) & Q(Exists(named_in_series))
        | Q(series__isnull=True, cohort_id__in=cohorts)
        | Q(series__isnull=True) & Q(Exists(named_in_one_off))
    )


def hosted_q(user_ids) -> Q:
    """Occurrences any of the given people host."""
    in_series = SeriesHosts.objects.filter(sessionseries_id=OuterRef("series_id"), user_id__in=user_ids)
    in_one_off = OccurrenceHosts.objects.filter(occurrence_id=OuterRef("pk"), user_id__in=user_ids)
    return Q(series__isnull=False) & Q(Exists(in_series)) | Q(series__isnull=True) & Q(Exists(in_one_off))


def staff_program_ids(user) -> set[int]:
    return program_ids_where(user, *STAFF_ROLES)


def _visible_q(viewer) -> Q:
    return roster_q(viewer) | hosted_q([viewer.pk]) | Q(program_id__in=staff_program_ids(viewer))


def occurrences_for_viewer(*, viewer, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Occurrence]:
    """Sessions overlapping [start, end) that the viewer is on, hosts, or runs as staff of the program.

    Annotated with the viewer's own RSVP and attendance so a calendar renders in constant queries."""
    return _calendar_queryset(viewer).filter(starts_at__lt=end, ends_at__gt=start)


def _calendar_queryset(viewer) -> QuerySet[Occurrence]:
    if not viewer.is_authenticated:
        return Occurrence.objects.none()
    my_rsvp = RSVP.objects.filter(occurrence_id=OuterRef("pk"), person_id=viewer.pk)
    my_attendance = Attendance.objects.filter(occurrence_id=OuterRef("pk"), person_id=viewer.pk)
    return (
        Occurrence.objects.filter(_visible_q(viewer))
        .annotate(
            my_rsvp_status=Subquery(my_rsvp.values("status")[:1]),
            my_waitlist_position=Subquery(my_rsvp.values("waitlist_position")[:1]),
            my_attendance_status=Subquery(my_attendance.values("status")[:1]),
            on_my_roster=Case(When(roster_q(viewer), then=Value(True)), default=Value(False)),
        )
        .select_related("program")
        .order_by("starts_at", "pk")
    )


def occurrence_for_viewer(*, viewer, occurrence_id: int) -> Occurrence:
    """An occurrence the viewer may know of, or 404."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        return (
            Occurrence.objects.filter(_visible_q(viewer))
            .select_related("program", "series", "series__cohort", "cohort")
            .get(pk=occurrence_id)
        )
    except (Occurrence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def occurrence_for_staff(*, viewer, occurrence_id: int) -> Occurrence:
    """An occurrence of a program the viewer works in as clinician or admin, or 404."""
    try:
        return Occurrence.objects.select_related("program", "series", "series__cohort", "cohort").get(
            pk=occurrence_id, program_id__in=staff_program_ids(viewer)
        )
    except (Occurrence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def roster_for_occurrence(occurrence: Occurrence) -> QuerySet:
    """People on the occurrence's roster (series roster for series occurrences)."""
    if occurrence.series_id:
        cohort_id = occurrence.series.cohort_id
        named = SeriesPeople.objects.filter(sessionseries_id=occurrence.series_id, user_id=OuterRef("pk"))
    else:
        cohort_id = occurrence.cohort_id
        named = OccurrencePeople.objects.filter(occurrence_id=occurrence.pk, user_id=OuterRef("pk"))
    condition = Q(Exists(named))
    if cohort_id:
        in_cohort = Membership.objects.filter(
            user=OuterRef("pk"), cohort_id=cohort_id, role=Role.PARTICIPANT, ended_at__isnull=True
        )
        condition |= Q(Exists(in_cohort))
    return User.objects.filter(condition, is_active=True).order_by("display_name", "pk")


def hosts_for_occurrence(occurrence: Occurrence) -> QuerySet:
    if occurrence.series_id:
        return occurrence.series.hosts.all()
    return occurrence.hosts.all()


def is_on_roster(occurrence: Occurrence, person) -> bool:
    return roster_for_occurrence(occurrence).filter(pk=person.pk).exists()


def seats_taken(occurrence: Occurrence) -> int:
    return RSVP.objects.filter(occurrence=occurrence, status=RSVPStatus.GOING).count()


def rsvps_for_staff(*, viewer, occurrence: Occurrence) -> QuerySet[RSVP]:
    if occurrence.program_id not in staff_program_ids(viewer):
        raise Http404
    return (
        RSVP.objects.filter(occurrence=occurrence)
        .exclude(status=RSVPStatus.CANCELLED)
        .select_related("person")
        .order_by("status", "waitlist_position", "created_at")
    )


def local_week_bounds(week_start: datetime.date, time_zone: str) -> tuple[datetime.datetime, datetime.datetime]:
    tz = zoneinfo.ZoneInfo(time_zone)
    start = datetime.datetime.combine(week_start, datetime.time(0, 0), tzinfo=tz)
    end = datetime.datetime.combine(week_start + datetime.timedelta(days=7), datetime.time(0, 0), tzinfo=tz)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def with_display_times(occurrence: Occurrence, tz: zoneinfo.ZoneInfo, now: datetime.datetime) -> Occurrence:
    """Attach what a calendar line shows: local times, and whether a reply is still possible."""
    occurrence.local_start = occurrence.starts_at.astimezone(tz)
    occurrence.local_end = occurrence.ends_at.astimezone(tz)
    occurrence.can_reply = bool(
        getattr(occurrence, "on_my_roster", False) and occurrence.cancelled_at is None and occurrence.starts_at > now
    )
    return occurrence


def calendar_line_for_viewer(*, viewer, occurrence_id: int) -> Occurrence:
    """One occurrence annotated like the calendar's lines (for an htmx swap), or 404."""
    try:
        occurrence = _calendar_queryset(viewer).get(pk=occurrence_id)
    except (Occurrence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    return with_display_times(occurrence, zoneinfo.ZoneInfo(viewer.time_zone), timezone.now())


@dataclass
class CalendarDay:
    date: datetime.date
    occurrences: list


def week_for_viewer(*, viewer, week_start: datetime.date) -> list[CalendarDay]:
    """Seven days from week_start in the viewer's time zone, each with the viewer's sessions.

    One query whatever the number of sessions."""
    tz = zoneinfo.ZoneInfo(viewer.time_zone)
    start, end = local_week_bounds(week_start, viewer.time_zone)
    days = [CalendarDay(date=week_start + datetime.timedelta(days=i), occurrences=[]) for i in range(7)]
    by_date = {day.date: day for day in days}
    now = timezone.now()
    for occurrence in occurrences_for_viewer(viewer=viewer, start=start, end=end):
        with_display_times(occurrence, tz, now)
        day = by_date.get(occurrence.local_start.date())
        if day is not None:
            day.occurrences.append(occurrence)
    return days


def agenda_for_viewer(*, viewer, start: datetime.datetime, days: int = 14) -> list[Occurrence]:
    tz = zoneinfo.ZoneInfo(viewer.time_zone)
    items = list(occurrences_for_viewer(viewer=viewer, start=start, end=start + datetime.timedelta(days=days)))
    now = timezone.now()
    for occurrence in items:
        with_display_times(occurrence, tz, now)
    return items


def programs_for_staff(*, viewer) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=staff_program_ids(viewer)).order_by("name")


def program_for_staff(*, viewer, program_id) -> Program:
    try:
        return programs_for_staff(viewer=viewer).get(pk=program_id)
    except (Program.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


@dataclass
class HoursRow:
    person: object
    minutes: int
    sessions: int
    target_minutes: int

    @property
    def below_target(self) -> bool:
        return self.minutes < self.target_minutes

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def target_hours(self) -> float:
        return round(self.target_minutes / 60, 2)


def _age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def weekly_target_minutes(*, born: datetime.date | None, on: datetime.date) -> int:
    """The ASAM 2.1 floor: 9 h for adults, 6 h for adolescents (under 18). Adults when age unknown."""
    age = _age_on(born, on)
    return ADOLESCENT_WEEKLY_MINUTES if age is not None and age < 18 else ADULT_WEEKLY_MINUTES


# The treatment plans app (above scheduling) registers how to read a person's planned weekly
# minutes, as a subquery factory (program_id_ref=, person_ref=); without one the ASAM floor applies.
_planned_minutes: list = []


def planned_minutes_register(subquery_factory) -> None:
    _planned_minutes[:] = [subquery_factory]


def _planned_minutes_for(program_id: int):
    if not _planned_minutes:
        return Value(None, output_field=IntegerField())
    return _planned_minutes[0](program_id_ref=program_id, person_ref=OuterRef("pk"))


def weekly_hours_report(*, viewer, program: Program, week_start: datetime.date) -> list[HoursRow]:
    """Minutes of structured programming each participant of the program attended in the week
    (the program's local week), against their target (their treatment plan's weekly target, or the
    ASAM 2.1 floor where the plan sets none). One query whatever the size."""
    if program.pk not in staff_program_ids(viewer):
        raise Http404
    start, end = local_week_bounds(week_start, program.time_zone)
    in_week = Q(
        attendance__occurrence__program=program,
        attendance__occurrence__starts_at__gte=start,
        attendance__occurrence__starts_at__lt=end,
        attendance__occurrence__cancelled_at__isnull=True,
        attendance__occurrence__kind__in=CLINICAL_KINDS,
    )
    participant = Membership.objects.filter(
        user=OuterRef("pk"), program=program, role=Role.PARTICIPANT, ended_at__isnull=True
    )
    people = (
        User.objects.filter(Exists(participant))
        .annotate(
            week_minutes=Coalesce(Sum("attendance__minutes", filter=in_week), Value(0), output_field=IntegerField()),
            week_sessions=Count("attendance", filter=in_week & Q(attendance__minutes__gt=0)),
            born=F("clinical_identity__date_of_birth"),
            plan_minutes=_planned_minutes_for(program.pk),
        )
        .order_by("display_name", "pk")
    )
    return [
        HoursRow(
            person=person,
            minutes=person.week_minutes,
            sessions=person.week_sessions,
            # The treatment plan's target when it sets one; the ASAM floor otherwise.
            target_minutes=person.plan_minutes or weekly_target_minutes(born=person.born, on=week_start),
        )
        for person in people
    ]


def person_for_attendance(*, viewer, person_id: int):
    """The person whose attendance the viewer may read: themself, their care team, or someone
    with a consent in force for attendance. Anyone else: 404."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not consent_allows(viewer=viewer, subject=person, category=Category.ATTENDANCE):
        raise Http404
    return person


def attendance_for_person(*, viewer, person) -> QuerySet[Attendance]:
    """Attendance records of a person the viewer was allowed (see person_for_attendance)."""
    if not consent_allows(viewer=viewer, subject=person, category=Category.ATTENDANCE):
        raise Http404
    records = Attendance.objects.filter(person=person)
    programs = consent_program_ids(viewer=viewer, subject=person, category=Category.ATTENDANCE)
    if programs is not None:
        # The care team sees attendance in the programs where it cares for the person, a consent
        # holder in the program the consent was given to: never the person's other programs.
        records = records.filter(occurrence__program_id__in=programs)
    return records.select_related("occurrence", "occurrence__program").order_by("-occurrence__starts_at")


def attendance_for_occurrence(*, viewer, occurrence: Occurrence) -> dict[int, Attendance]:
    if occurrence.program_id not in staff_program_ids(viewer):
        raise Http404
    return {a.person_id: a for a in Attendance.objects.filter(occurrence=occurrence)}


def attendance_in_care_of(*, viewer, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Attendance]:
    """Attendance at the viewer's programs' sessions starting in [start, end), of participants in
    their care (an export for clinicians and admins; anyone else gets nothing)."""
    return (
        Attendance.objects.filter(
            occurrence__program_id__in=staff_program_ids(viewer),
            occurrence__starts_at__gte=start,
            occurrence__starts_at__lt=end,
            person__in=participants_for_viewer(viewer=viewer),
        )
        .select_related("occurrence", "occurrence__program", "person")
        .order_by("occurrence__starts_at", "occurrence_id", "person_id")
    )


def notes_for_occurrence(*, viewer, occurrence: Occurrence) -> tuple[SessionNote | None, list[SessionNote]]:
    """The group note and per-person notes, for clinicians and admins of the program only.
    Per-person notes are further limited to people whose care team the viewer is on."""
    if occurrence.program_id not in staff_program_ids(viewer):
        raise Http404
    group_note = None
    person_notes = []
    caseload = set(participants_for_viewer(viewer=viewer).values_list("pk", flat=True))
    for note in SessionNote.objects.filter(occurrence=occurrence).select_related("person", "author"):
        if note.person_id is None:
            group_note = note
        elif note.person_id in caseload:
            person_notes.append(note)
    return group_note, person_notes


def roster_in_care_of(*, viewer, occurrence: Occurrence) -> QuerySet:
    """The people on the occurrence's roster whose care team the viewer is on."""
    return roster_for_occurrence(occurrence).filter(pk__in=participants_for_viewer(viewer=viewer).values("pk"))


def feed_token_for_raw(raw: str) -> CalendarFeedToken:
    """The active feed token matching a secret from a URL, or 404 (tampered, unknown or revoked)."""
    if not raw or len(raw) > 200:
        raise Http404
    try:
        return CalendarFeedToken.objects.select_related("person").get(
            token_hash=hash_feed_token(raw), revoked_at__isnull=True, person__is_active=True
        )
    except CalendarFeedToken.DoesNotExist:
        raise Http404 from None


def active_feed_token(*, viewer) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(person=viewer, revoked_at__isnull=True).order_by("-created_at").first()


def occurrences_for_feed(*, person, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Occurrence]:
    """Only the person's own sessions (their roster or hosted), not everything their program runs."""
    return (
        Occurrence.objects.filter(roster_q(person) | hosted_q([person.pk]), starts_at__lt=end, ends_at__gt=start)
        .select_related("program")
        .order_by("starts_at", "pk")
    )


def host_conflicts(
    *, host_ids, intervals: list[tuple[datetime.datetime, datetime.datetime]], exclude_series_id=None
) -> list[tuple[object, Occurrence]]:
    """(host, occurrence) pairs where a host already has a session overlapping one of the intervals."""
    if not host_ids or not intervals:
        return []
    lo = min(start for start, _ in intervals)
    hi = max(end for _, end in intervals)
    existing = (
        Occurrence.objects.filter(hosted_q(list(host_ids)), cancelled_at__isnull=True, starts_at__lt=hi, ends_at__gt=lo)
        .select_related("series")
        .prefetch_related("hosts", "series__hosts")
    )
    if exclude_series_id is not None:
        existing = existing.exclude(series_id=exclude_series_id)
    hosts = {u.pk: u for u in User.objects.filter(pk__in=host_ids)}
    ordered = sorted(intervals)
    conflicts = []
    for occurrence in existing:
        their_hosts = occurrence.series.hosts.all() if occurrence.series_id else occurrence.hosts.all()
        clashing = [hosts[h.pk] for h in their_hosts if h.pk in hosts]
        if not clashing:
            continue
        if any(start < occurrence.ends_at and occurrence.starts_at < end for start, end in ordered):
            conflicts.extend((host, occurrence) for host in clashing)
    return conflicts


def series_for_staff(*, viewer) -> QuerySet[SessionSeries]:
    """Series of the programs the viewer works in, with their next session (one query)."""
    now = timezone.now()
    next_start = (
        Occurrence.objects.filter(series_id=OuterRef("pk"), starts_at__gte=now, cancelled_at__isnull=True)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        SessionSeries.objects.filter(program_id__in=staff_program_ids(viewer))
        .annotate(next_start=Subquery(next_start))
        .select_related("program", "cohort")
        .order_by("program__name", "title", "pk")
    )


def series_for_staff_member(*, viewer, series_id) -> SessionSeries:
    try:
        return series_for_staff(viewer=viewer).get(pk=series_id)
    except (SessionSeries.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def double_bookings_for_host(
    *, host, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[Occurrence, Occurrence]]:
    """Pairs of sessions the person hosts that overlap in [start, end) (cancelled ones ignored)."""
    hosted = list(
        Occurrence.objects.filter(hosted_q([host.pk]), cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start)
        .select_related("program")
        .order_by("starts_at", "pk")
    )
    pairs = []
    for index, first in enumerate(hosted):
        for second in hosted[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            pairs.append((first, second))
    return pairs


def schedule_shared_with_viewer(
    *, viewer, person, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Occurrence]:
    """A participant's sessions for someone outside the care team holding a consent in force for
    the session schedule (family, partner). Titles and times only; 404 without consent."""
    programs = consent_program_ids(viewer=viewer, subject=person, category=Category.SCHEDULE)
    if programs is not None and not programs:
        raise Http404
    occurrences = occurrences_for_feed(person=person, start=start, end=end).filter(cancelled_at__isnull=True)
    # A consent is given to one program's sessions, never the person's other programs.
    return occurrences if programs is None else occurrences.filter(program_id__in=programs)


def upcoming_for_viewer(*, viewer, limit: int = 3) -> list[Occurrence]:
    """The viewer's next sessions (their roster or hosted), for the dashboard."""
    if not viewer.is_authenticated:
        return []
    now = timezone.now()
    return list(
        Occurrence.objects.filter(roster_q(viewer) | hosted_q([viewer.pk]), ends_at__gt=now, cancelled_at__isnull=True)
        .select_related("program")
        .order_by("starts_at", "pk")[:limit]
    )


def missed_sessions_for_care_team(*, viewer, since: datetime.datetime) -> QuerySet[Attendance]:
    """Absences (not excused) since a time among the viewer's caseload: input for outreach rules."""
    return (
        Attendance.objects.filter(
            person__in=participants_for_viewer(viewer=viewer).values("pk"),
            status=AttendanceStatus.ABSENT,
            occurrence__starts_at__gte=since,
            occurrence__cancelled_at__isnull=True,
        )
        .select_related("person", "occurrence")
        .order_by("-occurrence__starts_at")
    )
