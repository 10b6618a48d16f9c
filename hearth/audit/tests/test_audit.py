import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_record_keeps_who_whom_what_when_and_where(world, client):
    client.force_login(world.clinician)
    client.get(f"/people/{world.participant.pk}/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="TestBrowser/1.0")
    entry = AuditEntry.objects.filter(action="programs.person.viewed").latest("at")
    assert entry.actor == world.clinician
    assert entry.subject == world.participant
    assert entry.ip_address == "203.0.113.9"
    assert entry.user_agent == "TestBrowser/1.0"
    assert entry.request_id
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)


def test_action_names_must_be_dotted(world):
    with pytest.raises(ValueError):
        audit_record(actor=world.admin, action="viewed")


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/profile/clinical/", "accounts.clinical_identity.viewed"),
    ],
)
def test_views_of_personal_data_are_audited(world, client_for, url, action):
    client_for(world.participant).get(url)
    assert AuditEntry.objects.filter(action=action, subject=world.participant, actor=world.participant).exists()


def test_update_of_an_audit_row_is_refused_by_the_database(world):
    entry = audit_record(actor=world.admin, action="tests.audit.created", subject=world.participant)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tests.audit.rewritten")
    assert AuditEntry.objects.get(pk=entry.pk).action == "tests.audit.created"


def test_delete_of_an_audit_row_is_refused_by_the_database(world):
    entry = audit_record(actor=world.admin, action="tests.audit.created")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x.y.z' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="tests.audit.created").exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_empty_the_audit_table(world):
    # The test runner's flush (on SQLite: DELETE) lifts and restores the triggers.
    audit_record(actor=world.admin, action="tests.audit.created")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    entry = audit_record(actor=None, action="tests.audit.created")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_participant_sees_who_viewed_their_record(world, client_for):
    client_for(world.clinician).get(f"/people/{world.participant.pk}/")
    page = client_for(world.participant).get("/my-record/views/")
    body = page.content.decode()
    assert page.status_code == 200
    assert world.clinician.display_name in body
    assert "Looked at your record" in body
    assert "programs.person.viewed" not in body  # plain words, never the raw code
    # Another participant's page does not show it.
    other = client_for(world.other_participant).get("/my-record/views/").content.decode()
    assert world.clinician.display_name not in other


def test_admin_searches_the_audit_log_of_their_programs_only(world, client_for):
    audit_record(actor=world.clinician, action="tests.thing.done", subject=world.participant)
    audit_record(actor=world.other_clinician, action="tests.secret.done")
    client = client_for(world.admin)
    body = client.get("/audit/?action=tests.").content.decode()
    assert "tests.thing.done" in body
    assert "tests.secret.done" not in body
    bad = client.get("/audit/?since=2026-02-01&until=2026-01-01&subject=abc")
    assert bad.status_code == 400
