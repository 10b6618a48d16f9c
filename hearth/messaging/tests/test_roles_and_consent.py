"""Conversation access follows roles and consent at once (issue #13, items 2 and 3)."""

import pytest
from django.http import Http404

from hearth.consent.models import Category
from hearth.messaging.models import Conversation, ConversationMember, Kind
from hearth.messaging.selectors import (
    conversation_for_reader,
    conversation_ids_for_member,
    conversations_for_viewer,
    direct_candidates_for,
    member_for,
)
from hearth.messaging.services import MessagingError, conversation_create, member_add, message_send
from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_transition, staff_end
from hearth.tests.factories import ProgramFactory, UserFactory, enrol_mfa, grant_role, make_consent

from .conftest import cohort_conversation


def _family_conversation(world) -> Conversation:
    conversation = Conversation.objects.create(
        program=world.program, kind=Kind.FAMILY, participant=world.participant, title="Family"
    )
    for user in (world.participant, world.clinician, world.family_with_consent):
        ConversationMember.objects.create(conversation=conversation, user=user)
    return conversation


def _fresh(user):
    user.__dict__.pop("_hearth_roles", None)
    return user


# --- 2. Ended roles keep no chats -----------------------------------------------------------


def test_ending_a_clinician_role_removes_them_from_every_conversation_of_the_program(world):
    cohort = cohort_conversation(world)
    family = _family_conversation(world)
    direct = conversation_create(
        actor=world.participant, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
    )
    membership = Membership.objects.get(user=world.clinician, program=world.program, role=Role.CLINICIAN)
    staff_end(actor=world.admin, membership=membership)
    former = _fresh(world.clinician)
    assert conversation_ids_for_member(viewer=former) == set()
    assert not ConversationMember.objects.filter(user=former, removed_at__isnull=True).exists()
    for conversation in (cohort, family, direct):
        with pytest.raises(Http404):
            conversation_for_reader(viewer=former, conversation_id=conversation.pk)
        with pytest.raises(MessagingError) as exc:
            message_send(actor=former, conversation=conversation, client_msg_id="x", body="still here?")
        assert exc.value.code == "conversation_not_found"
    # The participant keeps the conversations; only the former clinician left.
    assert member_for(viewer=_fresh(world.participant), conversation=cohort) is not None


def test_a_role_still_held_keeps_the_conversations_it_allows(world):
    cohort = cohort_conversation(world)
    grant_role(world.clinician, world.program, Role.ADMIN)
    membership = Membership.objects.get(user=world.clinician, program=world.program, role=Role.CLINICIAN)
    staff_end(actor=world.admin, membership=membership)
    assert member_for(viewer=_fresh(world.clinician), conversation=cohort) is not None


def test_ending_a_mentor_role_removes_them_from_group_conversations(world):
    cohort = cohort_conversation(world)
    member_add(actor=world.clinician, conversation=cohort, user=world.mentor)
    membership = Membership.objects.get(user=world.mentor, program=world.program, role=Role.MENTOR)
    staff_end(actor=world.admin, membership=membership)
    assert member_for(viewer=_fresh(world.mentor), conversation=cohort) is None
    assert list(conversations_for_viewer(viewer=world.mentor)) == []


def test_a_membership_left_behind_by_an_ended_role_gives_nothing(world):
    """Even if a membership row outlives the role (data from before the fix), it opens nothing."""
    cohort = cohort_conversation(world)
    Membership.objects.filter(user=world.clinician, program=world.program).update(ended_at=cohort.created_at)
    former = _fresh(world.clinician)
    assert member_for(viewer=former, conversation=cohort) is None
    assert cohort.pk not in conversation_ids_for_member(viewer=former)


def test_discharge_removes_the_participant_from_the_programs_conversations(world):
    cohort = cohort_conversation(world)
    membership = Membership.objects.get(user=world.other_participant, program=world.program, role=Role.PARTICIPANT)
    enrolment = enrolment_open(actor=world.clinician, membership=membership)
    enrolment_transition(actor=world.clinician, enrolment=enrolment, to_state=EnrolmentState.DISCHARGED, reason="moved")
    assert member_for(viewer=_fresh(world.other_participant), conversation=cohort) is None
    assert conversation_ids_for_member(viewer=world.other_participant) == set()


# --- 3. Consent edges -----------------------------------------------------------------------


def test_a_family_member_with_a_second_role_still_needs_consent_for_the_family_conversation(world):
    family = _family_conversation(world)
    relative = world.family_without
    grant_role(relative, world.program, Role.MENTOR)
    ConversationMember.objects.create(conversation=family, user=relative)
    relative = _fresh(relative)
    assert member_for(viewer=relative, conversation=family) is None
    assert family.pk not in conversation_ids_for_member(viewer=relative)
    assert family not in list(conversations_for_viewer(viewer=relative))
    with pytest.raises(MessagingError):
        member_add(actor=world.clinician, conversation=family, user=relative)


def test_a_family_member_needs_consent_to_message_a_clinician_privately(world):
    with pytest.raises(MessagingError) as exc:
        conversation_create(
            actor=world.family_without, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
        )
    assert exc.value.code == "not_allowed"
    with pytest.raises(MessagingError):
        conversation_create(
            actor=world.clinician, program=world.program, kind=Kind.DIRECT, members=[world.family_without]
        )
    assert direct_candidates_for(viewer=world.family_without) == []
    assert world.family_without not in [person for _program, person in direct_candidates_for(viewer=world.clinician)]
    # Under a consent that covers talking with the care team it is allowed.
    direct = conversation_create(
        actor=world.family_with_consent, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
    )
    assert member_for(viewer=world.family_with_consent, conversation=direct) is not None


def test_a_family_members_private_conversation_closes_when_consent_is_withdrawn(world):
    from hearth.consent.services import consent_revoke

    direct = conversation_create(
        actor=world.family_with_consent, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
    )
    consent_revoke(actor=world.participant, consent=world.consent)
    assert member_for(viewer=world.family_with_consent, conversation=direct) is None
    assert direct.pk not in conversation_ids_for_member(viewer=world.family_with_consent)


def test_a_consent_given_to_another_program_opens_nothing_here(world):
    """Consent is per program: the participant's consent to program B does not open program A's
    family conversation."""
    family = _family_conversation(world)
    world.consent.delete()
    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    make_consent(world.participant, world.other_program, world.family_with_consent, categories=[Category.MESSAGING])
    assert member_for(viewer=world.family_with_consent, conversation=family) is None
    with pytest.raises(MessagingError):
        conversation_create(
            actor=world.family_with_consent, program=world.program, kind=Kind.DIRECT, members=[world.clinician]
        )


def test_staff_are_offered_only_family_holding_consent(world):
    lone = UserFactory(display_name="Lone relative")
    grant_role(lone, world.program, Role.FAMILY, related_participant=world.participant)
    enrol_mfa(lone)
    other = ProgramFactory()
    grant_role(world.clinician, other, Role.ADMIN)
    people = [person for _program, person in direct_candidates_for(viewer=_fresh(world.clinician))]
    assert lone not in people
    assert world.family_with_consent in people


def test_a_membership_left_behind_by_an_ended_role_cannot_send_on_any_path(world):
    """The one-statement send (PostgreSQL, group conversations) checks the role too."""
    cohort = cohort_conversation(world)
    Membership.objects.filter(user=world.clinician, program=world.program).update(ended_at=cohort.created_at)
    with pytest.raises(MessagingError) as exc:
        message_send(actor=_fresh(world.clinician), conversation=cohort.pk, client_msg_id="late", body="still here?")
    assert exc.value.code == "conversation_not_found"
    assert cohort.messages.count() == 0
