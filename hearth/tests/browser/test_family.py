"""A contract day in two browsers at phone width: the participant states the intention, the partner
thanks them in another browser context, both calendars show the day. Screenshots of the family
portal, a CRAFT module and the contract day in var/screenshots/."""

import pytest
from django.urls import reverse

from hearth.consent.models import Category, RecipientKind
from hearth.family.selectors import local_today
from hearth.tests.factories import Role, UserFactory, grant_role, make_consent

from .conftest import PHONE, outside_event_loop, session_cookie_for

pytestmark = pytest.mark.browser


def test_contract_day_in_two_browsers(world, live_server, open_tab):
    with outside_event_loop():
        partner = UserFactory(display_name="Sam")
        grant_role(partner, world.program, Role.FAMILY, related_participant=world.participant)
        categories = [Category.COUPLES_CONTRACT, Category.ATTENDANCE, Category.CHECKINS, Category.SCHEDULE]
        make_consent(
            world.participant, world.program, partner, categories=categories, recipient_kind=RecipientKind.PARTNER
        )
        contract = reverse("family:contract", args=[world.participant.pk])
        day = local_today(world.participant).isoformat()
        participant_session = session_cookie_for(world.participant, live_server.url)
        partner_session = session_cookie_for(partner, live_server.url)
    me = open_tab(viewport=PHONE, session=participant_session)
    me.visit(contract)
    me.page.get_by_role("button", name="I say this today").click()
    me.page.wait_for_load_state("load")
    assert "Thank you" in me.page.content()

    them = open_tab(viewport=PHONE, session=partner_session)
    them.visit(contract)
    them.page.get_by_label("I saw the medication taken today").check()
    them.page.get_by_role("button", name="Thank you for today").click()
    them.page.wait_for_load_state("load")
    assert them.page.locator(f'li[data-day="{day}"].is-stated').count() == 1
    them.screenshot("family-contract-day-partner")

    me.visit(contract)
    assert me.page.locator(f'li[data-day="{day}"].is-stated').count() == 1
    assert "Sam said thank you" in me.page.content()
    me.screenshot("family-contract-day-participant")

    them.visit(reverse("family:person", args=[world.participant.pk]))
    assert "42 CFR part 2" in them.page.content()
    them.screenshot("family-portal")
    them.visit(reverse("family:course_module", args=["staying-safe"]))
    them.screenshot("family-course-module")
