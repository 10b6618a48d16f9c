"""The mentorship demo: both mentors with mentees and weeks of contacts, one person waiting; idempotent."""

import pytest

from hearth.accounts.demo import seed_people
from hearth.consent.models import Consent, RecipientKind
from hearth.mentorship import demo
from hearth.mentorship.models import (
    ContactLog,
    MentorProfile,
    MentorRequest,
    Mentorship,
    RequestStatus,
    SupervisionNote,
)
from hearth.mentorship.selectors import mentees_for_mentor, supervision_for_viewer

pytestmark = pytest.mark.django_db


def _counts():
    return (
        MentorProfile.objects.count(),
        Mentorship.objects.count(),
        ContactLog.objects.count(),
        SupervisionNote.objects.count(),
        Consent.objects.filter(recipient_kind=RecipientKind.MENTOR).count(),
    )


def test_demo_seeds_mentors_mentees_contacts_and_a_waiting_participant():
    people = seed_people()
    demo.seed(people)
    first = _counts()
    sam, rosa = people.mentors
    for mentor in (sam, rosa):
        mentees = list(mentees_for_mentor(viewer=mentor))
        assert len(mentees) == 3
        assert all(m.last_contact is not None and m.next_meeting is not None for m in mentees)
    assert ContactLog.objects.count() >= 30
    waiting = MentorRequest.objects.get(status=RequestStatus.WAITING)
    assert waiting.participant == people.participants["nina"]
    james = people.clinicians[1]
    rows = supervision_for_viewer(viewer=james)
    assert [r.profile.user for r in rows] == [sam]
    assert [m.mentee for m in rows[0].overdue] == [people.participants["omar"]]
    assert rows[0].note is not None and rows[0].previous_note is not None and "Omar" in rows[0].note.body
    # The mentors planned their meetings themselves; two mentees share one category each with their mentor.
    assert all(m.next_meeting is not None for m in mentees_for_mentor(viewer=sam))
    shares = {
        c.participant.display_name: (c.recipient_user, c.categories)
        for c in Consent.objects.filter(recipient_kind=RecipientKind.MENTOR)
    }
    assert shares == {
        people.participants["luis"].display_name: (rosa, ["checkins"]),
        people.participants["marcus"].display_name: (sam, ["treatment_plan"]),
    }
    demo.seed(seed_people())
    assert _counts() == first
