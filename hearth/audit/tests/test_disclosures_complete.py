"""Issue #13, item 6: every read of a person's information names that person, so "Who viewed my
record" is complete (HTTP pages, multi-person pages in one INSERT, and reads over the chat socket)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.audit.selectors import disclosures_for_subject
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.programs.models import Role
from hearth.scheduling.tests.access import world_session
from hearth.tests.factories import UserFactory, grant_role


def _seen_by(person, actor) -> set[str]:
    return {e.action for e in disclosures_for_subject(viewer=person).filter(actor=actor)}


@pytest.mark.parametrize(
    ("url_name", "action"),
    [
        ("scheduling:occurrence_detail", "scheduling.roster.viewed"),
        ("scheduling:attendance_sheet", "scheduling.attendance_sheet.viewed"),
        ("scheduling:session_notes", "scheduling.note.viewed"),
    ],
)
def test_session_pages_name_each_person_shown(world, client_for, url_name, action):
    occurrence = world_session(world)
    response = client_for(world.clinician).get(reverse(url_name, args=[occurrence.pk]))
    assert response.status_code == 200
    assert action in _seen_by(world.participant, world.clinician)
    entry = AuditEntry.objects.filter(action=action, subject=world.participant).latest("id")
    assert entry.program_id == world.program.pk


def test_conversation_page_names_its_members(world, client_for):
    conversation = cohort_conversation(world)
    client_for(world.clinician).get(reverse("conversation_detail", args=[conversation.pk]))
    assert "messaging.conversation.viewed" in _seen_by(world.participant, world.clinician)
    assert "messaging.conversation.viewed" in _seen_by(world.other_participant, world.clinician)
    assert not AuditEntry.objects.filter(action="messaging.conversation.viewed", subject=world.clinician).exists()


def test_people_list_and_dashboard_are_audited_per_person(world, client_for):
    client = client_for(world.clinician)
    assert client.get(reverse("people_list")).status_code == 200
    assert "programs.people_list.viewed" in _seen_by(world.participant, world.clinician)
    assert client.get(reverse("dashboard")).status_code == 200
    assert "home.dashboard.viewed" in _seen_by(world.participant, world.clinician)


def _audit_inserts(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditentry"'))


def test_a_list_page_writes_its_entries_in_one_insert(world, client_for):
    client = client_for(world.clinician)
    assert _audit_inserts(client, reverse("people_list")) == 1
    for n in range(4):
        grant_role(UserFactory(display_name=f"More {n}"), world.program, Role.PARTICIPANT, cohort=world.cohort)
    before = AuditEntry.objects.filter(action="programs.people_list.viewed").count()
    assert _audit_inserts(client, reverse("people_list")) == 1
    assert AuditEntry.objects.filter(action="programs.people_list.viewed").count() - before == 6
