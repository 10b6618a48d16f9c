import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.programs.models import Enrolment, EnrolmentState, EnrolmentTransition, Membership, Program, Role, Track
from hearth.programs.services import (
    EnrolmentError,
    enrolment_open,
    enrolment_transition,
    program_update,
    track_create,
)
from hearth.tests.factories import UserFactory


def _membership(world):
    return Membership.objects.get(user=world.participant, program=world.program, role=Role.PARTICIPANT)


def test_admin_creates_program_and_becomes_its_admin(world, client_for):
    call_command("site_admin", grant=world.admin.email)
    client = client_for(world.admin)
    response = client.post(
        reverse("program_list"),
        {
            "name": "Morning IOP",
            "slug": "morning-iop",
            "time_zone": "America/Chicago",
            "on_call_phone": "+1 312 555 0199",
        },
    )
    program = Program.objects.get(slug="morning-iop")
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.admin, program=program, role=Role.ADMIN, ended_at=None).exists()
    assert AuditEntry.objects.filter(action="programs.program.created").exists()


def test_settings_policies_tracks_and_cohorts(world, client_for):
    client = client_for(world.admin)
    url = reverse("program_settings", args=[world.program.pk])
    response = client.post(
        url,
        {
            "name": "Evening IOP — Adults",
            "time_zone": "America/Chicago",
            "on_call_phone": "+1 312 555 0111",
            "allow_peer_private_messages": "on",
        },
    )
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.allow_peer_private_messages is True
    assert world.program.on_call_phone == "+1 312 555 0111"
    client.post(reverse("program_track_add", args=[world.program.pk]), {"name": "Stabilise", "order": 1})
    client.post(reverse("program_track_add", args=[world.program.pk]), {"name": "Build skills", "order": 2})
    client.post(reverse("program_cohort_add", args=[world.program.pk]), {"name": "Tuesday cohort", "kind": "cohort"})
    client.post(reverse("program_cohort_add", args=[world.program.pk]), {"name": "Open group", "kind": "rolling"})
    assert list(Track.objects.filter(program=world.program).values_list("name", flat=True)) == [
        "Stabilise",
        "Build skills",
    ]
    assert world.program.cohorts.get(name="Tuesday cohort").kind == "cohort"
    assert world.program.cohorts.get(name="Open group").kind == "rolling"  # a rolling group is a roster too
    page = client.get(url)
    assert b"Build skills" in page.content and b"Tuesday cohort" in page.content


def test_bad_settings_change_nothing(world, client_for):
    client = client_for(world.admin)
    response = client.post(reverse("program_settings", args=[world.program.pk]), {"name": "", "time_zone": "Mars/Base"})
    assert response.status_code == 400
    world.program.refresh_from_db()
    assert world.program.name == "Evening IOP"
    duplicate = client.post(reverse("program_cohort_add", args=[world.program.pk]), {"name": world.cohort.name})
    assert duplicate.status_code == 400
    assert "already has a cohort" in duplicate.content.decode()


def test_only_admins_of_the_program_change_it(world):
    with pytest.raises(PermissionDenied):
        program_update(actor=world.clinician, program=world.program, name="Mine now")
    with pytest.raises(PermissionDenied):
        track_create(actor=world.other_clinician, program=world.program, name="X", order=1)


def test_enrolment_lifecycle_is_dated_audited_and_append_only(world):
    enrolment = enrolment_open(actor=world.admin, membership=_membership(world))
    assert enrolment.state == EnrolmentState.REFERRED
    for state in (EnrolmentState.INTAKE, EnrolmentState.ACTIVE, EnrolmentState.STEP_DOWN, EnrolmentState.COMPLETED):
        enrolment = enrolment_transition(actor=world.clinician, enrolment=enrolment, to_state=state, reason="on track")
    history = list(EnrolmentTransition.objects.filter(enrolment=enrolment).values_list("from_state", "to_state"))
    assert history == [
        ("", "referred"),
        ("referred", "intake"),
        ("intake", "active"),
        ("active", "step_down"),
        ("step_down", "completed"),
    ]
    assert all(t.by_id and t.at for t in enrolment.transitions.all()[1:])
    assert AuditEntry.objects.filter(action="programs.enrolment.transitioned", subject=world.participant).count() == 4


@pytest.mark.parametrize(
    ("path", "to_state"),
    [
        ((), EnrolmentState.ACTIVE),  # referred → active skips intake
        ((), EnrolmentState.COMPLETED),
        ((EnrolmentState.INTAKE,), EnrolmentState.STEP_DOWN),
        ((EnrolmentState.DISCHARGED,), EnrolmentState.ACTIVE),  # discharged is final
        ((), "graduated"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(world, path, to_state):
    enrolment = enrolment_open(actor=world.admin, membership=_membership(world))
    for state in path:
        enrolment = enrolment_transition(actor=world.admin, enrolment=enrolment, to_state=state, reason="r")
    before = enrolment.transitions.count()
    with pytest.raises(EnrolmentError):
        enrolment_transition(actor=world.admin, enrolment=enrolment, to_state=to_state)
    enrolment.refresh_from_db()
    assert enrolment.state == (path[-1] if path else EnrolmentState.REFERRED)
    assert enrolment.transitions.count() == before


def test_discharge_needs_a_reason_and_other_programs_cannot_touch(world, client_for):
    enrolment = enrolment_open(actor=world.admin, membership=_membership(world))
    with pytest.raises(EnrolmentError):
        enrolment_transition(actor=world.admin, enrolment=enrolment, to_state=EnrolmentState.DISCHARGED)
    with pytest.raises(PermissionDenied):
        enrolment_transition(actor=world.other_clinician, enrolment=enrolment, to_state=EnrolmentState.INTAKE)
    client = client_for(world.clinician)
    bad = client.post(reverse("enrolment_detail", args=[enrolment.pk]), {"to_state": "completed"})
    assert bad.status_code == 400
    good = client.post(reverse("enrolment_detail", args=[enrolment.pk]), {"to_state": "intake", "reason": ""})
    assert good.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).state == EnrolmentState.INTAKE
    page = client.get(reverse("enrolment_list", args=[world.program.pk]))
    assert "Intake" in page.content.decode()


def test_clinicians_see_no_admin_links_and_the_record_links_to_the_plan(world, client_for):
    enrolment = enrolment_open(actor=world.admin, membership=_membership(world))
    client = client_for(world.clinician)
    page = client.get(reverse("enrolment_detail", args=[enrolment.pk])).content.decode()
    assert reverse("program_staff", args=[world.program.pk]) not in page
    assert (
        reverse("program_staff", args=[world.program.pk])
        in client_for(world.admin).get(reverse("enrolment_detail", args=[enrolment.pk])).content.decode()
    )
    record = client_for(world.clinician).get(reverse("person_detail", args=[world.participant.pk])).content.decode()
    assert reverse("plans:plan", args=[world.participant.pk]) in record


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: session and per-request caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_enrolment_list_and_intake_review_list_queries_do_not_grow(world, client_for):
    from hearth.intake.services import intake_packet_start

    def add(n):
        for _ in range(n):
            person = UserFactory()
            membership = Membership.objects.create(user=person, program=world.program, role=Role.PARTICIPANT)
            enrolment_open(actor=world.admin, membership=membership)
            intake_packet_start(actor=person, program=world.program)

    client = client_for(world.admin)
    add(3)
    few = (
        _count_queries(client, reverse("enrolment_list", args=[world.program.pk])),
        _count_queries(client, reverse("intake:review_list")),
    )
    add(20)
    many = (
        _count_queries(client, reverse("enrolment_list", args=[world.program.pk])),
        _count_queries(client, reverse("intake:review_list")),
    )
    assert few == many


def test_enrolment_track_is_set_from_the_page(world, client_for):
    enrolment = enrolment_open(actor=world.admin, membership=_membership(world))
    track = track_create(actor=world.admin, program=world.program, name="Stabilise", order=1)
    other = Track.objects.create(program=world.other_program, name="Elsewhere")
    client = client_for(world.clinician)
    client.post(reverse("enrolment_track", args=[enrolment.pk]), {"track": other.pk})
    assert Enrolment.objects.get(pk=enrolment.pk).track is None
    client.post(reverse("enrolment_track", args=[enrolment.pk]), {"track": track.pk})
    assert Enrolment.objects.get(pk=enrolment.pk).track == track
    assert AuditEntry.objects.filter(action="programs.enrolment.track_set").count() == 1
