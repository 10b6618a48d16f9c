import datetime

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.consent.models import Category, Consent
from hearth.consent.selectors import consent_allows
from hearth.consent.services import consent_revoke

pytestmark = pytest.mark.django_db


def test_consent_allows_only_named_categories_for_the_named_recipient(world):
    allows = lambda viewer, category: consent_allows(viewer=viewer, subject=world.participant, category=category)  # noqa: E731
    assert allows(world.participant, Category.PROGRESS)  # oneself
    assert allows(world.clinician, Category.PROGRESS)  # care team
    assert allows(world.family_with_consent, Category.ATTENDANCE)
    assert not allows(world.family_with_consent, Category.PROGRESS)
    assert not allows(world.family_without, Category.ATTENDANCE)
    assert not allows(world.other_participant, Category.ATTENDANCE)
    assert not allows(world.other_clinician, Category.ATTENDANCE)
    assert not allows(world.mentor, Category.ATTENDANCE)


def test_revocation_takes_effect_at_once(world):
    assert consent_allows(viewer=world.family_with_consent, subject=world.participant, category=Category.ATTENDANCE)
    consent_revoke(actor=world.participant, consent=world.consent)
    assert not consent_allows(viewer=world.family_with_consent, subject=world.participant, category=Category.ATTENDANCE)
    assert AuditEntry.objects.filter(action="consent.consent.revoked", subject=world.participant).exists()


def test_expired_consent_allows_nothing(world):
    later = timezone.now() + datetime.timedelta(days=31)
    assert not consent_allows(
        viewer=world.family_with_consent, subject=world.participant, category=Category.ATTENDANCE, at=later
    )


def test_participant_grants_consent_through_the_page(world, client_for):
    client = client_for(world.participant)
    response = client.post(
        "/sharing/new/",
        {
            "program": world.program.pk,
            "recipient_kind": "family",
            "recipient": str(world.family_without.pk),
            "recipient_name": "",
            "categories": ["attendance", "progress"],
            "purpose": "So my brother can support me",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
            "signature": "Legal Participant",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(recipient_user=world.family_without)
    assert consent.categories == ["attendance", "progress"]
    assert consent.signed_ip == "127.0.0.1"
    assert consent_allows(viewer=world.family_without, subject=world.participant, category="progress")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"categories": ["everything"]}, "Select a valid choice"),
        ({"expires_on": "2020-01-01"}, "must be in the future"),
        ({"expires_on": "not a date"}, "Enter a valid date"),
        ({"signature": ""}, "This field is required"),
        ({"purpose": "x" * 1000}, "at most 300 characters"),
    ],
)
def test_bad_consent_input_is_refused_and_nothing_changes(world, client_for, change, message):
    data = {
        "program": world.program.pk,
        "recipient_kind": "court",
        "recipient_name": "County court",
        "categories": ["attendance"],
        "purpose": "Court requirement",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "signature": "Legal Participant",
        **change,
    }
    before = Consent.objects.count()
    response = client_for(world.participant).post("/sharing/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Consent.objects.count() == before


def test_revoking_twice_says_so(world, client_for):
    client = client_for(world.participant)
    client.post(f"/sharing/{world.consent.pk}/revoke/")
    response = client.post(f"/sharing/{world.consent.pk}/revoke/", follow=True)
    assert "already withdrawn" in response.content.decode()


def test_family_sees_what_is_shared_and_stops_seeing_it_after_revocation(world, client_for):
    client = client_for(world.family_with_consent)
    assert world.participant.display_name in client.get("/shared-with-me/").content.decode()
    consent_revoke(actor=world.participant, consent=world.consent)
    assert world.participant.display_name not in client.get("/shared-with-me/").content.decode()
