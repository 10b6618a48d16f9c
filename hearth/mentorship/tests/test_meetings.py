"""A mentor plans a meeting with their mentee through scheduling: on both calendars, the next
meeting on the mentor's day; bad input and a non-mentee refused."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from hearth.audit.models import AuditEntry
from hearth.mentorship.selectors import mentees_for_mentor
from hearth.mentorship.services import meeting_schedule, mentorship_end
from hearth.programs.models import Role
from hearth.scheduling.models import Occurrence, SessionKind
from hearth.scheduling.selectors import occurrences_for_viewer
from hearth.scheduling.services import occurrence_schedule
from hearth.tests.factories import UserFactory, enrol_mfa, grant_role

from .helpers import active_mentorship, approved_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _soon(days=2, hour=18):
    return (timezone.now() + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _other_mentorship(world):
    rosa = UserFactory(display_name="Rosa")
    grant_role(rosa, world.program, Role.MENTOR)
    enrol_mfa(rosa)
    return active_mentorship(world, profile=approved_mentor(world, rosa), mentee=world.other_participant)


def test_meeting_lands_on_both_calendars_and_is_the_next_meeting(world):
    mentorship = active_mentorship(world)
    starts = _soon()
    occurrence = meeting_schedule(
        actor=world.mentor, mentorship=mentorship, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45)
    )
    assert occurrence.kind == SessionKind.MENTOR_MEETING and occurrence.series_id is None
    window = (timezone.now(), timezone.now() + datetime.timedelta(days=7))
    for person in (world.mentor, world.participant):
        assert occurrence in occurrences_for_viewer(viewer=person, start=window[0], end=window[1])
    assert occurrence not in occurrences_for_viewer(viewer=world.other_participant, start=window[0], end=window[1])
    assert "Participant" in occurrence.title and "Mentor" in occurrence.title
    assert mentees_for_mentor(viewer=world.mentor).get().next_meeting == starts
    assert AuditEntry.objects.filter(
        action="mentorship.meeting.scheduled", subject=world.participant, data__occurrence=occurrence.pk
    ).exists()
    assert AuditEntry.objects.filter(action="scheduling.occurrence.scheduled", actor=world.mentor).exists()


@pytest.mark.parametrize(
    ("starts", "minutes", "field", "message"),
    [
        (-2, 45, "starts_at", "Choose a time in the future."),
        (48, -30, "ends_at", "The meeting must end after it starts."),
        (48, 0, "ends_at", "The meeting must end after it starts."),
        (48, 5 * 60, "ends_at", "at most four hours"),
    ],
)
def test_bad_times_are_refused_and_change_nothing(world, starts, minutes, field, message):
    mentorship = active_mentorship(world)
    starts_at = timezone.now() + datetime.timedelta(hours=starts)
    with pytest.raises(ValidationError) as error:
        meeting_schedule(
            actor=world.mentor,
            mentorship=mentorship,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not Occurrence.objects.exists()


def test_a_naive_time_is_refused(world):
    mentorship = active_mentorship(world)
    naive = datetime.datetime.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        meeting_schedule(actor=world.mentor, mentorship=mentorship, starts_at=naive, ends_at=naive)
    assert not Occurrence.objects.exists()


def test_only_the_mentor_plans_and_only_with_their_active_mentee(world):
    mentorship = active_mentorship(world)
    others = _other_mentorship(world)
    starts = _soon()
    ends = starts + datetime.timedelta(minutes=30)
    with pytest.raises(PermissionDenied):  # someone else's mentee
        meeting_schedule(actor=world.mentor, mentorship=others, starts_at=starts, ends_at=ends)
    with pytest.raises(PermissionDenied):  # the mentee does not plan as the mentor
        meeting_schedule(actor=world.participant, mentorship=mentorship, starts_at=starts, ends_at=ends)
    # Straight through scheduling, the allowance lets a mentor do exactly this and nothing else.
    common = {"program": world.program, "title": "x", "starts_at": starts, "ends_at": ends}
    refused = [
        {"kind": SessionKind.MENTOR_MEETING, "hosts": [world.mentor], "people": [world.other_participant]},
        {"kind": SessionKind.GROUP_THERAPY, "hosts": [world.mentor], "people": [world.participant]},
        {"kind": SessionKind.MENTOR_MEETING, "hosts": [], "people": [world.participant]},
        {
            "kind": SessionKind.MENTOR_MEETING,
            "hosts": [world.mentor],
            "people": [world.participant, world.other_participant],
        },
    ]
    for kwargs in refused:
        with pytest.raises(PermissionDenied):
            occurrence_schedule(actor=world.mentor, **common, **kwargs)
    mentorship_end(actor=world.participant, mentorship=mentorship, reason="schedule")
    with pytest.raises(ValidationError, match="not active"):
        meeting_schedule(actor=world.mentor, mentorship=mentorship, starts_at=starts, ends_at=ends)
    with pytest.raises(PermissionDenied):
        occurrence_schedule(
            actor=world.mentor,
            **common,
            kind=SessionKind.MENTOR_MEETING,
            hosts=[world.mentor],
            people=[world.participant],
        )
    assert not Occurrence.objects.exists()


def test_the_form_plans_a_meeting_shown_on_the_mentors_day(world, client_for):
    mentorship = active_mentorship(world)
    client = client_for(world.mentor)
    zone = zoneinfo.ZoneInfo(world.mentor.time_zone)  # the form reads times in the viewer's zone
    day = (timezone.localtime(timezone=zone) + datetime.timedelta(days=3)).date()
    url = reverse("mentorship:meeting_new", args=[mentorship.pk])
    response = client.post(url, {"day": day.isoformat(), "starts": "19:00", "ends": "18:30"})
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Occurrence.objects.exists()
    response = client.post(url, {"day": day.isoformat(), "starts": "19:00", "ends": "19:45"})
    assert response.status_code == 302
    occurrence = Occurrence.objects.get()
    assert occurrence.starts_at == datetime.datetime.combine(day, datetime.time(19), tzinfo=zone)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'datetime="{occurrence.starts_at.astimezone(zone).isoformat()}"' in dashboard
    # A mentee's page that is not the mentor's: 404, and nothing is planned.
    others = _other_mentorship(world)
    assert client.post(reverse("mentorship:meeting_new", args=[others.pk]), {}).status_code == 404
    assert Occurrence.objects.count() == 1


def test_people_hear_of_proposals_matches_meetings_and_endings_in_hearth_words_and_generic_titles(
    world, django_capture_on_commit_callbacks
):
    from hearth.notifications.models import Notification

    def news_for(person):
        return list(
            Notification.objects.filter(recipient=person, kind="mentorship.news")
            .order_by("pk")
            .values_list("title", "url", "text")
        )

    with django_capture_on_commit_callbacks(execute=True):
        mentorship = active_mentorship(world)
    # Proposed: both asked; started: the one who said yes first (the mentor) hears it is on.
    assert [(url, text) for _t, url, text in news_for(world.mentor)] == [
        (reverse("mentorship:mentees"), f"You were suggested as a peer mentor for {world.participant.display_name}"),
        (
            reverse("mentorship:detail", args=[mentorship.pk]),
            f"{world.participant.display_name} accepted: your peer mentorship has started",
        ),
    ]
    assert [(url, text) for _t, url, text in news_for(world.participant)] == [
        (reverse("mentorship:mine"), f"Your care team suggested {world.mentor.display_name} as your peer mentor")
    ]
    starts = _soon()
    with django_capture_on_commit_callbacks(execute=True):
        occurrence = meeting_schedule(
            actor=world.mentor, mentorship=mentorship, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
        )
    _title, url, text = news_for(world.participant)[-1]
    assert url == reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    local = starts.astimezone(zoneinfo.ZoneInfo(world.participant.time_zone))
    assert text == f"Mentor meeting with {world.mentor.display_name}: {local:%a} {local.day} {local:%b}, {local:%H:%M}"
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_end(actor=world.participant, mentorship=mentorship, reason="goals_met")
    title, url, text = news_for(world.mentor)[-1]
    assert url == reverse("dashboard") and title == "There is news about your peer mentorship in Hearth"
    assert text == f"Your peer mentorship with {world.participant.display_name} has ended"
    assert len(news_for(world.participant)) == 2  # the one who ended it is not told
