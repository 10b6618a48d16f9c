"""At phone width in Chromium: a clinician keeps a discharged participant's community access on the
alumni page; the alumnus then sees the alumni group, their own posts and a menu of community pages
only. Every page is axe-checked; screenshots land in var/screenshots/."""

import pytest

from hearth.community.models import AlumniAccess, Audience, Group
from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_transition
from hearth.tests.browser.conftest import PHONE, outside_event_loop, session_cookie_for

from .conftest import community_for

pytestmark = pytest.mark.browser


@pytest.fixture
def alumni_world(world, live_server):
    community_for(world)
    Group.objects.create(
        program=world.program, name="Alumni", description="Staying connected", audience=Audience.ALUMNI
    )
    membership = Membership.objects.get(user=world.participant, program=world.program, role=Role.PARTICIPANT)
    enrolment = enrolment_open(actor=world.clinician, membership=membership)
    for state in (EnrolmentState.INTAKE, EnrolmentState.ACTIVE, EnrolmentState.COMPLETED):
        enrolment = enrolment_transition(actor=world.clinician, enrolment=enrolment, to_state=state, reason="done")
    return {name: session_cookie_for(getattr(world, name), live_server.url) for name in ("participant", "clinician")}


def test_clinician_keeps_access_and_the_alumnus_sees_community_only(world, alumni_world, open_tab):
    tab = open_tab(viewport=PHONE, session=alumni_world["clinician"])
    page = tab.page
    tab.visit(f"/community/programs/{world.program.pk}/alumni/", "alumni page")
    tab.screenshot("community-alumni-staff-phone")
    with page.expect_navigation():
        page.click(f"text=Keep community access for {world.participant.display_name}")
    tab.check("after the grant")
    with outside_event_loop():
        assert AlumniAccess.objects.filter(person=world.participant, ended_at__isnull=True).exists()

    tab.use_session(alumni_world["participant"])
    tab.visit("/community/", "alumnus groups")
    assert page.locator(".group-list h3").all_inner_texts() == ["Alumni"]
    nav = [text.strip() for text in page.locator("nav a").all_text_contents()]
    assert "Check in" not in nav and "Messages" not in nav and "Community" in nav
    tab.screenshot("community-alumnus-groups-phone")
    tab.visit("/community/my-posts/", "alumnus posts")
