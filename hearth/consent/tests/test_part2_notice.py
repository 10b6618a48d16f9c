"""Issue #13, item 5: every page that discloses Part 2 information to someone outside the care team
carries the 42 CFR § 2.32 notice; the person's own pages and the care team's do not need it."""

import pytest
from django.urls import reverse

from hearth.consent.models import Category
from hearth.messaging.models import Conversation, ConversationMember, Kind
from hearth.tests.factories import make_consent

NOTICE = "protected by federal confidentiality rules (42 CFR part 2)"
NOTICE_ES = "42 CFR parte 2"


def _family_conversation(world) -> Conversation:
    conversation = Conversation.objects.create(
        program=world.program, kind=Kind.FAMILY, participant=world.participant, created_by=world.clinician
    )
    for user in (world.participant, world.family_with_consent, world.clinician):
        ConversationMember.objects.create(conversation=conversation, user=user)
    return conversation


def _disclosing_pages(world) -> list[str]:
    person = world.participant.pk
    return [
        reverse("family_shared"),
        reverse("checkins:person_checkins", args=[person]),
        reverse("checkins:person_measures", args=[person]),
        reverse("plans:plan", args=[person]),
        reverse("scheduling:person_attendance", args=[person]),
        reverse("conversation_detail", args=[_family_conversation(world).pk]),
    ]


@pytest.fixture
def shared_everything(world):
    make_consent(
        world.participant,
        world.program,
        world.family_with_consent,
        categories=[Category.MEASURES, Category.TREATMENT_PLAN],
    )
    return _disclosing_pages(world)


def test_each_disclosing_page_shows_the_notice_to_family(world, client_for, shared_everything):
    client = client_for(world.family_with_consent)
    for url in shared_everything:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTICE in response.content.decode(), url


def test_the_notice_is_translated(world, client_for, shared_everything):
    world.family_with_consent.language = "es"
    world.family_with_consent.save(update_fields=["language"])
    body = client_for(world.family_with_consent).get(reverse("family_shared")).content.decode()
    assert NOTICE_ES in body
    assert NOTICE not in body


@pytest.mark.parametrize("persona", ["clinician", "admin", "participant"])
def test_care_team_and_own_pages_do_not_need_it(world, client_for, shared_everything, persona):
    client = client_for(getattr(world, persona))
    for url in shared_everything[1:]:
        response = client.get(url)
        assert response.status_code == 200, (persona, url)
        assert NOTICE not in response.content.decode(), (persona, url)
