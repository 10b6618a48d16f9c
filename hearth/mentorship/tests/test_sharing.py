"""Consented sharing with the mentor (issue 16, item 6): without a consent a mentor sees no check-in,
questionnaire or plan value; with one, exactly the category consented; withdrawn, expired or the
mentorship ended, access ends at the next request."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from hearth.audit.models import AuditEntry
from hearth.checkins.selectors import checkins_for_viewer
from hearth.checkins.services import checkin_submit, local_today, measure_submit
from hearth.consent.models import Consent, RecipientKind
from hearth.consent.services import consent_revoke
from hearth.mentorship.services import mentor_share_grant, mentorship_end
from hearth.plans.services import plan_save

from .helpers import active_mentorship

pytestmark = pytest.mark.django_db

GOAL = "Rebuild trust with my sister"
NOTE = "argued with my landlord"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(world):
    """A check-in with a note, a PHQ-9 and a treatment plan of the world's participant."""
    person = world.participant
    checkin_submit(
        actor=person,
        person=person,
        local_date=local_today(person),
        mood=2,
        craving=9,
        sleep_hours="4.5",
        sleep_quality="poor",
        triggers=["stress"],
        connections=["peer"],
        note=NOTE,
    )
    measure_submit(actor=person, person=person, measure="phq9", answers=[2, 2, 1, 1, 0, 1, 2, 1, 0])
    plan_save(
        actor=world.clinician,
        person=person,
        program=world.program,
        problems="Drinking most evenings",
        goals=GOAL,
        weekly_hours_target=Decimal("9"),
        next_review_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def _pages(world):
    person_id = world.participant.pk
    return {
        "checkins": reverse("checkins:person_checkins", args=[person_id]),
        "measures": reverse("checkins:person_measures", args=[person_id]),
        "treatment_plan": reverse("plans:plan", args=[person_id]),
    }


def _grant(world, mentorship, categories, days=30):
    return mentor_share_grant(
        actor=world.participant,
        mentorship=mentorship,
        categories=categories,
        purpose="So my mentor can support me",
        expires_at=timezone.now() + datetime.timedelta(days=days),
        signature="Pat Participant",
    )


def test_a_mentor_sees_no_checkin_measure_or_plan_values_without_consent(world, records, client_for):
    mentorship = active_mentorship(world)
    client = client_for(world.mentor)
    for url in _pages(world).values():
        assert client.get(url).status_code == 404
    with pytest.raises(Http404):
        checkins_for_viewer(viewer=world.mentor, person=world.participant)
    detail = client.get(reverse("mentorship:detail", args=[mentorship.pk])).content.decode()
    assert "Nothing is shared with you" in detail
    for value in (GOAL, NOTE, "PHQ-9", "Mood", "person_checkins", "/plan/"):
        assert value not in detail
    # The consent the participant gave a family member names the family member, not the mentor.
    assert not Consent.objects.filter(recipient_user=world.mentor).exists()


def test_the_mentor_sees_exactly_the_consented_category(world, records, client_for):
    mentorship = active_mentorship(world)
    participant = client_for(world.participant)
    form = participant.get(reverse("mentorship:share", args=[mentorship.pk])).content.decode()
    assert "Daily check-ins" in form and "Treatment plan" in form and "safety" not in form.lower()
    expires = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    response = participant.post(
        reverse("mentorship:share", args=[mentorship.pk]),
        {"categories": ["checkins"], "expires_on": expires, "signature": "Pat Participant"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(recipient_user=world.mentor)
    assert consent.recipient_kind == RecipientKind.MENTOR and consent.categories == ["checkins"]
    assert AuditEntry.objects.filter(action="consent.consent.granted", subject=world.participant).exists()
    mine = participant.get(reverse("mentorship:detail", args=[mentorship.pk])).content.decode()
    assert "Daily check-ins" in mine and reverse("consent_list") in mine  # where to stop sharing

    client = client_for(world.mentor)
    pages = _pages(world)
    checkins = client.get(pages["checkins"])
    assert checkins.status_code == 200
    assert NOTE not in checkins.content.decode()  # notes stay with the care team whatever a consent says
    assert AuditEntry.objects.filter(action="checkins.checkin.viewed", actor=world.mentor).exists()
    assert client.get(pages["measures"]).status_code == 404
    assert client.get(pages["treatment_plan"]).status_code == 404
    detail = client.get(reverse("mentorship:detail", args=[mentorship.pk])).content.decode()
    assert pages["checkins"] in detail and pages["measures"] not in detail and pages["treatment_plan"] not in detail
    # The consent names one person: the mentor still sees nothing of anyone else.
    other_pages = reverse("checkins:person_checkins", args=[world.other_participant.pk])
    assert client.get(other_pages).status_code == 404


@pytest.mark.parametrize("ending", ["withdrawn", "expired", "mentorship_ended"])
def test_access_ends_at_the_next_request(world, records, client_for, ending):
    mentorship = active_mentorship(world)
    consent = _grant(world, mentorship, ["checkins", "treatment_plan"])
    client = client_for(world.mentor)
    pages = _pages(world)
    assert client.get(pages["checkins"]).status_code == 200
    assert client.get(pages["treatment_plan"]).status_code == 200
    assert GOAL in client.get(pages["treatment_plan"]).content.decode()
    if ending == "withdrawn":
        consent_revoke(actor=world.participant, consent=consent)
    elif ending == "expired":
        Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    else:
        mentorship_end(actor=world.mentor, mentorship=mentorship, reason="mentor_break")
        assert AuditEntry.objects.filter(action="consent.consent.ended", subject=world.participant).exists()
    assert client.get(pages["checkins"]).status_code == 404
    assert client.get(pages["treatment_plan"]).status_code == 404


def test_bad_sharing_requests_are_refused_and_change_nothing(world, client_for):
    mentorship = active_mentorship(world)
    for categories in ([], ["safety_plan"], ["messaging"], ["checkins", "nonsense"]):
        with pytest.raises(ValidationError):
            _grant(world, mentorship, categories)
    with pytest.raises(PermissionDenied):  # the mentor cannot consent for the mentee
        mentor_share_grant(
            actor=world.mentor,
            mentorship=mentorship,
            categories=["checkins"],
            purpose="",
            expires_at=timezone.now() + datetime.timedelta(days=5),
            signature="Mentor",
        )
    with pytest.raises(ValidationError):  # an end in the past
        _grant(world, mentorship, ["checkins"], days=-1)
    participant = client_for(world.participant)
    url = reverse("mentorship:share", args=[mentorship.pk])
    response = participant.post(url, {"categories": ["checkins"], "expires_on": "2001-01-01", "signature": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date must be in the future." in body
    mentorship_end(actor=world.participant, mentorship=mentorship, reason="fit")
    with pytest.raises(ValidationError, match="not active"):
        _grant(world, mentorship, ["checkins"])
    assert not Consent.objects.filter(recipient_user=world.mentor).exists()
