"""Mentorship services: the lifecycle, bad input, the working day, and the scenario end to end."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from hearth.audit.models import AuditEntry
from hearth.mentorship.models import MentorRequest, Mentorship, MentorshipStatus, RequestStatus
from hearth.mentorship.services import (
    batch_propose,
    contact_log,
    conversation_open,
    mentorship_end,
    mentorship_propose,
    mentorship_respond,
    profile_save,
    request_create,
    training_record,
    worry_raise,
)
from hearth.messaging.services import message_send
from hearth.outreach.models import OutreachTask, Rule
from hearth.outreach.rules import RuleContext, isolation, thresholds_for
from hearth.outreach.services import outreach_evaluate_person
from hearth.programs.models import Membership, Role
from hearth.safety.models import SafetySignal
from hearth.tests.factories import UserFactory, enrol_mfa, grant_role

from .helpers import TUESDAY_EVENING, active_mentorship, approved_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _request(world, person=None, **prefs):
    person = person or world.participant
    return request_create(actor=person, participant=person, program=world.program, **prefs)


def test_scenario_request_proposal_both_accept_message_contact_isolation(world):
    """Request → proposal → both accept → first message → contact log → the isolation rule sees it."""
    profile = approved_mentor(world)
    start = timezone.now() - datetime.timedelta(days=10)
    Membership.objects.filter(user=world.participant, role=Role.PARTICIPANT).update(started_at=start)
    request = _request(world, languages=["es"], lived_experience=["parent"], availability=[TUESDAY_EVENING])
    mentorship = mentorship_propose(actor=world.clinician, request=request, profile=profile)
    assert "speaks Spanish" in mentorship.explanation and "also a parent" in mentorship.explanation
    mentorship = mentorship_respond(actor=world.mentor, mentorship=mentorship, accept=True)
    assert mentorship.status == MentorshipStatus.PROPOSED
    mentorship = mentorship_respond(actor=world.participant, mentorship=mentorship, accept=True)
    assert mentorship.status == MentorshipStatus.ACTIVE
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED

    # Before any contact the person looks isolated (enrolled ten days ago, no sign of contact).
    membership = Membership.objects.get(user=world.participant, role=Role.PARTICIPANT)
    ctx = RuleContext(membership=membership, now=timezone.now(), thresholds=thresholds_for(world.program))
    assert isolation(ctx) is not None

    conversation = conversation_open(actor=world.mentor, mentorship=mentorship)
    sent = message_send(actor=world.mentor, conversation=conversation, client_msg_id="m1", body="Hi, I'm Sam!")
    assert sent.created
    # The mentor's message is not the mentee's contact; the contact log is.
    ctx = RuleContext(membership=membership, now=timezone.now(), thresholds=thresholds_for(world.program))
    assert isolation(ctx) is not None
    contact_log(
        actor=world.mentor,
        mentorship=mentorship,
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        channel="call",
        minutes=20,
        how_it_went="good",
    )
    ctx = RuleContext(membership=membership, now=timezone.now(), thresholds=thresholds_for(world.program))
    assert isolation(ctx) is None
    outreach_evaluate_person(person_id=world.participant.pk)
    assert not OutreachTask.objects.filter(person=world.participant, rule=Rule.ISOLATION).exists()
    actions = set(AuditEntry.objects.filter(action__startswith="mentorship.").values_list("action", flat=True))
    assert {"mentorship.request.created", "mentorship.mentorship.started", "mentorship.contact.logged"} <= actions


def test_direct_messages_only_while_active(world):
    from hearth.messaging.permissions import may_message_directly

    assert not may_message_directly(world.mentor, world.participant, world.program)
    mentorship = active_mentorship(world)
    assert may_message_directly(world.mentor, world.participant, world.program)
    assert not may_message_directly(world.mentor, world.other_participant, world.program)
    mentorship_end(actor=world.participant, mentorship=mentorship, reason="schedule")
    assert not may_message_directly(world.mentor, world.participant, world.program)
    with pytest.raises(ValidationError):
        conversation_open(actor=world.mentor, mentorship=mentorship)


def test_over_capacity_is_refused(world):
    profile = approved_mentor(world, capacity=1)
    mentorship_propose(actor=world.clinician, request=_request(world), profile=profile)
    with pytest.raises(ValidationError, match="no places left"):
        mentorship_propose(actor=world.clinician, request=_request(world, world.other_participant), profile=profile)


def test_expired_training_is_refused(world):
    profile = approved_mentor(world, expired=True)
    with pytest.raises(ValidationError, match="training has expired"):
        mentorship_propose(actor=world.clinician, request=_request(world), profile=profile)


def test_unapproved_mentor_is_refused(world):
    profile = profile_save(actor=world.mentor, program=world.program, languages=["en"])
    with pytest.raises(ValidationError, match="not approved"):
        mentorship_propose(actor=world.clinician, request=_request(world), profile=profile)


def test_hard_preference_is_never_broken_by_a_proposal(world):
    profile = approved_mentor(world, languages=("en",), gender="woman")
    with pytest.raises(ValidationError, match="language or gender"):
        mentorship_propose(actor=world.clinician, request=_request(world, languages=["vi"]), profile=profile)


def test_availability_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        profile_save(actor=world.mentor, program=world.program, languages=["en"], availability=[[1, 1200, 1080]])
    assert "availability" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _request(world, availability=[[2, 600, 540]])


def test_training_that_expires_before_completion_is_refused(world):
    profile = profile_save(actor=world.mentor, program=world.program, languages=["en"])
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        training_record(actor=world.clinician, profile=profile, name="x", completed_on=today, expires_on=today)


def test_matching_oneself_is_refused(world):
    """A person who is both a participant and a mentor cannot be matched with themself."""
    grant_role(world.mentor, world.program, Role.PARTICIPANT, cohort=world.cohort, primary_clinician=world.clinician)
    profile = approved_mentor(world)
    request = _request(world, world.mentor)
    with pytest.raises(ValidationError, match="own mentor"):
        mentorship_propose(actor=world.clinician, request=request, profile=profile)


def test_stale_accept_is_refused(world):
    profile = approved_mentor(world)
    mentorship = mentorship_propose(actor=world.clinician, request=_request(world), profile=profile)
    mentorship_respond(actor=world.participant, mentorship=mentorship, accept=False)
    with pytest.raises(ValidationError, match="no longer open"):
        mentorship_respond(actor=world.mentor, mentorship=mentorship, accept=True)
    # The request waits for another match.
    assert MentorRequest.objects.get(participant=world.participant).status == RequestStatus.WAITING


def test_expired_proposal_is_refused(world):
    profile = approved_mentor(world)
    mentorship = mentorship_propose(actor=world.clinician, request=_request(world), profile=profile)
    later = timezone.now() + datetime.timedelta(days=15)
    with pytest.raises(ValidationError, match="expired"):
        mentorship_respond(actor=world.mentor, mentorship=mentorship, accept=True, now=later)


def test_only_the_two_people_answer_and_only_staff_propose(world):
    profile = approved_mentor(world)
    request = _request(world)
    with pytest.raises(PermissionDenied):
        mentorship_propose(actor=world.mentor, request=request, profile=profile)
    with pytest.raises(PermissionDenied):
        mentorship_propose(actor=world.other_clinician, request=request, profile=profile)
    mentorship = mentorship_propose(actor=world.clinician, request=request, profile=profile)
    with pytest.raises(PermissionDenied):
        mentorship_respond(actor=world.other_participant, mentorship=mentorship, accept=True)


def test_clinician_asks_on_behalf_but_not_for_someone_outside_their_care(world):
    request = request_create(actor=world.clinician, participant=world.participant, program=world.program)
    assert request.requested_by == world.clinician
    with pytest.raises(PermissionDenied):
        request_create(actor=world.other_clinician, participant=world.other_participant, program=world.program)
    with pytest.raises(ValidationError, match="already a request"):
        request_create(actor=world.participant, participant=world.participant, program=world.program)


def test_end_kindly_keeps_history(world):
    mentorship = active_mentorship(world)
    with pytest.raises(ValidationError):
        mentorship_end(actor=world.mentor, mentorship=mentorship, reason="nope")
    ended = mentorship_end(actor=world.mentor, mentorship=mentorship, reason="goals_met")
    assert ended.status == MentorshipStatus.ENDED and ended.end_reason == "goals_met"
    assert Mentorship.objects.filter(pk=mentorship.pk).exists()
    with pytest.raises(ValidationError):
        contact_log(
            actor=world.mentor,
            mentorship=ended,
            happened_at=timezone.now(),
            channel="call",
            minutes=5,
            how_it_went="good",
        )


def test_contact_log_bad_input(world):
    mentorship = active_mentorship(world)
    with pytest.raises(ValidationError) as caught:
        contact_log(
            actor=world.mentor,
            mentorship=mentorship,
            happened_at=timezone.now() + datetime.timedelta(days=1),
            channel="telepathy",
            minutes=9000,
            how_it_went="great",
            note="x" * 300,
        )
    assert set(caught.value.message_dict) == {"happened_at", "channel", "minutes", "how_it_went", "note"}
    with pytest.raises(PermissionDenied):
        contact_log(
            actor=world.clinician,
            mentorship=mentorship,
            happened_at=timezone.now(),
            channel="call",
            minutes=5,
            how_it_went="good",
        )


def test_contact_note_with_crisis_words_alerts_the_care_team(world, django_capture_on_commit_callbacks):
    mentorship = active_mentorship(world)
    before = SafetySignal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        contact_log(
            actor=world.mentor,
            mentorship=mentorship,
            happened_at=timezone.now(),
            channel="call",
            minutes=15,
            how_it_went="hard",
            note="I am scared, she overdosed last night",
        )
    signal = SafetySignal.objects.order_by("-pk").first()
    assert SafetySignal.objects.count() == before + 1
    assert signal.person == world.participant and signal.source == "mentorship.contact.note"


def test_worry_goes_to_the_care_team(world):
    mentorship = active_mentorship(world)
    worry = worry_raise(actor=world.mentor, mentorship=mentorship, text="Missed our call twice and sounded low.")
    assert worry.signal.person == world.participant
    assert worry.signal.severity == "moderate" and worry.signal.source == "mentorship.worry"
    urgent = worry_raise(
        actor=world.mentor, mentorship=mentorship, text="He has a gun at home and talks about using it"
    )
    assert urgent.signal.severity in ("urgent", "high")
    with pytest.raises(PermissionDenied):
        worry_raise(actor=world.other_participant, mentorship=mentorship)


def test_batch_proposes_a_stable_set_within_capacity(world):
    first = approved_mentor(world, capacity=1, languages=("en",))
    second_user = UserFactory(display_name="Second mentor")
    grant_role(second_user, world.program, Role.MENTOR)
    enrol_mfa(second_user)
    second = approved_mentor(world, second_user, capacity=1, languages=("es",), gender="man")
    _request(world, languages=["es"])
    _request(world, world.other_participant, languages=["en"])
    proposed = batch_propose(actor=world.clinician, program=world.program)
    pairs = {(m.mentee_id, m.mentor_id) for m in proposed}
    assert pairs == {(world.participant.pk, second.user_id), (world.other_participant.pk, first.user_id)}
    assert batch_propose(actor=world.clinician, program=world.program) == []
