"""Issue 3, parts 1–3 end to end: an admin sets up a program, a participant is invited, fills in
intake from the link, a clinician reviews it and the plan assigns the group and a weekly target
that the hours report then uses."""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hearth.accounts.services import invitation_accept, invitation_create
from hearth.intake.models import IntakePacket, PacketStatus
from hearth.intake.tests.test_intake_flow import fill_intake
from hearth.plans.models import PlanVersion
from hearth.plans.services import plan_save
from hearth.programs.models import Cohort, Membership, Program, Role
from hearth.scheduling.models import AttendanceStatus, Occurrence, SessionKind
from hearth.scheduling.selectors import weekly_hours_report
from hearth.scheduling.services import attendance_mark, series_create

WEEK = datetime.date(2026, 3, 2)


def test_admin_to_plan_scenario(world, client_for, django_capture_on_commit_callbacks):
    call_command("site_admin", grant=world.admin.email)
    admin = client_for(world.admin)
    admin.post(
        reverse("program_list"),
        {"name": "Evening IOP — Adults", "slug": "evening-adults", "time_zone": "America/Chicago"},
    )
    program = Program.objects.get(slug="evening-adults")
    admin.post(reverse("program_cohort_add", args=[program.pk]), {"name": "March cohort"})
    cohort = Cohort.objects.get(program=program, name="March cohort")
    # An existing account joins the new program by accepting an invitation.
    world.admin.__dict__.pop("_hearth_roles", None)
    _invitation, token = invitation_create(
        actor=world.admin, program=program, role=Role.CLINICIAN, email=world.clinician.email
    )
    invitation_accept(token=token, display_name="", legal_name="", password="", existing_user=world.clinician)
    world.admin.__dict__.pop("_hearth_roles", None)
    scheduled = series_create(
        actor=world.admin,
        program=program,
        kind=SessionKind.GROUP_THERAPY,
        title="Evening group",
        time_zone="America/Chicago",
        start_time=datetime.time(18, 0),
        duration_minutes=180,
        rrule="FREQ=WEEKLY;BYDAY=MO,WE,TH",
        dtstart=WEEK,
        until=datetime.date(2026, 3, 31),
        hosts=[world.clinician],
        cohort=cohort,
        expand_through=datetime.date(2026, 3, 31),
    )
    series = scheduled.obj

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("invitation_list"),
            {"email": "ana@hearth.test", "program": program.pk, "role": Role.PARTICIPANT, "cohort": cohort.pk},
        )
    assert response.status_code == 302
    link = re.search(r"/invite/[A-Za-z0-9_-]+/", mail.outbox[-1].body).group(0)

    participant_client = client_for(None)
    response = participant_client.post(
        link,
        {
            "display_name": "Ana",
            "legal_name": "Ana Rivera",
            "password1": "a long quiet river at dawn",
            "password2": "a long quiet river at dawn",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("intake:home")
    participant = Membership.objects.get(program=program, role=Role.PARTICIPANT).user
    assert participant_client.get(reverse("intake:home")).status_code == 200
    participant_client.post(reverse("intake:home"), {"program": program.pk})
    packet = IntakePacket.objects.get(person=participant, program=program)
    fill_intake(participant_client, packet)
    participant_client.post(reverse("intake:send", args=[packet.pk]))

    clinician = client_for(world.clinician)
    assert clinician.get(reverse("intake:review", args=[packet.pk])).status_code == 200
    clinician.post(reverse("intake:review", args=[packet.pk]), {"note": "Good fit for evenings"})
    packet.refresh_from_db()
    assert packet.status == PacketStatus.REVIEWED

    response = clinician.post(
        reverse("plans:edit", args=[participant.pk, program.pk]),
        {
            "problems": "Drinking most evenings",
            "goals": "No alcohol for 30 days",
            "groups": [series.pk],
            "weekly_hours_target": "9",
            "next_review_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert list(PlanVersion.objects.get(plan__person=participant).groups.all()) == [series]
    assert series.people.filter(pk=participant.pk).exists()

    # Attendance for the three sessions of the week: 9 h against the plan's 9 h → no flag.
    week = Occurrence.objects.filter(series=series).order_by("starts_at")[:3]
    for occurrence in week:
        attendance_mark(
            actor=world.clinician, occurrence=occurrence, person=participant, status=AttendanceStatus.PRESENT
        )
    row = next(
        r
        for r in weekly_hours_report(viewer=world.clinician, program=program, week_start=WEEK)
        if r.person == participant
    )
    assert (row.minutes, row.target_minutes, row.below_target) == (540, 540, False)

    # The plan raises the target to 12 h: the same week is now flagged.
    plan_save(
        actor=world.clinician,
        person=participant,
        program=program,
        problems="Drinking most evenings",
        goals="No alcohol for 30 days",
        groups=[series],
        weekly_hours_target=Decimal("12"),
        next_review_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    row = next(
        r
        for r in weekly_hours_report(viewer=world.clinician, program=program, week_start=WEEK)
        if r.person == participant
    )
    assert (row.target_minutes, row.below_target) == (720, True)

    # The participant reads their plan; another participant and another program's clinician cannot.
    own = client_for(participant).get(reverse("plans:mine"), follow=True)
    assert "No alcohol for 30 days" in own.content.decode()
    for outsider in (world.other_participant, world.other_clinician):
        c = client_for(outsider)
        assert c.get(reverse("plans:plan", args=[participant.pk])).status_code == 404
        assert c.get(reverse("intake:packet", args=[packet.pk])).status_code == 404
        assert c.get(reverse("intake:review", args=[packet.pk])).status_code in (403, 404)


def test_hours_report_without_a_plan_uses_the_asam_floor(world):
    rows = weekly_hours_report(viewer=world.clinician, program=world.program, week_start=WEEK)
    assert {r.target_minutes for r in rows} == {540}
