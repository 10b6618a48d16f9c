import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.urls import reverse
from icalendar import Calendar

from hearth.audit.models import AuditEntry
from hearth.consent.services import consent_revoke
from hearth.scheduling.models import CalendarFeedToken, Occurrence, SessionKind, SessionNote, SessionSeries
from hearth.scheduling.selectors import (
    hash_feed_token,
    missed_sessions_for_care_team,
    schedule_shared_with_viewer,
    upcoming_for_viewer,
)
from hearth.scheduling.services import (
    attendance_mark,
    feed_token_create,
    feed_token_revoke,
    note_write,
    occurrence_cancel,
    occurrence_schedule,
)
from hearth.tests.factories import make_consent

from .helpers import evening_group

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NOW = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)


def _feed_url(raw: str) -> str:
    return reverse("scheduling:feed_ics", args=[raw])


@time_machine.travel(NOW, tick=False)
def test_ics_feed_parses_and_holds_exactly_the_persons_sessions(world, client):
    series = evening_group(world).obj
    private = occurrence_schedule(
        actor=world.clinician,
        program=world.program,
        kind=SessionKind.INDIVIDUAL_COUNSELLING,
        title="One to one",
        starts_at=NOW + datetime.timedelta(days=2),
        ends_at=NOW + datetime.timedelta(days=2, hours=1),
        people=[world.other_participant],
        hosts=[world.clinician],
    ).obj
    cancelled = series.occurrences.order_by("starts_at")[1]
    occurrence_cancel(actor=world.clinician, occurrence=cancelled)
    _token, raw = feed_token_create(actor=world.participant)

    response = client.get(_feed_url(raw))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    window_end = NOW + datetime.timedelta(days=183)
    expected = Occurrence.objects.filter(series=series, starts_at__lt=window_end)
    assert set(events) == {f"occurrence-{o.pk}@127.0.0.1" for o in expected}
    assert f"occurrence-{private.pk}@127.0.0.1" not in events
    for occurrence in expected:
        event = events[f"occurrence-{occurrence.pk}@127.0.0.1"]
        assert event.decoded("dtstart") == occurrence.starts_at
        assert event.decoded("dtend") == occurrence.ends_at
        assert str(event["summary"]) == "Evening group"
        assert "description" not in event
        assert str(event["status"]) == ("CANCELLED" if occurrence.pk == cancelled.pk else "CONFIRMED")
        assert event.decoded("dtstart").astimezone(CHICAGO).hour == 18
    assert AuditEntry.objects.filter(action="scheduling.feed.viewed", subject=world.participant).exists()

    # The host sees the private session they host in their own feed.
    _t, clinician_raw = feed_token_create(actor=world.clinician)
    clinician_events = Calendar.from_ical(client.get(_feed_url(clinician_raw)).content).walk("VEVENT")
    assert f"occurrence-{private.pk}@127.0.0.1" in {str(e["uid"]) for e in clinician_events}


def test_tampered_and_revoked_tokens_answer_404(world, client):
    token, raw = feed_token_create(actor=world.participant)
    assert token.token_hash == hash_feed_token(raw) and raw not in token.token_hash
    assert client.get(_feed_url(raw)).status_code == 200
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert client.get(_feed_url(tampered)).status_code == 404
    assert client.get(_feed_url("x" * 300)).status_code == 404

    # A new address replaces the old one at once.
    _new, new_raw = feed_token_create(actor=world.participant)
    assert client.get(_feed_url(raw)).status_code == 404
    assert client.get(_feed_url(new_raw)).status_code == 200
    feed_token_revoke(actor=world.participant, token=CalendarFeedToken.objects.get(revoked_at__isnull=True))
    assert client.get(_feed_url(new_raw)).status_code == 404


def test_feed_settings_page_creates_and_revokes(world, client_for):
    client = client_for(world.participant)
    response = client.post(reverse("scheduling:feed_settings"), {"action": "create"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert "/calendar/feed/" in url and url.endswith(".ics")
    assert client.get(url).status_code == 200
    client.post(reverse("scheduling:feed_settings"), {"action": "revoke"})
    assert client.get(url).status_code == 404
    assert client.post(reverse("scheduling:feed_settings"), {"action": "nonsense"}).status_code == 400


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_week_view_shows_local_times_for_a_viewer_in_los_angeles_on_both_sides_of_dst(world, client_for):
    evening_group(world)
    world.participant.time_zone = "America/Los_Angeles"
    world.participant.save(update_fields=["time_zone"])
    client = client_for(world.participant)
    for monday in ("2026-03-02", "2026-03-09", "2026-10-26", "2026-11-02"):
        response = client.get(reverse("scheduling:calendar_week"), {"start": monday})
        assert response.status_code == 200
        sessions = [o for day in response.context["days"] for o in day.occurrences]
        assert len(sessions) == 3, monday
        assert {(o.local_start.hour, o.local_end.hour) for o in sessions} == {(16, 19)}
        assert "16:00–19:00" in response.content.decode()
    # htmx navigation swaps only the week.
    partial = client.get(reverse("scheduling:calendar_week"), {"start": "2026-03-09"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"week-grid" in partial.content


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_agenda_lists_the_next_two_weeks(world, client_for):
    evening_group(world)
    response = client_for(world.participant).get(reverse("scheduling:calendar"))
    assert response.status_code == 200
    assert len(response.context["occurrences"]) == 6  # Mon/Wed/Thu for two weeks
    empty = client_for(world.mentor).get(reverse("scheduling:calendar"))
    assert b"Nothing on your calendar" in empty.content


def _series_post(world, **overrides):
    data = {
        "program": world.program.pk,
        "kind": SessionKind.GROUP_THERAPY,
        "title": "Evening group",
        "time_zone": "America/Chicago",
        "start_time": "18:00",
        "duration_minutes": "180",
        "days": ["MO", "WE", "TH"],
        "rrule": "",
        "dtstart": "2026-03-02",
        "until": "2026-04-30",
        "cohort": world.cohort.pk,
        "hosts": [world.clinician.pk],
    }
    data.update(overrides)
    return data


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_series_page_creates_a_series_and_shows_clear_errors(world, client_for):
    client = client_for(world.admin)
    assert client.get(reverse("scheduling:series_new")).status_code == 200
    response = client.post(reverse("scheduling:series_new"), _series_post(world))
    assert response.status_code == 302
    series = SessionSeries.objects.get()
    assert series.rrule == "FREQ=WEEKLY;BYDAY=MO,WE,TH"
    assert series.occurrences.count() == 27  # 13 in March, 14 in April

    bad = client.post(reverse("scheduling:series_new"), _series_post(world, days=[], rrule="FREQ=WEEKLY;BYDAY=FUNDAY"))
    assert bad.status_code == 400
    assert "not valid" in " ".join(bad.context["form"].errors["rrule"])
    backwards = client.post(reverse("scheduling:series_new"), _series_post(world, until="2026-02-01"))
    assert backwards.status_code == 400
    assert "before the first date" in " ".join(backwards.context["form"].errors["until"])
    other = client_for(world.other_clinician).post(reverse("scheduling:series_new"), _series_post(world))
    assert other.status_code == 400  # not one of their programs
    assert SessionSeries.objects.count() == 1

    # Double-booking shows a warning on the next page.
    clash = client_for(world.admin).post(
        reverse("scheduling:series_new"), _series_post(world, title="Extra", start_time="19:00"), follow=True
    )
    assert clash.status_code == 200, clash.context["form"].errors
    assert "already hosting" in clash.content.decode()


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_attendance_sheet_saves_all_rows_or_none(world, client_for):
    occurrence = evening_group(world).obj.occurrences.order_by("starts_at").first()
    client = client_for(world.clinician)
    url = reverse("scheduling:attendance_sheet", args=[occurrence.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            f"status_{world.participant.pk}": "present",
            f"status_{world.other_participant.pk}": "late",
            f"minutes_{world.other_participant.pk}": "999",
        },
    )
    assert bad.status_code == 400
    assert not occurrence.attendance.exists()
    good = client.post(
        url,
        {
            f"status_{world.participant.pk}": "present",
            f"status_{world.other_participant.pk}": "late",
            f"minutes_{world.other_participant.pk}": "150",
        },
    )
    assert good.status_code == 302
    assert dict(occurrence.attendance.values_list("person_id", "minutes")) == {
        world.participant.pk: 180,
        world.other_participant.pk: 150,
    }
    csv = client.get(reverse("scheduling:hours_report_csv"), {"week": "2026-03-02"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().strip().splitlines()
    assert lines[0].startswith("person_id,display_name")
    assert any(line.startswith(f"{world.participant.pk},Participant,2026-03-02,3.00,9.00,1,yes") for line in lines)


@pytest.fixture
def noted_session(world):
    occurrence = evening_group(world).obj.occurrences.order_by("starts_at").first()
    note_write(actor=world.clinician, occurrence=occurrence, body="Group worked on coping plans.")
    note_write(actor=world.clinician, occurrence=occurrence, person=world.participant, body="Spoke about cravings.")
    attendance_mark(actor=world.clinician, occurrence=occurrence, person=world.participant, status="present")
    return occurrence


def test_notes_are_encrypted_at_rest_audited_and_care_team_only(world, client_for, noted_session):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM scheduling_sessionnote")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all("cravings" not in body and "coping" not in body for body in stored)
    assert AuditEntry.objects.filter(action="scheduling.note.written", subject=world.participant).exists()

    url = reverse("scheduling:session_notes", args=[noted_session.pk])
    page = client_for(world.clinician).get(url)
    assert b"Spoke about cravings." in page.content
    assert AuditEntry.objects.filter(action="scheduling.note.viewed", actor=world.clinician).exists()
    for persona, status in (
        ("participant", 403),
        ("other_participant", 403),
        ("mentor", 403),
        ("family_with_consent", 403),
        ("other_clinician", 404),
    ):
        response = client_for(getattr(world, persona)).get(url)
        assert response.status_code == status, persona
        assert b"cravings" not in response.content
    # Another program's clinician cannot write one either.
    with pytest.raises(PermissionDenied):
        note_write(actor=world.other_clinician, occurrence=noted_session, body="x", person=world.participant)
    assert SessionNote.objects.count() == 2


def test_attendance_of_a_person_is_theirs_their_care_teams_and_consented_familys(world, client_for, noted_session):
    url = reverse("scheduling:person_attendance", args=[world.participant.pk])
    for persona in ("participant", "clinician", "admin", "family_with_consent"):
        response = client_for(getattr(world, persona)).get(url)
        assert response.status_code == 200, persona
        assert b"Evening group" in response.content
    for persona in ("other_participant", "other_clinician", "mentor", "family_without"):
        response = client_for(getattr(world, persona)).get(url)
        assert response.status_code == 404, persona
    assert AuditEntry.objects.filter(
        action="scheduling.attendance.viewed", actor=world.family_with_consent, subject=world.participant
    ).exists()
    # Revoking the consent stops family access at once.
    consent_revoke(actor=world.participant, consent=world.consent)
    assert client_for(world.family_with_consent).get(url).status_code == 404


def test_notes_page_writes_group_and_person_notes(world, client_for, noted_session):
    client = client_for(world.admin)
    url = reverse("scheduling:session_notes", args=[noted_session.pk])
    assert client.post(url, {"person": "", "body": "New group note"}).status_code == 302
    assert client.post(url, {"person": world.other_participant.pk, "body": "First note"}).status_code == 302
    assert client.post(url, {"person": "", "body": ""}).status_code == 400
    # Someone not on this roster (or not in the viewer's care) cannot be written about.
    assert client.post(url, {"person": world.mentor.pk, "body": "x"}).status_code == 404
    notes = {n.person_id: n.body for n in SessionNote.objects.filter(occurrence=noted_session)}
    assert notes == {
        None: "New group note",
        world.participant.pk: "Spoke about cravings.",
        world.other_participant.pk: "First note",
    }


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_moving_a_session_reads_the_new_time_in_the_staff_members_zone(world, client_for):
    series = evening_group(world).obj
    occurrence = series.occurrences.order_by("starts_at").first()
    world.clinician.time_zone = "America/New_York"
    world.clinician.save(update_fields=["time_zone"])
    client = client_for(world.clinician)
    url = reverse("scheduling:occurrence_move", args=[occurrence.pk])
    page = client.get(url)
    assert 'value="2026-03-02T19:00"' in page.content.decode()  # 18:00 Chicago is 19:00 New York
    response = client.post(url, {"starts_at": "2026-03-03T20:00", "duration_minutes": "90"})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.starts_at == datetime.datetime(2026, 3, 4, 1, 0, tzinfo=datetime.UTC)
    assert occurrence.duration_minutes == 90
    assert series.occurrences.count() > 1 and occurrence.was_moved
    bad = client.post(url, {"starts_at": "not a time", "duration_minutes": "90"})
    assert bad.status_code == 400


@time_machine.travel(NOW, tick=False)
def test_selectors_for_dashboard_family_and_outreach(world):
    series = evening_group(world).obj
    upcoming = upcoming_for_viewer(viewer=world.participant)
    assert [o.starts_at for o in upcoming] == list(
        series.occurrences.filter(starts_at__gt=NOW).order_by("starts_at").values_list("starts_at", flat=True)[:3]
    )
    assert upcoming_for_viewer(viewer=world.mentor) == []

    window = {"start": NOW, "end": NOW + datetime.timedelta(days=7)}
    # The world's family consent covers attendance and check-ins, not the schedule.
    with pytest.raises(Http404):
        schedule_shared_with_viewer(viewer=world.family_with_consent, person=world.participant, **window)
    make_consent(world.participant, world.program, world.family_without, categories=["schedule"])
    shared = schedule_shared_with_viewer(viewer=world.family_without, person=world.participant, **window)
    assert shared.count() == 3

    past = series.occurrences.order_by("starts_at")[0]
    with time_machine.travel(past.ends_at + datetime.timedelta(hours=1), tick=False):
        attendance_mark(actor=world.clinician, occurrence=past, person=world.participant, status="absent")
        attendance_mark(actor=world.clinician, occurrence=past, person=world.other_participant, status="excused")
    missed = missed_sessions_for_care_team(viewer=world.clinician, since=past.starts_at - datetime.timedelta(days=1))
    assert [a.person for a in missed] == [world.participant]
    assert not missed_sessions_for_care_team(viewer=world.other_clinician, since=past.starts_at).exists()


def test_a_participant_sees_their_own_attendance_on_the_session(world, client_for, noted_session):
    page = client_for(world.participant).get(reverse("scheduling:occurrence_detail", args=[noted_session.pk]))
    assert "Your attendance" in page.content.decode() and "180 minutes" in page.content.decode()
    # Session notes never reach the participant's page.
    assert b"cravings" not in page.content and b"coping" not in page.content
    other = client_for(world.other_participant).get(reverse("scheduling:occurrence_detail", args=[noted_session.pk]))
    assert "180 minutes" not in other.content.decode()
