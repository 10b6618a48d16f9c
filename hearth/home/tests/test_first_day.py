"""Issue 23 item 5: a participant's first day. Next steps lead through profile, intake, the first
check-in, the next session (one tap to join once its room opens) and reaching the care team;
steps put away stay away."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn
from hearth.home.models import DismissedStep
from hearth.home.services import next_step_dismiss
from hearth.scheduling.models import Occurrence, SessionKind

pytestmark = pytest.mark.django_db


def _dashboard(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def session_in(world, minutes: int) -> Occurrence:
    starts = timezone.now() + datetime.timedelta(minutes=minutes)
    return Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Tuesday group",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        cohort=world.cohort,
    )


def test_a_new_participant_is_led_through_the_first_steps(world, client_for):
    page = _dashboard(client_for(world.participant))
    for key in ("profile", "intake", "checkin", "care_team", "family"):
        assert f'data-step="{key}"' in page, key
    for url in (reverse("profile"), reverse("intake:home"), reverse("checkins:checkin"), reverse("conversation_new")):
        assert f'href="{url}"' in page, url
    assert "First steps done: 0 of 5" in page
    # No session yet: the empty state says what will appear and where to look.
    assert "No sessions on your calendar yet" in page
    assert reverse("scheduling:calendar") in page


def test_steps_done_by_what_the_person_did_go_away(world, client_for):
    CheckIn.objects.create(
        person=world.participant,
        local_date=timezone.localdate(),
        mood=3,
        craving=2,
        sleep_hours=7,
        sleep_quality="fair",
    )
    page = _dashboard(client_for(world.participant))
    assert 'data-step="checkin"' not in page
    assert "First steps done: 1 of 5" in page


def test_a_step_put_away_stays_away_and_is_audited(world, client_for):
    client = client_for(world.participant)
    response = client.post(reverse("next_step_dismiss"), {"step": "profile"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert 'data-step="profile"' not in _dashboard(client)
    # Still away in a new session (stored per person, not in the browser).
    assert 'data-step="profile"' not in _dashboard(client_for(world.participant))
    assert DismissedStep.objects.filter(person=world.participant, step="profile").count() == 1
    assert AuditEntry.objects.filter(action="home.next_step.dismissed", actor=world.participant).count() == 1
    # Twice is once.
    next_step_dismiss(actor=world.participant, step="profile")
    assert DismissedStep.objects.filter(person=world.participant).count() == 1
    # Another participant still sees theirs.
    assert 'data-step="profile"' in _dashboard(client_for(world.other_participant))


@pytest.mark.parametrize("step", ["", "no_such_step", "x" * 500, "profile\x00"])
def test_putting_away_an_unknown_step_is_a_clear_error_and_changes_nothing(world, client_for, step):
    client = client_for(world.participant)
    response = client.post(reverse("next_step_dismiss"), {"step": step}, follow=True)
    assert response.status_code == 200
    assert "There is no such step to hide." in response.content.decode()
    assert not DismissedStep.objects.exists()


def test_put_away_needs_a_post(world, client_for):
    assert client_for(world.participant).get(reverse("next_step_dismiss")).status_code == 405


def test_the_next_session_offers_one_tap_join_once_its_room_opens(world, client_for):
    later = session_in(world, 120)
    page = _dashboard(client_for(world.participant))
    assert "Tuesday group" in page
    assert reverse("video:room", args=[later.pk]) not in page
    assert "a “Join now” button appears here then" in page
    later.delete()
    soon = session_in(world, 5)
    page = _dashboard(client_for(world.participant))
    assert f'class="button join" href="{reverse("video:room", args=[soon.pk])}"' in page


def test_only_participants_get_first_day_steps(world, client_for):
    for persona in ("clinician", "mentor", "family_with_consent", "admin"):
        assert 'data-step="' not in _dashboard(client_for(world.personas()[persona])), persona


def test_dashboard_queries_do_not_grow_with_sessions_or_put_away_steps(world, client_for):
    client = client_for(world.participant)
    _dashboard(client)
    counts = []
    for minutes, step in ((60, "profile"), (90, "family")):
        session_in(world, minutes)
        next_step_dismiss(actor=world.participant, step=step)
        with CaptureQueriesContext(connection) as captured:
            _dashboard(client)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
