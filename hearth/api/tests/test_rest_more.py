"""RSVP, notifications and the attendance export over the API; ETags on GET answers."""

import datetime

import pytest

from hearth.audit.models import AuditEntry
from hearth.notifications.services import notify
from hearth.scheduling.models import RSVP, RSVPStatus
from hearth.scheduling.services import attendance_mark
from hearth.scheduling.tests.access import world_session

pytestmark = pytest.mark.django_db


def test_a_participant_replies_to_their_session_and_can_take_it_back(client, world, token_for):
    session = world_session(world)
    _token, headers = token_for(world.participant, "write:schedule")
    url = f"/api/v1/schedule/{session.pk}/rsvp"
    going = client.post(url, {"going": True}, content_type="application/json", **headers)
    assert going.status_code == 200 and going.json() == {
        "session": session.pk,
        "status": "going",
        "waitlist_position": None,
    }
    assert RSVP.objects.get(occurrence=session, person=world.participant).status == RSVPStatus.GOING
    not_going = client.post(url, {"going": False}, content_type="application/json", **headers)
    assert not_going.status_code == 200 and not_going.json()["status"] == "cancelled"
    assert AuditEntry.objects.filter(action="api.rsvp.called", actor=world.participant).count() == 2


@pytest.mark.parametrize(
    ("who", "path", "body", "status"),
    [
        ("family_with_consent", "{pk}", {"going": True}, 404),  # not their session
        ("participant", "999999", {"going": True}, 404),
        ("participant", "{pk}", {"going": "maybe"}, 422),
        ("participant", "{pk}", {}, 422),
        ("participant", "{pk}", {"going": False}, 422),  # no reply to take back
    ],
)
def test_bad_rsvps_are_refused_and_change_nothing(client, world, token_for, who, path, body, status):
    session = world_session(world)
    _token, headers = token_for(getattr(world, who), "write:schedule")
    url = f"/api/v1/schedule/{path.format(pk=session.pk)}/rsvp"
    response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == status and "error" in response.json()
    assert not RSVP.objects.exists()


def test_rsvp_needs_its_scope(client, world, token_for):
    _token, headers = token_for(world.participant, "read:schedule")
    response = client.post(
        f"/api/v1/schedule/{world_session(world).pk}/rsvp", {"going": True}, content_type="application/json", **headers
    )
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"
    assert not RSVP.objects.exists()


def test_my_notifications_and_only_mine(client, world, token_for):
    notify(recipient=world.participant, kind="messaging.message", url="/messages/1/")
    notify(recipient=world.other_participant, kind="checkins.reminder", url="/checkins/")
    _token, headers = token_for(world.participant, "read:notifications")
    body = client.get("/api/v1/notifications", **headers).json()
    assert body["count"] == 1 and [(n["kind"], n["url"]) for n in body["items"]] == [
        ("messaging.message", "/messages/1/")
    ]
    assert body["items"][0]["read_at"] is None and body["items"][0]["title"]


def test_the_attendance_export_lists_people_in_my_care_and_audits_each(client, world, token_for):
    session = world_session(world)
    attendance_mark(actor=world.clinician, occurrence=session, person=world.participant, status="present")
    _token, headers = token_for(world.clinician, "read:attendance")
    start = session.starts_at.date().isoformat()
    body = client.get(f"/api/v1/attendance?start={start}&days=2", **headers).json()
    assert [(row["person_id"], row["status"]) for row in body["items"]] == [(world.participant.pk, "present")]
    entry = AuditEntry.objects.get(action="api.attendance.called")
    assert entry.subject == world.participant

    _token, other = token_for(world.other_clinician, "read:attendance")
    assert client.get(f"/api/v1/attendance?start={start}&days=2", **other).json()["count"] == 0
    _token, participant = token_for(world.participant, "read:attendance")
    assert client.get(f"/api/v1/attendance?start={start}", **participant).status_code == 403


@pytest.mark.parametrize("query", ["", "?start=nonsense", "?start=2026-01-01&days=0", "?start=2026-01-01&days=999"])
def test_the_attendance_export_refuses_bad_ranges(client, world, token_for, query):
    _token, headers = token_for(world.clinician, "read:attendance")
    response = client.get(f"/api/v1/attendance{query}", **headers)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_get_answers_carry_an_etag_and_a_304_saves_the_body(client, world, token_for):
    _token, headers = token_for(world.participant, "read:schedule")
    first = client.get("/api/v1/schedule", **headers)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get("/api/v1/schedule", HTTP_IF_NONE_MATCH=etag, **headers)
    assert again.status_code == 304 and again.content == b""
    # The call is still audited: a 304 is a read like any other.
    assert AuditEntry.objects.filter(action="api.schedule.called").count() == 2
    changed = client.get("/api/v1/schedule", HTTP_IF_NONE_MATCH='"stale"', **headers)
    assert changed.status_code == 200


def test_a_fhir_export_is_never_cached_or_etagged(client, world, token_for):
    _token, headers = token_for(world.participant, "read:fhir")
    response = client.get(f"/api/v1/fhir/Patient/{world.participant.pk}/$everything", **headers)
    assert response.status_code == 200 and "ETag" not in response
    assert datetime.date.today().isoformat()[:4] in response.content.decode()
