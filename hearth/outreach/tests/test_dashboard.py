import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import ClinicalIdentity, User
from hearth.checkins.models import CheckIn
from hearth.checkins.services import local_today
from hearth.outreach.models import OutreachTask, Rule
from hearth.programs.models import Membership, Role
from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind

pytestmark = pytest.mark.django_db


def add_caseload(world, count: int, offset: int = 0) -> list[User]:
    """``count`` participants of the world's clinician, each with two weeks of check-ins, a
    session attended this week and an open task (bulk, so 300 stays quick)."""
    users = User.objects.bulk_create(
        [
            User(
                email=f"caseload{offset + i}@hearth.test",
                display_name=f"Case {offset + i:03d}",
                time_zone="America/Chicago",
            )
            for i in range(count)
        ]
    )
    ClinicalIdentity.objects.bulk_create(
        [ClinicalIdentity(user=u, legal_name=f"Legal {u.display_name}") for u in users]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, program=world.program, role=Role.PARTICIPANT, primary_clinician=world.clinician)
            for u in users
        ]
    )
    today = local_today(world.clinician)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                person=u,
                local_date=today - datetime.timedelta(days=d),
                mood=1 + (d + i) % 10,
                craving=(d * i) % 11,
                sleep_hours=7,
                sleep_quality="fair",
                connections=["peer"],
            )
            for i, u in enumerate(users)
            for d in range(0, 14, 2)
        ]
    )
    start = timezone.now() - datetime.timedelta(minutes=5)
    occurrence = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Group",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    Attendance.objects.bulk_create(
        [Attendance(occurrence=occurrence, person=u, status=AttendanceStatus.PRESENT, minutes=180) for u in users]
    )
    OutreachTask.objects.bulk_create(
        [
            OutreachTask(
                person=u,
                program=world.program,
                rule=Rule.HIGH_CRAVING,
                urgency=1,
                owner=world.clinician,
                due_at=timezone.now() + datetime.timedelta(hours=4),
                evidence={"key": "k", "facts": {"day": "2026-01-01", "craving": 9, "threshold": 8}},
            )
            for u in users[::3]
        ]
    )
    return users


def dashboard_queries(client) -> tuple[int, str]:
    client.get(reverse("dashboard"))  # warm-up: session bookkeeping happens on the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # The audit entries (one per person shown) are one bulk_create: a single INSERT on PostgreSQL;
    # SQLite's limit on parameters splits it into batches, which are not the page's reads.
    reads = [q for q in ctx.captured_queries if not q["sql"].startswith('INSERT INTO "audit_auditentry"')]
    return len(reads), response.content.decode()


def test_dashboard_query_count_is_the_same_for_10_and_300_participants(world, client_for):
    client = client_for(world.clinician)
    add_caseload(world, 10)
    small, body = dashboard_queries(client)
    assert body.count('class="spark spark-mood"') >= 10
    add_caseload(world, 290, offset=10)
    large, body = dashboard_queries(client)
    assert body.count('class="spark spark-mood"') >= 200  # the table shows up to 200, flagged first
    assert large == small
    assert " style=" not in body and "<script>" not in body


def test_dashboard_shows_the_queue_by_urgency_and_flags_with_reasons(world, client_for):
    add_caseload(world, 3)
    OutreachTask.objects.create(
        person=world.participant,
        program=world.program,
        rule=Rule.PHQ9_ITEM9,
        urgency=0,
        owner=world.clinician,
        due_at=timezone.now() + datetime.timedelta(hours=1),
        evidence={"key": "r", "facts": {"item9": 2, "total": 14, "response_id": 1}},
    )
    response = client_for(world.clinician).get(reverse("dashboard"))
    today = response.context["sections"][0]["today"]
    assert today.queue[0].rule == Rule.PHQ9_ITEM9
    assert today.rows[0].person == world.participant  # urgent flags first
    body = response.content.decode()
    assert "Answered 2 to PHQ-9 item 9" in body
    assert "Craving 9 of 10 on 2026-01-01 (threshold 8)" in body


def test_dashboard_filters(world, client_for):
    add_caseload(world, 3)
    client = client_for(world.clinician)
    today = client.get(reverse("dashboard"), {"show": "flagged"}).context["sections"][0]["today"]
    assert {r.person.display_name for r in today.rows} == {"Case 000", "Participant"}  # world signal + a task
    today = client.get(reverse("dashboard"), {"show": "no_checkin"}).context["sections"][0]["today"]
    assert [r.person for r in today.rows] == [world.participant]
    today = client.get(reverse("dashboard"), {"q": "Case 002"}).context["sections"][0]["today"]
    assert [r.person.display_name for r in today.rows] == ["Case 002"]
    today = client.get(reverse("dashboard"), {"scope": "program"}).context["sections"][0]["today"]
    assert world.other_participant in [r.person for r in today.rows]


def test_other_programs_clinician_sees_none_of_this_caseload(world, client_for):
    add_caseload(world, 3)
    today = (
        client_for(world.other_clinician)
        .get(reverse("dashboard"), {"scope": "program"})
        .context["sections"][0]["today"]
    )
    assert today.rows == [] and today.queue == []
