import datetime
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.utils import timezone

from hearth.tests.factories import PASSWORD, ProgramFactory, Role, UserFactory, enrol_mfa, grant_role

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _code(secret, offset=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def test_participant_logs_in_with_password(world, client):
    from hearth.audit.models import AuditEntry

    response = _login(client, world.participant.email)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    actions = set(AuditEntry.objects.filter(subject=world.participant).values_list("action", flat=True))
    assert {"accounts.session.signed_in", "accounts.session.signed_out"} <= actions


def test_lockout_after_repeated_failures(world, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = _login(client, world.participant.email, "wrong password entirely")
        assert response.status_code == 200
    # Even the right password is refused while locked out, with a clear message.
    response = _login(client, world.participant.email)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302
    # The window passes; the person can sign in again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert _login(client, world.participant.email).status_code == 302


def test_staff_login_needs_a_totp_code_and_refuses_wrong_and_replayed_codes(db, client):
    clinician = UserFactory()
    grant_role(clinician, ProgramFactory(), Role.CLINICIAN)
    secret = enrol_mfa(clinician)
    response = _login(client, clinician.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    code = _code(secret)
    ok = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert ok.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    # The same code, replayed within its window, is refused.
    _login(client, clinician.email)
    replay = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_staff_without_mfa_reach_only_enrolment(db, client):
    for role in (Role.CLINICIAN, Role.ADMIN, Role.MENTOR):
        person = UserFactory()
        grant_role(person, ProgramFactory(), role)
        assert _login(client, person.email).status_code == 302
        for path in ("/dashboard/", "/profile/", "/people/", "/notifications/"):
            response = client.get(path)
            assert response.status_code == 302, (role, path)
            assert response["Location"] == "/accounts/2fa/totp/activate/"
        # allauth asks for the password once more before a factor is added, then shows enrolment.
        response = client.get("/accounts/2fa/totp/activate/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
        assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200
        assert client.get("/help/crisis/").status_code == 200
        client.logout()


def test_participants_do_not_need_mfa(world, client_for):
    assert client_for(world.participant).get("/dashboard/").status_code == 200


def test_staff_idle_timeout_is_15_minutes(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.clinician)
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        response = client.get("/dashboard/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get("/dashboard/").status_code == 302  # really signed out


def test_participant_idle_timeout_is_configurable(world, client, settings):
    settings.IDLE_TIMEOUT_OTHER_MINUTES = 45
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.participant)
        client.get("/dashboard/")
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=80), tick=False):
        assert client.get("/dashboard/").status_code == 302


def test_absolute_session_lifetime(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.participant)
        client.get("/dashboard/")
    # Active every 10 minutes, but the session still ends after the absolute lifetime.
    for minutes in range(10, settings.SESSION_ABSOLUTE_LIFETIME_HOURS * 60, 10):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=settings.SESSION_ABSOLUTE_LIFETIME_HOURS, minutes=5)):
        assert client.get("/dashboard/").status_code == 302


def test_tampered_session_cookie_is_treated_as_signed_out(world, client):
    client.force_login(world.participant)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    cookie.set(settings.SESSION_COOKIE_NAME, cookie.value[:-4] + "abcd", cookie.value[:-4] + "abcd")
    client.cookies[settings.SESSION_COOKIE_NAME] = "garbage" + cookie.value
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_reset_by_email(world, client):
    response = client.post("/accounts/password/reset/", {"email": world.participant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "password" in mail.outbox[0].body.lower()
    assert world.participant.clinical_identity.legal_name not in mail.outbox[0].body


def test_person_ends_their_other_sessions(world, client, django_user_model):
    from allauth.usersessions.models import UserSession
    from django.test import Client

    other = Client()
    other.force_login(world.participant)
    other.get("/dashboard/")
    client.force_login(world.participant)
    client.get("/dashboard/")
    assert UserSession.objects.filter(user=world.participant).count() == 2
    response = client.post("/accounts/sessions/", {"action": "end"})
    assert response.status_code == 302
    assert other.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_admin_ends_anyones_sessions(world, client):
    from django.test import Client

    victim = Client()
    victim.force_login(world.participant)
    victim.get("/dashboard/")
    client.force_login(world.admin)
    response = client.post(f"/people/{world.participant.pk}/sessions/end/")
    assert response.status_code == 302
    assert victim.get("/dashboard/").status_code == 302


def test_times_are_shown_in_the_viewers_zone(world, client_for):
    from hearth.notifications.services import notify

    with time_machine.travel(datetime.datetime(2026, 7, 1, 15, 0, tzinfo=datetime.UTC), tick=False):
        notify(recipient=world.participant, kind="system.welcome")
    world.participant.time_zone = "America/Chicago"
    world.participant.save(update_fields=["time_zone"])
    body = client_for(world.participant).get("/notifications/").content.decode()
    assert "July 1, 2026, 10 a.m." in body
    assert "3 p.m." not in body
