"""Program admin pages in Chromium: axe finds nothing serious, no CSP errors, nothing scrolls
sideways on a phone; screenshots land in var/screenshots/."""

import pytest

from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_transition, track_create
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def enrolment(world):
    track_create(actor=world.admin, program=world.program, name="Stabilise", order=1)
    membership = Membership.objects.get(user=world.participant, program=world.program, role=Role.PARTICIPANT)
    enrolment = enrolment_open(actor=world.admin, membership=membership)
    return enrolment_transition(
        actor=world.admin, enrolment=enrolment, to_state=EnrolmentState.INTAKE, reason="Invited"
    )


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_program_admin_pages(world, enrolment, live_server, open_tab, size, viewport):
    tab = open_tab(viewport=viewport, session=session_cookie_for(world.admin, live_server.url))
    tab.visit("/programs/", "programs")
    tab.visit(f"/programs/{world.program.pk}/", "settings")
    tab.screenshot(f"programs-settings-{size}")
    tab.visit(f"/programs/{world.program.pk}/staff/", "staff")
    tab.visit(f"/programs/{world.program.pk}/enrolments/", "enrolments")
    tab.screenshot(f"programs-enrolments-{size}")
    tab.visit(f"/programs/enrolments/{enrolment.pk}/", "enrolment")
    tab.screenshot(f"programs-enrolment-{size}")
