"""Add-to-calendar and events people propose that staff approve (#15 item 5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hearth.audit.models import AuditEntry
from hearth.community.models import EventProposal
from hearth.community.services import MAX_PENDING_PROPOSALS, event_proposal_decide, event_propose
from hearth.notifications.models import Notification
from hearth.safety.models import SafetySignal
from hearth.scheduling.models import Occurrence

pytestmark = pytest.mark.django_db


def _when(days=5):
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def _propose(world, **overrides):
    data = {
        "actor": world.participant,
        "program": world.program,
        "kind": "game_night",
        "title": "Board games and pizza",
        "description": "Bring a favourite game",
        "starts_at": _when(),
        "minutes": 120,
        "capacity": 8,
    }
    data.update(overrides)
    return event_propose(**data)


def test_add_to_calendar_is_an_ics_with_title_and_times_only(world, community, client_for):
    response = client_for(world.participant).get(reverse("community:event_ics", args=[community.event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Game night"
    assert event.decoded("dtstart") == community.event.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == community.event.ends_at.replace(microsecond=0)
    assert "description" not in event and "attendee" not in event
    assert str(event["uid"]).startswith(f"occurrence-{community.event.pk}@")
    page = client_for(world.participant).get(reverse("community:events")).content.decode()
    assert reverse("community:event_ics", args=[community.event.pk]) in page


def test_add_to_calendar_of_an_event_one_may_not_see_is_404(world, community, client_for, outsider):
    assert client_for(outsider).get(reverse("community:event_ics", args=[community.event.pk])).status_code == 404
    assert client_for(world.participant).get("/community/events/999999/calendar.ics").status_code == 404


def test_participant_proposes_and_staff_approve_into_the_calendar(
    world, community, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.participant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:event_propose"),
            {
                "program": world.program.pk,
                "kind": "movie_screening",
                "title": "Comedy night",
                "description": "Something light",
                "starts_at": _when().astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M"),
                "minutes": "120",
                "capacity": "10",
            },
        )
    assert response.status_code == 302
    proposal = EventProposal.objects.get(title="Comedy night")
    assert proposal.status == "pending" and proposal.proposer == world.participant
    assert Notification.objects.filter(recipient=world.admin, kind="community.proposal").exists()
    staff_page = client_for(world.clinician).get(reverse("community:events")).content.decode()
    assert "Comedy night" in staff_page and "Something light" in staff_page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.clinician).post(
            reverse("community:proposal_decide", args=[proposal.pk]), {"decision": "approve"}
        )
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.occurrence is not None
    occurrence = Occurrence.objects.get(pk=proposal.occurrence_id)
    assert occurrence.kind == "movie_screening" and occurrence.capacity == 10
    assert occurrence.cohort == world.cohort  # the proposer's cohort
    assert list(occurrence.hosts.all()) == [world.participant]
    assert Notification.objects.filter(recipient=world.participant, kind="community.proposal_decided").exists()
    assert AuditEntry.objects.filter(action="community.event.approved", actor=world.clinician).exists()
    # It is now a social event the cohort can find and RSVP to.
    page = client_for(world.other_participant).get(reverse("community:events")).content.decode()
    assert "Comedy night" in page
    with pytest.raises(ValidationError, match="already answered"):
        event_proposal_decide(actor=world.admin, proposal=proposal, approve=False)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "group_therapy"}, "kind"),
        ({"kind": ["x"]}, "kind"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 500}, "title"),
        ({"description": "x" * 5000}, "description"),
        ({"starts_at": timezone.now() - datetime.timedelta(days=1)}, "starts_at"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=400)}, "starts_at"),
        ({"starts_at": datetime.datetime(2030, 1, 1, 19, 0)}, "starts_at"),  # naive
        ({"minutes": 5}, "minutes"),
        ({"minutes": "90"}, "minutes"),
        ({"capacity": 1}, "capacity"),
        ({"capacity": 10_000}, "capacity"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _propose(world, **overrides)
    assert field in exc.value.message_dict
    assert not EventProposal.objects.exists()


def test_proposal_form_bad_input_is_a_400_not_a_500(world, client_for):
    response = client_for(world.participant).post(
        reverse("community:event_propose"),
        {"program": "999999", "kind": "nope", "title": "", "starts_at": "yesterday", "minutes": "x"},
    )
    assert response.status_code == 400
    assert not EventProposal.objects.exists()


def test_pending_ideas_are_limited_and_only_participants_and_mentors_propose(world):
    for n in range(MAX_PENDING_PROPOSALS):
        _propose(world, title=f"Walk and talk {n}")
    with pytest.raises(ValidationError, match="waiting for staff"):
        _propose(world, title="One more")
    assert _propose(world, actor=world.mentor).proposer == world.mentor
    for person in (world.clinician, world.family_with_consent):
        with pytest.raises(PermissionDenied):
            _propose(world, actor=person)
    with pytest.raises(PermissionDenied):
        _propose(world, actor=world.other_participant, program=world.other_program)


def test_only_the_programs_staff_decide(world):
    proposal = _propose(world)
    for person in (world.participant, world.mentor, world.other_clinician):
        with pytest.raises(PermissionDenied):
            event_proposal_decide(actor=person, proposal=proposal, approve=True)
    event_proposal_decide(actor=world.admin, proposal=proposal, approve=False)
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.occurrence is None
    assert not Occurrence.objects.filter(title="Board games and pizza").exists()


def test_crisis_words_in_a_proposal_raise_a_signal_and_the_idea_is_kept(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _propose(world, description="honestly I want to end my life, this might help")
    assert EventProposal.objects.count() == 1
    assert SafetySignal.objects.filter(person=world.participant, source="community.event_proposal").exists()


def test_events_page_queries_do_not_grow_with_proposals(world, community, client_for, django_assert_max_num_queries):
    client = client_for(world.clinician)
    url = reverse("community:events")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    before = EventProposal.objects.count()  # the world's own idea
    for n in range(2):
        _propose(world, title=f"Idea {n}")
        _propose(world, actor=world.mentor, title=f"Mentor idea {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('id="proposal-') == before + 4
