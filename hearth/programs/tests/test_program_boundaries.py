"""Issue #13, item 1: a program admin reaches only into their own programs."""

import datetime
import difflib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from hearth.accounts.models import ClinicalIdentity, Invitation
from hearth.audit.models import AuditEntry
from hearth.audit.services import audit_record
from hearth.programs.models import Membership, Program, Role
from hearth.programs.services import program_create
from hearth.tests.factories import UserFactory, grant_role

NEW_PROGRAM = {"name": "Morning IOP", "slug": "morning-iop", "time_zone": "America/Chicago"}


def test_a_program_admin_cannot_create_programs(world, client_for):
    response = client_for(world.admin).post(reverse("program_list"), NEW_PROGRAM)
    assert response.status_code == 403
    assert not Program.objects.filter(slug="morning-iop").exists()
    with pytest.raises(PermissionDenied):
        program_create(actor=world.admin, **NEW_PROGRAM)


def test_the_installation_grants_program_creation(world, client_for):
    call_command("site_admin", grant=world.admin.email)
    response = client_for(world.admin).post(reverse("program_list"), NEW_PROGRAM)
    assert response.status_code == 302
    program = Program.objects.get(slug="morning-iop")
    assert Membership.objects.filter(user=world.admin, program=program, role=Role.ADMIN).exists()
    call_command("site_admin", revoke=world.admin.email)
    world.admin = type(world.admin).objects.get(pk=world.admin.pk)  # drop the permission cache
    with pytest.raises(PermissionDenied):
        program_create(actor=world.admin, name="Third", slug="third", time_zone="America/Chicago")


def test_an_existing_account_gets_a_role_only_by_accepting_an_invitation(world, client_for):
    admin_client = client_for(world.admin)
    # The old "add a role to an existing account" form is gone: posting to it adds nobody.
    admin_client.post(
        reverse("program_staff", args=[world.program.pk]),
        {"email": world.other_clinician.email, "role": Role.CLINICIAN},
    )
    assert not Membership.objects.filter(user=world.other_clinician, program=world.program).exists()

    admin_client.post(
        reverse("invitation_list"),
        {"email": world.other_clinician.email, "program": world.program.pk, "role": Role.CLINICIAN},
    )
    assert Invitation.objects.filter(email=world.other_clinician.email, program=world.program).exists()
    assert not Membership.objects.filter(user=world.other_clinician, program=world.program).exists()


def test_no_answer_tells_whether_an_email_has_an_account(world, client_for):
    admin_client = client_for(world.admin)
    staff_url = reverse("program_staff", args=[world.program.pk])
    answers = {}
    for url, data in (
        (staff_url, {"role": Role.CLINICIAN}),
        (reverse("invitation_list"), {"program": world.program.pk, "role": Role.CLINICIAN}),
    ):
        for email in (world.other_clinician.email, "nobody-here@hearth.test"):
            data = {**data, "email": email}
            response = admin_client.post(url, data)
            body = re.sub(
                r'(value|nonce|content)="[^"]*"|"X-CSRFToken": "[^"]*"',
                "",
                response.content.decode().replace(email, "EMAIL"),
            )
            answers.setdefault(url, []).append((response.status_code, response.get("Location"), body))
    for _url, (existing, unknown) in answers.items():
        assert existing == unknown, "\n".join(
            difflib.unified_diff(existing[2].splitlines(), unknown[2].splitlines(), lineterm="")
        )


@pytest.fixture
def two_programs(world):
    """A clinician of the world's program who is also a participant of another program."""
    person = UserFactory(display_name="Dual role")
    ClinicalIdentity.objects.filter(user=person).update(legal_name="Zebulon Quartermaine")
    grant_role(person, world.program, Role.CLINICIAN)
    grant_role(person, world.other_program, Role.PARTICIPANT)
    return person


def test_audit_search_shows_only_entries_of_the_admins_programs(world, client_for, two_programs):
    person = two_programs
    elsewhere = audit_record(
        actor=world.other_clinician,
        action="checkins.checkin.viewed",
        subject=person,
        obj=person,
        program=world.other_program,
    )
    by_them_elsewhere = audit_record(
        actor=person, action="checkins.checkin.viewed", subject=world.other_participant, program=world.other_program
    )
    here = audit_record(
        actor=world.admin, action="programs.person.viewed", subject=person, obj=person, program=world.program
    )
    about_the_person = audit_record(actor=world.admin, action="accounts.profile.updated", subject=person)
    response = client_for(world.admin).get(reverse("audit_search"))
    shown = {entry.pk for entry in response.context["page"].object_list}
    assert here.pk in shown
    assert about_the_person.pk in shown
    assert elsewhere.pk not in shown
    assert by_them_elsewhere.pk not in shown


def test_people_pages_show_legal_names_only_to_the_care_team(world, client_for, two_programs):
    response = client_for(world.admin).get(reverse("people_list"))
    body = response.content.decode()
    assert "Dual role" in body
    assert "Zebulon Quartermaine" not in body
    # The world's participant is on the admin's caseload: their legal name stays.
    assert world.participant.clinical_identity.legal_name in body
    detail = client_for(world.admin).get(reverse("person_detail", args=[two_programs.pk])).content.decode()
    assert "Zebulon Quartermaine" not in detail


def test_admins_program_records_its_entries(world):
    since = datetime.datetime.now(tz=datetime.UTC)
    track_entry_count = AuditEntry.objects.filter(at__gte=since).count()
    from hearth.programs.services import track_create

    track_create(actor=world.admin, program=world.program, name="Phase Z", order=9)
    entry = AuditEntry.objects.filter(action="programs.track.created").latest("at")
    assert entry.program_id == world.program.pk
    assert AuditEntry.objects.filter(at__gte=since).count() == track_entry_count + 1
