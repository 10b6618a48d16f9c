"""Retention: a program keeps chat messages N years after a participant leaves; the nightly shredder
removes the rest (text and edit history), keeps the audit trail, and a dry run changes nothing."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.messaging.models import Message, MessageRevision
from hearth.messaging.services import message_edit, message_send
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.retention import people_who_left_before, shred_expired
from hearth.programs.services import enrolment_open, enrolment_transition, program_update

LEFT_AT = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)


def _discharge(world, person):
    membership = Membership.objects.get(user=person, program=world.program, role=Role.PARTICIPANT)
    enrolment = enrolment_open(actor=world.clinician, membership=membership)
    with time_machine.travel(LEFT_AT, tick=False):
        enrolment_transition(actor=world.clinician, enrolment=enrolment, to_state=EnrolmentState.INTAKE)
        enrolment_transition(
            actor=world.clinician, enrolment=enrolment, to_state=EnrolmentState.DISCHARGED, reason="Moved away"
        )


@pytest.fixture
def chat(world):
    group = cohort_conversation(world)
    with time_machine.travel(LEFT_AT - datetime.timedelta(days=30), tick=False):
        mine = message_send(actor=world.participant, conversation=group, body="First week, hard", client_msg_id="a")
        message_send(actor=world.participant, conversation=group, body="Better now", client_msg_id="b")
        theirs = message_send(actor=world.other_participant, conversation=group, body="Glad", client_msg_id="c")
        message_edit(actor=world.participant, message=mine.message, body="First week, very hard")
    program_update(actor=world.admin, program=world.program, chat_retention_years=7)
    _discharge(world, world.participant)
    return mine.message, theirs.message


def test_a_dry_run_counts_and_changes_nothing(world, chat):
    audit_before = AuditEntry.objects.count()
    report = shred_expired(dry_run=True, now=LEFT_AT + datetime.timedelta(days=7 * 366))
    assert report[world.program.slug] == {"messaging.messages": 2}
    assert Message.objects.filter(sender=world.participant).exclude(body="").count() == 2
    assert MessageRevision.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_the_shredder_removes_what_is_past_keeping_and_keeps_the_audit_trail(world, chat):
    mine, theirs = chat
    audit_before = set(AuditEntry.objects.values_list("pk", flat=True))
    now = LEFT_AT + datetime.timedelta(days=7 * 366)
    assert shred_expired(dry_run=False, now=now)[world.program.slug] == {"messaging.messages": 2}

    for message in Message.objects.filter(sender=world.participant):
        assert message.body == "" and message.deleted_at is not None
    assert not MessageRevision.objects.filter(message=mine).exists()
    theirs.refresh_from_db()
    assert theirs.body == "Glad" and theirs.deleted_at is None  # someone still here keeps theirs
    assert audit_before <= set(AuditEntry.objects.values_list("pk", flat=True))  # nothing removed
    entry = AuditEntry.objects.get(action="programs.retention.shredded")
    assert entry.actor is None and entry.program_id == world.program.pk
    assert entry.data["what"] == "messaging.messages" and entry.data["count"] == 2 and entry.data["years"] == 7
    # Running it again finds nothing more.
    assert shred_expired(dry_run=False, now=now)[world.program.slug] == {"messaging.messages": 0}


def test_nothing_goes_before_the_years_are_up_or_without_a_setting(world, chat):
    assert shred_expired(dry_run=False, now=LEFT_AT + datetime.timedelta(days=6 * 365))[world.program.slug] == {
        "messaging.messages": 0
    }
    program_update(actor=world.admin, program=world.program, chat_retention_years=None)
    assert world.program.slug not in shred_expired(dry_run=False, now=LEFT_AT + datetime.timedelta(days=30 * 365))
    assert Message.objects.filter(sender=world.participant).exclude(body="").count() == 2


def test_someone_who_came_back_is_kept_whole(world, chat):
    # A return is a new referral: the old membership is closed and a new one opened.
    Membership.objects.filter(user=world.participant, program=world.program, role=Role.PARTICIPANT).update(
        ended_at=LEFT_AT
    )
    Membership.objects.create(user=world.participant, program=world.program, role=Role.PARTICIPANT)
    later = LEFT_AT + datetime.timedelta(days=8 * 366)
    assert not people_who_left_before(world.program, later).filter(user_id=world.participant.pk).exists()
    assert shred_expired(dry_run=False, now=later)[world.program.slug] == {"messaging.messages": 0}


def test_the_command_prints_the_dry_run(world, chat):
    out = io.StringIO()
    with time_machine.travel(LEFT_AT + datetime.timedelta(days=8 * 366), tick=False):
        call_command("shred_expired", "--dry-run", stdout=out)
    report = json.loads(out.getvalue())
    assert report == {"dry_run": True, "programs": {world.program.slug: {"messaging.messages": 2}}}
    assert Message.objects.filter(sender=world.participant).exclude(body="").count() == 2


@pytest.mark.parametrize("value", ["0", "51", "seven", "-1"])
def test_the_setting_refuses_nonsense_and_changes_nothing(world, client_for, value):
    client = client_for(world.admin)
    url = reverse("program_settings", args=[world.program.pk])
    form = {"name": world.program.name, "time_zone": world.program.time_zone, "chat_retention_years": value}
    response = client.post(url, form)
    assert response.status_code == 400
    world.program.refresh_from_db()
    assert world.program.chat_retention_years is None


def test_an_admin_sets_the_years_on_the_settings_page(world, client_for):
    client = client_for(world.admin)
    url = reverse("program_settings", args=[world.program.pk])
    assert "years to keep a participant" in client.get(url).content.decode().lower()
    form = {
        "name": world.program.name,
        "time_zone": world.program.time_zone,
        "on_call_phone": world.program.on_call_phone,
        "chat_retention_years": "6",
    }
    assert client.post(url, form).status_code == 302
    world.program.refresh_from_db()
    assert world.program.chat_retention_years == 6
    entry = AuditEntry.objects.filter(action="programs.program.updated").latest("pk")
    assert entry.actor == world.admin and entry.data["fields"] == ["chat_retention_years"]
