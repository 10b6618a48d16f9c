import pytest

from hearth.consent.models import Category, RecipientKind
from hearth.family.selectors import Couple
from hearth.family.services import contract_agree
from hearth.tests.factories import Role, UserFactory, grant_role, make_consent


@pytest.fixture
def couple_unagreed(world):
    """The world's participant and a partner who keeps the daily recovery contract with them."""
    partner = UserFactory(display_name="Partner Sam")
    grant_role(partner, world.program, Role.FAMILY, related_participant=world.participant)
    consent = make_consent(
        world.participant,
        world.program,
        partner,
        categories=[Category.COUPLES_CONTRACT],
        recipient_kind=RecipientKind.PARTNER,
    )
    c = Couple(world.participant, partner, world.program)
    c.consent = consent
    return c


@pytest.fixture
def couple(couple_unagreed):
    """The couple, both having agreed to the daily contract."""
    for person in (couple_unagreed.participant, couple_unagreed.partner):
        contract_agree(actor=person, couple=couple_unagreed)
    return couple_unagreed
