"""The mentorship pages: the mentor's day, a non-mentee's page, forms and their errors."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hearth.mentorship.models import ContactLog, MentorRequest, Mentorship
from hearth.mentorship.services import contact_log
from hearth.programs.models import Role
from hearth.tests.factories import UserFactory, enrol_mfa, grant_role

from .helpers import active_mentorship, approved_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _second_mentor(world):
    user = UserFactory(display_name="Rosa")
    grant_role(user, world.program, Role.MENTOR)
    enrol_mfa(user)
    return approved_mentor(world, user, gender="woman")


def test_a_mentor_opening_a_non_mentees_page_gets_404(world, client_for):
    active_mentorship(world)
    others = active_mentorship(world, profile=_second_mentor(world), mentee=world.other_participant)
    client = client_for(world.mentor)
    for name in ("mentorship:detail",):
        assert client.get(reverse(name, args=[others.pk])).status_code == 404
    for name in ("mentorship:contact_new", "mentorship:worry", "mentorship:end", "mentorship:message"):
        assert client.post(reverse(name, args=[others.pk]), {}).status_code == 404
    assert not ContactLog.objects.filter(mentorship=others).exists()


def test_mentors_day_lists_mentees_with_last_contact_and_bounded_queries(
    world, client_for, django_assert_max_num_queries
):
    profile = approved_mentor(world, capacity=5)
    first = active_mentorship(world, profile=profile)
    second = active_mentorship(world, profile=profile, mentee=world.other_participant)
    Mentorship.objects.update(started_at=timezone.now() - datetime.timedelta(days=20))
    for m in (first, second):
        contact_log(
            actor=world.mentor,
            mentorship=m,
            happened_at=timezone.now() - datetime.timedelta(days=2),
            channel="call",
            minutes=20,
            how_it_went="good",
        )
    client = client_for(world.mentor)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("mentorship:mentees"))
    body = response.content.decode()
    assert "Participant" in body and "Other participant" in body
    assert "2\xa0days ago" in body or "2 days ago" in body
    with django_assert_max_num_queries(40):
        dashboard = client.get(reverse("dashboard"))
    assert "Your mentees" in dashboard.content.decode()
    assert "Other participant" in dashboard.content.decode()


def test_mentor_never_sees_legal_names_or_clinical_data(world, client_for):
    mentorship = active_mentorship(world)
    body = client_for(world.mentor).get(reverse("mentorship:detail", args=[mentorship.pk])).content.decode()
    legal = getattr(getattr(world.participant, "clinical_identity", None), "legal_name", "")
    if legal:
        assert legal not in body
    assert "check-in" not in body.lower()


def test_contact_form_errors_are_clear_and_change_nothing(world, client_for):
    mentorship = active_mentorship(world)
    client = client_for(world.mentor)
    zone = zoneinfo.ZoneInfo(world.mentor.time_zone)  # the form reads times in the viewer's zone
    future = (timezone.localtime(timezone=zone) + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentorship:contact_new", args=[mentorship.pk]),
        {"happened_at": future, "channel": "call", "minutes": "15", "how_it_went": "good"},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not ContactLog.objects.exists()
    now = timezone.localtime(timezone=zone).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentorship:contact_new", args=[mentorship.pk]),
        {"happened_at": now, "channel": "video", "minutes": "30", "how_it_went": "okay", "note": "Talked about work."},
    )
    assert response.status_code == 302
    assert ContactLog.objects.get().minutes == 30


def test_participant_asks_for_a_mentor_and_sees_the_explanation_of_a_proposal(world, client_for):
    profile = approved_mentor(world)
    client = client_for(world.participant)
    response = client.post(
        reverse("mentorship:mine"), {"languages": ["es"], "lived_experience": ["parent"], "availability": ["1:evening"]}
    )
    assert response.status_code == 302
    request = MentorRequest.objects.get(participant=world.participant)
    assert request.availability == [[1, 17 * 60, 23 * 60]]
    staff = client_for(world.clinician)
    page = staff.get(reverse("mentorship:requests")).content.decode()
    assert "speaks Spanish · also a parent · both free Tuesday evenings" in page
    staff.post(reverse("mentorship:propose", args=[request.pk]), {"profile": profile.pk})
    mine = client_for(world.participant).get(reverse("mentorship:mine")).content.decode()
    assert "Would you like Mentor as your mentor?" in mine and "also a parent" in mine


def test_stale_accept_in_the_browser_is_a_clear_message(world, client_for):
    profile = approved_mentor(world)
    client = client_for(world.participant)
    client.post(reverse("mentorship:mine"), {"languages": ["en"]})
    request = MentorRequest.objects.get(participant=world.participant)
    client_for(world.clinician).post(reverse("mentorship:propose", args=[request.pk]), {"profile": profile.pk})
    mentorship = request.mentorships.get()
    client = client_for(world.participant)
    client.post(reverse("mentorship:respond", args=[mentorship.pk]), {"answer": "decline"})
    client = client_for(world.mentor)
    response = client.post(reverse("mentorship:respond", args=[mentorship.pk]), {"answer": "accept"}, follow=True)
    assert "no longer open" in response.content.decode()


def test_supervision_shows_caseload_overdue_and_training(world, client_for):
    mentorship = active_mentorship(world)
    contact_log(
        actor=world.mentor,
        mentorship=mentorship,
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        channel="call",
        minutes=10,
        how_it_went="good",
    )
    body = client_for(world.clinician).get(reverse("mentorship:supervision")).content.decode()
    assert "Caseload: 1 of 3" in body and "1 contact in the last 30 days" in body and "current until" in body
    assert "Mentor" in body
    assert (
        "No mentors to supervise"
        in client_for(world.other_clinician).get(reverse("mentorship:supervision")).content.decode()
    )


def test_requests_page_query_count_does_not_grow_with_requests(world, client_for, django_assert_max_num_queries):
    from hearth.mentorship.services import request_create

    approved_mentor(world)
    for person in (world.participant, world.other_participant):
        request_create(actor=person, participant=person, program=world.program, languages=["en"])
    client = client_for(world.clinician)
    client.get(reverse("mentorship:requests"))  # the session's first request does the sign-in work
    with django_assert_max_num_queries(20):
        response = client.get(reverse("mentorship:requests"))
    body = response.content.decode()
    assert body.count("Propose</button>") == 2
