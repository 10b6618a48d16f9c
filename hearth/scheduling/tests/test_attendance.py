import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.accounts.models import User
from hearth.audit.models import AuditEntry
from hearth.programs.models import Membership, Role
from hearth.scheduling.models import Attendance, AttendanceSource, AttendanceStatus, Occurrence, SessionKind
from hearth.scheduling.selectors import attendance_for_person, weekly_hours_report, weekly_target_minutes
from hearth.scheduling.services import attendance_mark, attendance_record_presence
from hearth.tests.factories import grant_role

from .helpers import evening_group

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
WEEK = datetime.date(2026, 3, 9)  # Mon 9, Wed 11, Thu 12 March 2026: the first week of daylight time


def _week_sessions(world):
    series = evening_group(world).obj
    start = datetime.datetime.combine(WEEK, datetime.time(0, 0), tzinfo=CHICAGO)
    sessions = list(
        series.occurrences.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)).order_by(
            "starts_at"
        )
    )
    assert len(sessions) == 3
    return sessions


def _row_for(rows, person):
    return next(r for r in rows if r.person.pk == person.pk)


def test_three_three_hour_sessions_make_nine_hours_and_one_missed_is_flagged(world):
    sessions = _week_sessions(world)
    for occurrence in sessions:
        attendance_mark(
            actor=world.clinician, occurrence=occurrence, person=world.participant, status=AttendanceStatus.PRESENT
        )
    for occurrence in sessions[:2]:
        attendance_mark(
            actor=world.clinician,
            occurrence=occurrence,
            person=world.other_participant,
            status=AttendanceStatus.PRESENT,
        )
    attendance_mark(
        actor=world.clinician, occurrence=sessions[2], person=world.other_participant, status=AttendanceStatus.ABSENT
    )
    rows = weekly_hours_report(viewer=world.clinician, program=world.program, week_start=WEEK)
    full = _row_for(rows, world.participant)
    assert (full.minutes, full.hours, full.sessions, full.below_target) == (540, 9.0, 3, False)
    missed = _row_for(rows, world.other_participant)
    assert (missed.minutes, missed.sessions, missed.below_target) == (360, 2, True)
    assert AuditEntry.objects.filter(action="scheduling.attendance.marked", subject=world.participant).count() == 3


def test_marking_checks_status_minutes_roster_and_staff(world):
    occurrence = _week_sessions(world)[0]
    bad = [
        {"status": "sleeping"},
        {"status": AttendanceStatus.LATE},  # minutes are needed
        {"status": AttendanceStatus.PRESENT, "minutes": 181},
        {"status": AttendanceStatus.PRESENT, "minutes": -1},
        {"status": AttendanceStatus.ABSENT, "minutes": 30},
    ]
    for options in bad:
        with pytest.raises(ValidationError):
            attendance_mark(actor=world.clinician, occurrence=occurrence, person=world.participant, **options)
    with pytest.raises(ValidationError):
        attendance_mark(
            actor=world.clinician, occurrence=occurrence, person=world.mentor, status=AttendanceStatus.PRESENT
        )
    for outsider in (world.other_clinician, world.participant, world.mentor):
        with pytest.raises(PermissionDenied):
            attendance_mark(
                actor=outsider, occurrence=occurrence, person=world.participant, status=AttendanceStatus.PRESENT
            )
    assert not Attendance.objects.exists()
    late = attendance_mark(
        actor=world.admin, occurrence=occurrence, person=world.participant, status=AttendanceStatus.LATE, minutes=150
    )
    assert (late.status, late.minutes, late.marked_by) == (AttendanceStatus.LATE, 150, world.admin)


def test_video_presence_fills_minutes_merges_reconnections_and_respects_staff_corrections(world):
    occurrence = _week_sessions(world)[0]
    start = occurrence.starts_at
    attendance_record_presence(
        occurrence=occurrence,
        person=world.participant,
        joined_at=start + datetime.timedelta(minutes=15),
        left_at=start + datetime.timedelta(minutes=90),
    )
    # A reconnection overlapping the first stretch is not counted twice.
    record = attendance_record_presence(
        occurrence=occurrence,
        person=world.participant,
        joined_at=start + datetime.timedelta(minutes=80),
        left_at=occurrence.ends_at + datetime.timedelta(minutes=5),
    )
    assert (record.source, record.status, record.minutes) == (AttendanceSource.VIDEO, AttendanceStatus.LATE, 165)

    early = attendance_record_presence(
        occurrence=occurrence,
        person=world.other_participant,
        joined_at=start - datetime.timedelta(minutes=3),
        left_at=start + datetime.timedelta(minutes=60),
    )
    assert (early.status, early.minutes) == (AttendanceStatus.LEFT_EARLY, 60)

    attendance_mark(
        actor=world.clinician, occurrence=occurrence, person=world.other_participant, status=AttendanceStatus.PRESENT
    )
    kept = attendance_record_presence(
        occurrence=occurrence,
        person=world.other_participant,
        joined_at=start + datetime.timedelta(minutes=100),
        left_at=start + datetime.timedelta(minutes=110),
    )
    assert (kept.source, kept.status, kept.minutes) == (AttendanceSource.MANUAL, AttendanceStatus.PRESENT, 180)
    assert len(kept.presence) == 2

    with pytest.raises(ValidationError):
        attendance_record_presence(
            occurrence=occurrence, person=world.participant, joined_at=occurrence.ends_at, left_at=start
        )


def _populate(world, n: int):
    """n participants in the cohort and n sessions in the week, every participant attending each."""
    users = User.objects.bulk_create(
        [User(email=f"bulk{n}-{i}@hearth.test", display_name=f"Bulk {i}") for i in range(n)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, program=world.program, role=Role.PARTICIPANT, cohort=world.cohort) for u in users]
    )
    monday = datetime.datetime.combine(WEEK, datetime.time(8, 0), tzinfo=CHICAGO)
    sessions = Occurrence.objects.bulk_create(
        [
            Occurrence(
                program=world.program,
                kind=SessionKind.GROUP_THERAPY,
                title=f"Group {i}",
                starts_at=monday + datetime.timedelta(minutes=47 * i),
                ends_at=monday + datetime.timedelta(minutes=47 * i + 45),
                cohort=world.cohort,
            )
            for i in range(n)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(occurrence=o, person=u, status=AttendanceStatus.PRESENT, minutes=45)
            for o in sessions[:3]
            for u in users
        ]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Audit entries, one per person shown, are one bulk_create (one INSERT on PostgreSQL; SQLite's
    # parameter limit splits it into batches): not reads of the page.
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith('INSERT INTO "audit_auditentry"'))


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("participant", reverse("scheduling:calendar_week") + f"?start={WEEK.isoformat()}"),
        ("clinician", reverse("scheduling:calendar_week") + f"?start={WEEK.isoformat()}"),
        ("clinician", reverse("scheduling:hours_report") + f"?week={WEEK.isoformat()}"),
        ("clinician", reverse("scheduling:hours_report_csv") + f"?week={WEEK.isoformat()}"),
    ],
)
def test_query_counts_do_not_grow_from_10_to_200(world, client_for, persona, url):
    client = client_for(getattr(world, persona))
    _populate(world, 10)
    client.get(url)  # the first request of a session also stamps it; measure the steady state
    small = _queries(client, url)
    _populate(world, 190)
    large = _queries(client, url)
    assert small == large
    assert Occurrence.objects.count() == 200


def test_adolescents_have_a_six_hour_floor(world):
    assert weekly_target_minutes(born=None, on=WEEK) == 540
    assert weekly_target_minutes(born=datetime.date(1990, 5, 1), on=WEEK) == 540
    assert weekly_target_minutes(born=datetime.date(2009, 3, 10), on=WEEK) == 360  # 16
    assert weekly_target_minutes(born=datetime.date(2008, 3, 9), on=WEEK) == 540  # 18 that day
    identity = world.other_participant.clinical_identity
    identity.date_of_birth = datetime.date(2010, 1, 1)
    identity.save(update_fields=["date_of_birth"])
    rows = weekly_hours_report(viewer=world.admin, program=world.program, week_start=WEEK)
    assert _row_for(rows, world.other_participant).target_minutes == 360
    assert _row_for(rows, world.participant).target_minutes == 540


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-13-01", "junk"])
def test_odd_week_parameters_fall_back_to_a_sensible_week(world, client_for, week):
    for persona, name, param in (
        ("participant", "scheduling:calendar_week", "start"),
        ("clinician", "scheduling:hours_report", "week"),
        ("clinician", "scheduling:hours_report_csv", "week"),
    ):
        response = client_for(getattr(world, persona)).get(reverse(name), {param: week})
        assert response.status_code == 200, (name, week)


def test_agenda_series_list_attendance_sheet_and_notes_do_not_grow_from_10_to_200(world, client_for):
    _populate(world, 10)
    first = Occurrence.objects.order_by("starts_at").first()
    pages = [
        ("participant", reverse("scheduling:calendar")),
        ("clinician", reverse("scheduling:series_list")),
        ("clinician", reverse("scheduling:attendance_sheet", args=[first.pk])),
        ("clinician", reverse("scheduling:session_notes", args=[first.pk])),
    ]

    def measure():
        counts = []
        for persona, url in pages:
            client = client_for(getattr(world, persona))
            client.get(url)
            counts.append(_queries(client, url))
        return counts

    with time_machine.travel(datetime.datetime(2026, 3, 8, 12, tzinfo=datetime.UTC), tick=False):
        small = measure()
        _populate(world, 190)
        for index in range(30):
            evening_group(world, title=f"Series {index}", expand_through=datetime.date(2026, 3, 31))
        large = measure()
    assert small == large


def test_staff_see_attendance_only_from_their_own_programs(world):
    here = _week_sessions(world)[0]
    attendance_mark(actor=world.clinician, occurrence=here, person=world.participant, status=AttendanceStatus.PRESENT)
    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    elsewhere = Occurrence.objects.create(
        program=world.other_program,
        kind=SessionKind.GROUP_THERAPY,
        title="Elsewhere",
        starts_at=here.starts_at + datetime.timedelta(days=1),
        ends_at=here.ends_at + datetime.timedelta(days=1),
    )
    elsewhere.people.add(world.participant)
    attendance_mark(
        actor=world.other_clinician, occurrence=elsewhere, person=world.participant, status=AttendanceStatus.PRESENT
    )
    mine = {a.occurrence.title for a in attendance_for_person(viewer=world.participant, person=world.participant)}
    assert mine == {"Evening group", "Elsewhere"}
    assert {a.occurrence.title for a in attendance_for_person(viewer=world.clinician, person=world.participant)} == {
        "Evening group"
    }
    assert {
        a.occurrence.title for a in attendance_for_person(viewer=world.other_clinician, person=world.participant)
    } == {"Elsewhere"}
