"""Mentorship reads are scoped by the viewer; eligibility and the outreach hook read the right rows."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from hearth.mentorship import selectors
from hearth.mentorship.services import contact_log
from hearth.programs.models import Membership, Role

from .helpers import active_mentorship, approved_mentor

pytestmark = pytest.mark.django_db


def test_mentorship_is_reached_by_its_people_and_its_program_staff_only(world):
    mentorship = active_mentorship(world)
    for viewer in (world.mentor, world.participant, world.clinician, world.admin):
        assert selectors.mentorship_for_viewer(viewer=viewer, mentorship_id=mentorship.pk) == mentorship
    for viewer in (world.other_participant, world.other_clinician, world.family_with_consent):
        with pytest.raises(Http404):
            selectors.mentorship_for_viewer(viewer=viewer, mentorship_id=mentorship.pk)
    with pytest.raises(Http404):
        selectors.contacts_for_mentorship(viewer=world.other_participant, mentorship=mentorship)


def test_mentees_for_mentor_lists_only_their_active_mentees(world):
    active_mentorship(world)
    assert [m.mentee for m in selectors.mentees_for_mentor(viewer=world.mentor)] == [world.participant]
    assert list(selectors.mentees_for_mentor(viewer=world.clinician)) == []


def test_eligible_profiles_need_approval_current_training_and_the_role(world):
    profile = approved_mentor(world)
    today = timezone.localdate()
    assert list(selectors.eligible_profiles(program=world.program, on=today)) == [profile]
    later = today + datetime.timedelta(days=800)
    assert list(selectors.eligible_profiles(program=world.program, on=later)) == []
    Membership.objects.filter(user=world.mentor, role=Role.MENTOR).update(ended_at=timezone.now())
    assert list(selectors.eligible_profiles(program=world.program, on=today)) == []


def test_last_mentor_contact_counts_reached_contacts_only(world):
    mentorship = active_mentorship(world)
    now = timezone.now()
    assert selectors.last_mentor_contact(world.participant, now) is None
    reached = now - datetime.timedelta(hours=3)
    contact_log(
        actor=world.mentor, mentorship=mentorship, happened_at=reached, channel="call", minutes=10, how_it_went="good"
    )
    contact_log(
        actor=world.mentor,
        mentorship=mentorship,
        happened_at=now - datetime.timedelta(hours=1),
        channel="call",
        minutes=0,
        how_it_went="no_answer",
    )
    assert selectors.last_mentor_contact(world.participant, now) == reached


def test_suggestions_explain_themselves(world):
    from hearth.mentorship.services import request_create

    approved_mentor(world)
    request = request_create(
        actor=world.participant, participant=world.participant, program=world.program, languages=["es"]
    )
    [row] = selectors.suggestions_for_request(request=request)
    assert row.profile.user == world.mentor and row.places_left == 3
    assert "Spanish" in row.explanation or "Español" in row.explanation
