import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hearth.accounts.models import Invitation, User
from hearth.accounts.services import InvitationError, invitation_accept, invitation_create, invitation_revoke
from hearth.audit.models import AuditEntry
from hearth.programs.models import Membership, Role

pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Sky",
    "legal_name": "Skyler Jones",
    "password1": "a long quiet river at dawn",
    "password2": "a long quiet river at dawn",
}


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invitation_create(
            actor=world.admin,
            program=world.program,
            role=Role.PARTICIPANT,
            email="Sky@Example.org",
            cohort=world.cohort,
        )
    return invitation, token


def test_admin_invites_and_the_link_creates_the_account(world, client, invite):
    invitation, token = invite
    assert len(mail.outbox) == 1
    assert f"/invite/{token}/" in mail.outbox[0].body
    assert Invitation.objects.get(pk=invitation.pk).token_hash != token  # only the hash is stored

    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    response = client.post(f"/invite/{token}/", GOOD)
    # A participant goes straight on to their intake.
    assert response.status_code == 302 and response["Location"] == "/intake/"

    user = User.objects.get(email="sky@example.org")
    assert user.display_name == "Sky"
    assert user.clinical_identity.legal_name == "Skyler Jones"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.program, membership.cohort) == (Role.PARTICIPANT, world.program, world.cohort)
    assert AuditEntry.objects.filter(action="accounts.invitation.accepted", subject=user).exists()
    # Signed in straight away.
    assert client.get("/dashboard/").status_code == 200


def test_a_used_link_cannot_be_used_again(client, invite):
    _invitation, token = invite
    client.post(f"/invite/{token}/", GOOD)
    client.logout()
    response = client.post(f"/invite/{token}/", {**GOOD, "display_name": "Someone else"})
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert User.objects.filter(display_name="Someone else").count() == 0


def test_expired_link_is_refused(client, invite):
    _invitation, token = invite
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(f"/invite/{token}/", GOOD)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_revoked_link_is_refused(world, client, invite):
    invitation, token = invite
    invitation_revoke(actor=world.admin, invitation=invitation)
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 400
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize("token", ["short", "x" * 43, "../../etc/passwd", "%00" * 30, "a" * 500])
def test_malformed_or_unknown_tokens_get_a_clear_message(client, token):
    response = client.get(f"/invite/{token}/")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "not valid" in response.content.decode()


def test_weak_or_mismatched_passwords_are_refused_and_nothing_is_created(client, invite):
    _invitation, token = invite
    for password, expected in [
        ("short pw", "too short"),
        ("password1234", "too common"),
    ]:
        response = client.post(f"/invite/{token}/", {**GOOD, "password1": password, "password2": password})
        assert response.status_code == 400
        assert expected in response.content.decode()
    response = client.post(f"/invite/{token}/", {**GOOD, "password2": "something else entirely"})
    assert response.status_code == 400
    assert "not the same" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_oversize_fields_are_refused(client, invite):
    _invitation, token = invite
    response = client.post(f"/invite/{token}/", {**GOOD, "display_name": "x" * 5000})
    assert response.status_code == 400
    assert not User.objects.filter(email="sky@example.org").exists()


def test_participant_invites_family_only_for_themself(world):
    invitation, _token = invitation_create(
        actor=world.participant, program=world.program, role=Role.FAMILY, email="mom@example.org"
    )
    assert invitation.related_participant == world.participant
    with pytest.raises(PermissionDenied):
        invitation_create(actor=world.participant, program=world.program, role=Role.CLINICIAN, email="x@example.org")
    with pytest.raises(PermissionDenied):
        invitation_create(actor=world.clinician, program=world.program, role=Role.PARTICIPANT, email="y@example.org")


def test_family_invitation_links_the_relative_to_the_participant(world):
    _invitation, token = invitation_create(
        actor=world.participant, program=world.program, role=Role.FAMILY, email="mom@example.org"
    )
    mom = invitation_accept(
        token=token, display_name="Mom", legal_name="Mary Doe", password="a long quiet river at dawn"
    )
    membership = Membership.objects.get(user=mom)
    assert membership.role == Role.FAMILY and membership.related_participant == world.participant


def test_existing_account_must_sign_in_and_then_gains_the_role(world, client):
    _invitation, token = invitation_create(
        actor=world.admin, program=world.program, role=Role.MENTOR, email=world.participant.email
    )
    with pytest.raises(InvitationError):
        invitation_accept(token=token, display_name="x", legal_name="x", password="a long quiet river at dawn")
    client.force_login(world.participant)
    response = client.post(f"/invite/{token}/")
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.participant, role=Role.MENTOR).exists()


def test_open_signup_is_closed(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "walk-in@example.org", "password1": GOOD["password1"], "password2": GOOD["password1"]},
    )
    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert response.status_code in (200, 302)


def test_family_invitations_are_rate_limited(world, client_for, settings):
    settings.FAMILY_INVITE_RATE_LIMIT = 2
    client = client_for(world.participant)
    for n in range(2):
        response = client.post("/family/invite/", {"email": f"kin{n}@example.org", "program": world.program.pk})
        assert response.status_code == 302
    response = client.post("/family/invite/", {"email": "kin9@example.org", "program": world.program.pk})
    assert response.status_code == 429
    assert "many invitations" in response.content.decode()
    assert not Invitation.objects.filter(email="kin9@example.org").exists()
