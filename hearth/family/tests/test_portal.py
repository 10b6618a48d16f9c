import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.consent.models import Category
from hearth.consent.services import consent_revoke
from hearth.family.selectors import SECTIONS
from hearth.family.services import progress_summary_save
from hearth.tests.factories import make_consent

NOTICE = "42 CFR part 2"
STATES = ["granted", "expired", "withdrawn", "other_participant"]


def _consent_in_state(world, category, state):
    extra = {}
    if state == "expired":
        extra = {
            "signed_at": timezone.now() - datetime.timedelta(days=60),
            "expires_at": timezone.now() - datetime.timedelta(days=1),
        }
    consent = make_consent(world.participant, world.program, world.family_without, categories=[category], **extra)
    if state == "withdrawn":
        consent_revoke(actor=world.participant, consent=consent)
    subject = world.other_participant if state == "other_participant" else world.participant
    return subject


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("slug", "category"), [(slug, category) for slug, category, _label in SECTIONS])
def test_consent_matrix(world, client_for, slug, category, state):
    """Each category opens exactly its own section, only while the consent is in force, only for its participant."""
    subject = _consent_in_state(world, category, state)
    client = client_for(world.family_without)
    before = AuditEntry.objects.filter(action="family.portal.viewed").count()
    response = client.get(reverse("family:person", args=[subject.pk]))
    if state != "granted":
        assert response.status_code == 404
        assert AuditEntry.objects.filter(action="family.portal.viewed").count() == before
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{slug}"' in html
    for other_slug, _category, _label in SECTIONS:
        if other_slug != slug:
            assert f'id="{other_slug}"' not in html
    assert NOTICE in html
    entry = AuditEntry.objects.filter(action="family.portal.viewed").latest("pk")
    assert entry.subject_id == world.participant.pk and entry.actor_id == world.family_without.pk


def test_every_view_is_in_who_viewed_my_record(world, client_for):
    client = client_for(world.family_with_consent)
    assert client.get(reverse("family:person", args=[world.participant.pk])).status_code == 200
    client = client_for(world.participant)
    page = client.get(reverse("my_disclosures")).content.decode()
    assert world.family_with_consent.display_name in page


def test_revoking_ends_access_at_the_next_request(world, client_for):
    client = client_for(world.family_with_consent)
    url = reverse("family:person", args=[world.participant.pk])
    assert client.get(url).status_code == 200
    consent_revoke(actor=world.participant, consent=world.consent)
    assert client.get(url).status_code == 404


def test_progress_shows_the_approved_words_and_streak_never_notes(world, client_for):
    from hearth.checkins.models import CheckIn

    CheckIn.objects.create(
        person=world.participant, local_date=timezone.localdate(), mood=4, craving=2, sleep_hours=7, note="Private 1234"
    )
    progress_summary_save(actor=world.participant, text="Going to every group, feeling steadier.")
    make_consent(world.participant, world.program, world.family_without, categories=[Category.PROGRESS])
    html = client_for(world.family_without).get(reverse("family:person", args=[world.participant.pk])).content.decode()
    assert "feeling steadier" in html
    assert "Private 1234" not in html
    assert "days of check-ins in a row" in html


def test_checkins_section_never_shows_notes(world, client_for):
    from hearth.checkins.models import CheckIn

    CheckIn.objects.create(
        person=world.participant, local_date=timezone.localdate(), mood=4, craving=2, sleep_hours=7, note="Private 5678"
    )
    html = (
        client_for(world.family_with_consent)
        .get(reverse("family:person", args=[world.participant.pk]))
        .content.decode()
    )
    assert 'id="checkins"' in html and "Private 5678" not in html
    # Not consented: schedule, progress, questionnaires.
    assert 'id="schedule"' not in html and 'id="measures"' not in html and 'id="progress"' not in html


def test_portal_lists_sections_and_the_shared_with_me_page_links_there(world, client_for):
    client = client_for(world.family_with_consent)
    portal = client.get(reverse("family:portal")).content.decode()
    assert reverse("family:person", args=[world.participant.pk]) + "#attendance" in portal
    shared = client.get(reverse("family_shared")).content.decode()
    assert reverse("family:person", args=[world.participant.pk]) in shared


def test_progress_summary_is_written_by_the_participant_only(world, client_for):
    assert client_for(world.family_with_consent).get(reverse("family:my_summary")).status_code == 403
    client = client_for(world.participant)
    assert client.post(reverse("family:my_summary"), {"text": "  "}).status_code == 400
    response = client.post(reverse("family:my_summary"), {"text": "One week at a time."})
    assert response.status_code == 302
    assert world.participant.family_progress_summary.text == "One week at a time."
