"""A contract day in two browsers at phone width: both partners agree to the contract, the
participant states the intention, the partner thanks them in another browser context, both
calendars show the day. Then the weekly shared activity: the partner proposes, the participant
agrees. Screenshots of the family portal, a CRAFT module, the contract day, the activity plan and
the family support group in var/screenshots/."""

import pytest
from django.urls import reverse

from hearth.community.models import Audience, MemberRole
from hearth.community.services import group_create, member_add
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
        group = group_create(
            actor=world.admin,
            program=world.program,
            name="Family and friends",
            description="For the people who love someone in the program.",
            audience=Audience.FAMILIES,
        )
        member_add(actor=world.admin, group=group, user=world.clinician, role=MemberRole.FACILITATOR)
        contract = reverse("family:contract", args=[world.participant.pk])
        activities = reverse("family:activities", args=[world.participant.pk])
        day = local_today(world.participant).isoformat()
        participant_session = session_cookie_for(world.participant, live_server.url)
        partner_session = session_cookie_for(partner, live_server.url)
    me = open_tab(viewport=PHONE, session=participant_session)
    them = open_tab(viewport=PHONE, session=partner_session)

    # Each agrees for themself; nothing can be stated before both have.
    me.visit(contract)
    assert me.page.get_by_role("button", name="I say this today").count() == 0
    me.page.get_by_role("button", name="I agree to the daily contract").click()
    me.page.wait_for_load_state("load")
    assert "starts when your partner agrees too" in me.page.content()
    them.visit(contract)
    them.page.get_by_role("button", name="I agree to the daily contract").click()
    them.page.wait_for_load_state("load")
    assert "You have both agreed" in them.page.content()

    me.visit(contract)
    me.page.get_by_role("button", name="I say this today").click()
    me.page.wait_for_load_state("load")
    assert "Thank you" in me.page.content()

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

    # The weekly shared activity: the partner proposes, the participant agrees, both see it.
    them.visit(activities)
    them.page.get_by_label("Propose something to do together").first.fill("Picnic in the park on Saturday")
    them.page.get_by_role("button", name="Propose").first.click()
    them.page.wait_for_load_state("load")
    assert "Waiting for your partner to agree" in them.page.content()
    me.visit(activities)
    me.page.get_by_role("button", name="I agree").click()
    me.page.wait_for_load_state("load")
    assert me.page.locator(".activity.is-agreed").count() == 1
    me.page.get_by_role("button", name="We did it").click()
    me.page.wait_for_load_state("load")
    assert me.page.locator(".activity.is-done").count() == 1
    them.visit(activities)
    assert them.page.locator(".activity.is-done", has_text="Picnic in the park").count() == 1
    them.screenshot("family-activity-plan-phone")

    them.visit(reverse("family:portal"))
    assert "This week:" in them.page.content()
    them.screenshot("family-portal-home")
    them.visit(reverse("family:person", args=[world.participant.pk]))
    assert "42 CFR part 2" in them.page.content()
    them.screenshot("family-portal")
    them.visit(reverse("family:course_module", args=["staying-safe"]))
    them.screenshot("family-course-module")
    them.visit(reverse("community:group_list"))
    assert "Family and friends" in them.page.content()
    them.screenshot("family-support-group")
