import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.accounts.models import User
from hearth.checkins.models import CheckIn, Connection, MeasureResponse, MeasureSchedule
from hearth.consent.models import Consent
from hearth.intake.models import IntakePacket, PacketStatus, ScreeningResult
from hearth.messaging.models import Message, MessageReport
from hearth.outreach.models import OutreachTask, Rule, Status
from hearth.plans.models import PlanVersion, TreatmentPlan
from hearth.programs.models import Cohort, Membership, Program, Role
from hearth.safety.models import SafetySignal
from hearth.scheduling.models import Attendance, Occurrence, SessionNote

pytestmark = pytest.mark.django_db

DOMAIN = "hearth.example"


def _counts():
    roles = {role: Membership.objects.filter(role=role).count() for role in Role.values}
    return (
        Program.objects.count(),
        Cohort.objects.count(),
        roles,
        Consent.objects.count(),
        Occurrence.objects.count(),
        Message.objects.count(),
        CheckIn.objects.count(),
        MeasureResponse.objects.count(),
        MeasureSchedule.objects.count(),
        IntakePacket.objects.count(),
        ScreeningResult.objects.count(),
        PlanVersion.objects.count(),
        Attendance.objects.count(),
        SessionNote.objects.count(),
        OutreachTask.objects.count(),
        SafetySignal.objects.count(),
        MessageReport.objects.count(),
    )


def _person(key: str, role: str = "participant") -> User:
    return User.objects.get(email=f"{key}.{role}@{DOMAIN}")


def _today(person) -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(person.time_zone)).date()


def test_seed_demo_builds_the_demo_program_once(capsys):
    call_command("seed_demo")
    first = _counts()
    programs, cohorts, roles, consents, occurrences, messages, *_rest = first
    assert (programs, cohorts) == (1, 2)
    # Twelve participants with weeks of history, two newcomers on their first day and one alumnus.
    assert roles == {"participant": 15, "clinician": 3, "mentor": 2, "family": 3, "admin": 1}
    out = capsys.readouterr().out
    # three from consent, two from family (couples contract, a schedule), two mentees sharing with their mentor
    assert consents == 7
    assert occurrences > 10 and messages > 10
    assert "dana.admin@hearth.example" in out and "sofia.participant@hearth.example" in out
    assert "rita.participant@hearth.example" in out

    call_command("seed_demo")
    assert _counts() == first


def test_seed_demo_history_has_the_patterns():
    call_command("seed_demo")
    # The newcomers have no history yet; the alumnus (community demo) finished months ago.
    newcomers = [f"{key}.participant@{DOMAIN}" for key in ("sofia", "ben", "rita")]
    participants = User.objects.filter(memberships__role=Role.PARTICIPANT).exclude(email__in=newcomers).distinct()
    assert participants.count() == 12
    for person in participants:
        # Six weeks of history for everyone, an intake reviewed with its screenings, a plan.
        assert CheckIn.objects.filter(person=person).count() >= 25, person
        packet = IntakePacket.objects.get(person=person)
        assert packet.status == PacketStatus.REVIEWED and packet.results.count() == 4
        assert TreatmentPlan.objects.filter(person=person).exists()
        assert MeasureSchedule.objects.filter(person=person, ended_at__isnull=True).count() == 4
        assert MeasureResponse.objects.filter(person=person).count() >= 10
        assert Attendance.objects.filter(person=person).count() >= 15
    oldest = CheckIn.objects.order_by("local_date").first().local_date
    assert (_today(_person("alex")) - oldest).days >= 40

    marcus = _person("marcus")
    last = CheckIn.objects.filter(person=marcus).order_by("-local_date").first().local_date
    assert (_today(marcus) - last).days == 6
    kim = _person("kim")
    week = _today(kim) - datetime.timedelta(days=7)
    recent = CheckIn.objects.filter(person=kim, local_date__gte=week)
    assert recent.count() >= 6 and all(c.connections == [Connection.NO_ONE] for c in recent)
    jordan = _person("jordan")
    cravings = list(CheckIn.objects.filter(person=jordan).order_by("local_date").values_list("craving", flat=True))
    assert cravings[-1] >= 8 and sum(cravings[-7:]) / 7 > sum(cravings[:7]) / 7
    alex_phq9 = list(
        MeasureResponse.objects.filter(person=_person("alex"), measure="phq9")
        .order_by("instance_date")
        .values_list("total", flat=True)
    )
    assert alex_phq9 == sorted(alex_phq9, reverse=True) and alex_phq9[0] - alex_phq9[-1] >= 5
    assert SafetySignal.objects.filter(
        person=jordan, source__endswith="phq9.item9", severity="urgent", acknowledged_at__isnull=True
    ).exists()
    assert all(
        Membership.objects.filter(user=p).first().started_at < timezone.now() - datetime.timedelta(days=40)
        for p in participants
    )

    # Spanish-speaking participants write their notes in Spanish.
    notes = [c.note for c in CheckIn.objects.filter(person=_person("luis")) if c.note]
    assert notes and any("ó" in n or "é" in n or "í" in n for n in notes)

    # The outreach queue: today's open tasks from the rules, older ones worked and closed with notes.
    open_tasks = OutreachTask.objects.filter(status=Status.OPEN)
    assert {(t.person.email.split(".")[0], t.rule) for t in open_tasks} >= {
        ("jordan", Rule.PHQ9_ITEM9),
        ("jordan", Rule.HIGH_CRAVING),
        ("kim", Rule.ISOLATION),
        ("marcus", Rule.MISSED_CHECKINS),
    }
    for clinician in User.objects.filter(memberships__role=Role.CLINICIAN):
        # Every clinician's queue has something to do tonight and a history of closed tasks.
        assert open_tasks.filter(owner=clinician).exists(), clinician
        assert OutreachTask.objects.filter(owner=clinician, status=Status.RESOLVED).exists(), clinician
    closed = OutreachTask.objects.filter(status=Status.RESOLVED)
    assert closed.count() >= 3 and all(t.notes and t.outcome for t in closed)
    assert all(t.resolved_at < timezone.now() - datetime.timedelta(days=3) for t in closed)

    # Moderation: one message reported and hidden by staff, one report still waiting.
    assert Message.objects.filter(hidden_at__isnull=False, hidden_by__isnull=False).count() == 1
    assert MessageReport.objects.filter(resolved_at__isnull=True).count() == 1
    # Kim fell quiet in the chats.
    last_message = Message.objects.filter(sender=kim).order_by("-created_at").first().created_at
    assert timezone.now() - last_message > datetime.timedelta(days=7)


def test_seeded_pages_show_real_content(client_for):
    call_command("seed_demo")
    james, jordan, alex = _person("james", "clinician"), _person("jordan"), _person("alex")
    client = client_for(james)

    dashboard = client.get("/dashboard/").content.decode()
    assert "Jordan" in dashboard and "PHQ-9 item 9" in dashboard

    queue = client.get("/outreach/").content.decode()
    assert "Jordan" in queue and "Marcus" in queue and "High craving" in queue and "Missed check-ins" in queue
    assert "No resolved tasks yet" not in queue

    checkins = client.get(f"/people/{jordan.pk}/checkins/")
    assert checkins.status_code == 200 and "Stress at home" in checkins.content.decode()

    plan = client.get(f"/people/{jordan.pk}/plan/").content.decode()
    assert "Safety plan" in plan and "buprenorphine" in plan

    hours = client.get("/schedule/hours/").content.decode()
    assert "Alex" in hours and "On track" in hours

    progress = client_for(alex).get("/progress/").content.decode()
    assert "days in a row" in progress and "PHQ-9" in progress


def test_seed_demo_newcomers_are_on_their_first_day(client):
    call_command("seed_demo")
    sofia, ben = _person("sofia"), _person("ben")
    assert (sofia.language, ben.language) == ("es", "en")
    for person in (sofia, ben):
        assert not CheckIn.objects.filter(person=person).exists()
        assert not OutreachTask.objects.filter(person=person).exists()
    # Staff sent Sofía her intake forms; Ben has yet to start his.
    assert IntakePacket.objects.get(person=sofia).status == PacketStatus.OPEN
    assert not IntakePacket.objects.filter(person=ben).exists()
    client.force_login(ben)
    page = client.get("/dashboard/").content.decode()
    assert 'data-step="intake"' in page and 'data-step="checkin"' in page
