"""Screenshots of peer mentorship at phone width (var/screenshots/mentorship-*.png), each checked by axe:
the mentor's day, a mentee's page, a match explanation (staff and participant) and supervision."""

import pytest

from hearth.accounts.demo import seed_people
from hearth.mentorship import demo as mentorship_demo
from hearth.mentorship.models import Mentorship

from .conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db, live_server):
    people = seed_people()
    mentorship_demo.seed(people)
    sam = people.mentors[0]
    marcus = Mentorship.objects.get(mentor=sam, mentee=people.participants["marcus"], status="active")
    sessions = {
        "sam": session_cookie_for(sam, live_server.url),
        "maria": session_cookie_for(people.clinicians[0], live_server.url),
        "james": session_cookie_for(people.clinicians[1], live_server.url),
        "tess": session_cookie_for(people.participants["tess"], live_server.url),
    }
    return {"sessions": sessions, "marcus": marcus.pk}


def test_mentorship_screens_at_phone_width(demo, open_tab):
    tab = open_tab(viewport=PHONE)
    tab.use_session(demo["sessions"]["sam"])
    tab.visit("/dashboard/")
    body = tab.page.content()
    assert "Your mentees" in body and "Marcus" in body and "Why this match" in body
    tab.screenshot("mentorship-mentor-day-phone")
    tab.visit(f"/mentorship/{demo['marcus']}/")
    tab.screenshot("mentorship-mentee-phone")

    tab.use_session(demo["sessions"]["maria"])
    tab.visit("/mentorship/requests/")
    assert "Nina" in tab.page.content()
    tab.screenshot("mentorship-match-explanation-staff-phone")

    tab.use_session(demo["sessions"]["tess"])
    tab.visit("/mentorship/me/")
    assert "Why this match" in tab.page.content()
    tab.screenshot("mentorship-match-explanation-participant-phone")

    tab.use_session(demo["sessions"]["james"])
    tab.visit("/mentorship/supervision/")
    assert "Sam R." in tab.page.content()
    tab.screenshot("mentorship-supervision-phone")
