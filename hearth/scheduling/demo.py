"""Demo sessions for ``manage.py seed_demo``: evening groups from six weeks ago on, a social event
and a one-to-one, with every past session's attendance and group note (marked as of the evening
it happened, through ``time_machine``). Sessions are in the program's zone (America/Chicago).
Everything goes through the services."""

import datetime
import random
import zoneinfo

import time_machine
from django.utils import timezone

from .models import AttendanceStatus, SessionKind, SessionSeries
from .selectors import roster_for_occurrence
from .services import attendance_mark, note_write, occurrence_schedule, rsvp_create, series_create


def seed_demo_schedule(
    *, admin, program, cohorts, clinicians, participants, weeks_back: int = 1, attendance=None
) -> dict:
    """cohorts: [A, B]; clinicians: at least one; participants: {key: user} in those cohorts.

    The groups start ``weeks_back`` Mondays ago. Without ``attendance``, last week's sessions are
    marked (mostly present, a late arrival, a missed session); with it, every session that has
    ended is marked as ``attendance(person, local_date) -> (status, minutes)`` says, with a note."""
    tz = zoneinfo.ZoneInfo(program.time_zone)
    today = timezone.now().astimezone(tz).date()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    first_monday = today - datetime.timedelta(days=today.weekday() + 7 * weeks_back)
    groups = []
    for cohort, days, host in (
        (cohorts[0], "MO,WE,TH", clinicians[0]),
        (cohorts[1], "TU,TH,FR", clinicians[min(1, len(clinicians) - 1)]),
    ):
        groups.append(
            series_create(
                actor=admin,
                program=program,
                kind=SessionKind.GROUP_THERAPY,
                title=f"Evening group — {cohort.name}",
                time_zone=program.time_zone,
                start_time=datetime.time(18, 0),
                duration_minutes=180,
                rrule=f"FREQ=WEEKLY;BYDAY={days}",
                dtstart=first_monday,
                hosts=[host],
                cohort=cohort,
                expand_through=today + datetime.timedelta(days=56),
            ).obj
        )
    friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)
    game_start = datetime.datetime.combine(friday, datetime.time(19, 30), tzinfo=tz)
    game_night = occurrence_schedule(
        actor=admin,
        program=program,
        kind=SessionKind.GAME_NIGHT,
        title="Game night",
        starts_at=game_start,
        ends_at=game_start + datetime.timedelta(hours=2),
        capacity=4,
        cohort=cohorts[0],
        hosts=[clinicians[-1]],
    ).obj
    people = list(participants.values())
    first = people[0]
    one_to_one_start = datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time(10, 0), tzinfo=tz)
    occurrence_schedule(
        actor=clinicians[0],
        program=program,
        kind=SessionKind.INDIVIDUAL_COUNSELLING,
        title="One-to-one",
        starts_at=one_to_one_start,
        ends_at=one_to_one_start + datetime.timedelta(minutes=50),
        people=[first],
        hosts=[clinicians[0]],
    )
    for person in people[:2]:
        if game_night.cohort_id is not None and any(
            m.cohort_id == game_night.cohort_id for m in person.memberships.filter(ended_at__isnull=True)
        ):
            rsvp_create(actor=person, occurrence=game_night)
    if attendance is not None:
        for series in groups:
            _mark_history(series, attendance, tz)
        return {"series": groups, "game_night": game_night}
    # Last week's attendance: mostly present, a late arrival and a missed session, so the
    # hours report has someone below the 9-hour floor.
    last_week_end = datetime.datetime.combine(last_monday + datetime.timedelta(days=7), datetime.time(0), tzinfo=tz)
    for series in groups:
        host = series.hosts.first()
        for index, occurrence in enumerate(
            series.occurrences.filter(starts_at__lt=last_week_end).order_by("starts_at")
        ):
            for position, person in enumerate(roster_for_occurrence(occurrence)):
                if position == 0 and index == 2:
                    status, minutes = AttendanceStatus.ABSENT, None
                elif position == 1 and index == 1:
                    status, minutes = AttendanceStatus.LATE, 150
                else:
                    status, minutes = AttendanceStatus.PRESENT, None
                attendance_mark(actor=host, occurrence=occurrence, person=person, status=status, minutes=minutes)
            note_write(
                actor=host,
                occurrence=occurrence,
                body="Demo note: the group practised urge surfing and shared plans for the weekend.",
            )
    return {"series": groups, "game_night": game_night}


GROUP_NOTES = [
    "Group practised urge surfing and shared plans for the weekend.",
    "Psychoeducation on sleep and recovery; members set one sleep goal each.",
    "Check-in round, then role-play of saying no at family events. Good energy.",
    "Discussed loneliness in early recovery; members swapped numbers for between-session contact.",
    "Relapse-prevention: mapping high-risk situations for the coming week.",
    "Gratitude round and a long discussion about rebuilding trust with family.",
    "Mindfulness practice (body scan), then problem-solving on work stress.",
    "Members reviewed their coping cards; two shared milestones.",
]
# Participants who stopped coming: absent from every session in the last N days.
ABSENT_LATELY = {"kim": 8, "marcus": 6}
# One missed stretch earlier on (days ago, oldest first), which the outreach history follows up.
ABSENT_BETWEEN = {"marcus": (23, 20), "ray": (30, 27), "grace": (16, 13), "luis": (37, 34)}


def _mark_history(series, attendance, tz) -> None:
    host = series.hosts.first()
    now = timezone.now()
    for index, occurrence in enumerate(series.occurrences.filter(ends_at__lt=now).order_by("starts_at")):
        day = occurrence.starts_at.astimezone(tz).date()
        with time_machine.travel(occurrence.ends_at + datetime.timedelta(minutes=20), tick=False):
            for person in roster_for_occurrence(occurrence):
                status, minutes = attendance(person, day)
                attendance_mark(actor=host, occurrence=occurrence, person=person, status=status, minutes=minutes)
            note_write(actor=host, occurrence=occurrence, body=GROUP_NOTES[index % len(GROUP_NOTES)])


def demo_attendance(participants: dict, today: datetime.date):
    """Mostly present with ordinary lateness and the odd missed evening; Alex never misses; Kim
    and Marcus stopped coming lately."""
    keys = {person.pk: key for key, person in participants.items()}

    def attendance(person, day: datetime.date):
        key = keys.get(person.pk, "")
        days_ago = (today - day).days
        if days_ago < ABSENT_LATELY.get(key, 0):
            return AttendanceStatus.ABSENT, None
        oldest, newest = ABSENT_BETWEEN.get(key, (-1, 0))
        if newest <= days_ago <= oldest:
            return AttendanceStatus.ABSENT, None
        if key == "alex":
            return AttendanceStatus.PRESENT, None
        roll = random.Random(f"attendance:{key}:{day.isoformat()}").randrange(100)  # noqa: S311 - seeded demo noise
        if roll < 3:
            return AttendanceStatus.ABSENT, None
        if roll < 5:
            return AttendanceStatus.EXCUSED, None
        if roll < 10:
            return AttendanceStatus.LATE, 160 + roll
        if roll < 12:
            return AttendanceStatus.LEFT_EARLY, 150
        return AttendanceStatus.PRESENT, None

    return attendance


def seed(people) -> None:
    """seed_demo's entry point: once per demo program; six weeks of groups with attendance."""
    if SessionSeries.objects.filter(program=people.program).exists():
        return
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(people.program.time_zone)).date()
    seed_demo_schedule(
        admin=people.admin,
        program=people.program,
        cohorts=people.cohorts,
        clinicians=people.clinicians,
        participants=people.participants,
        weeks_back=6,
        attendance=demo_attendance(people.participants, today),
    )
