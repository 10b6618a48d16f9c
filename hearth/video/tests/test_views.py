import datetime

import pytest

from hearth.video.services import TOKEN_SALT, room_lock
from hearth.video.tests.conftest import open_session
from hearth.video.turn import turn_credential, turn_password


def test_room_page_of_an_open_room_offers_join_and_device_check(world, session, client_for):
    response = client_for(world.participant).get(f"/video/{session.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-video-join" in html and 'id="video-texts"' in html and "/video/check/" in html
    assert "<script>" not in html  # strict CSP: only module files and a JSON data block


def test_room_page_of_a_closed_room_says_when_it_opens(world, client_for):
    tomorrow = open_session(world, starts_in_minutes=24 * 60)
    response = client_for(world.participant).get(f"/video/{tomorrow.pk}/")
    assert response.status_code == 200
    assert "This room is closed now" in response.content.decode()
    assert "data-video-join" not in response.content.decode()


def test_host_sees_host_controls(world, session, client_for):
    html = client_for(world.clinician).get(f"/video/{session.pk}/").content.decode()
    assert "Host controls" in html and "data-video-queue" in html
    html = client_for(world.participant).get(f"/video/{session.pk}/").content.decode()
    assert "Host controls" not in html


def test_join_token_answers_json(world, session, client_for):
    from django.core import signing

    response = client_for(world.participant).post(f"/video/{session.pk}/token/")
    assert response.status_code == 200
    body = response.json()
    assert body["socket"] == f"/ws/video/{session.pk}/" and body["expires_in"] == 60
    payload = signing.loads(body["token"], salt=TOKEN_SALT)
    assert (payload["o"], payload["p"]) == (session.pk, world.participant.pk)


@pytest.mark.parametrize("case", ["closed", "locked"])
def test_join_token_refusals_are_json_and_change_nothing(world, session, client_for, case):
    from hearth.scheduling.models import Occurrence
    from hearth.video.models import Room, Seat

    if case == "closed":
        day = datetime.timedelta(days=1)
        Occurrence.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at + day, ends_at=session.ends_at + day
        )
    else:
        room_lock(actor=world.clinician, room=Room.objects.get_or_create(occurrence=session)[0], locked=True)
    response = client_for(world.participant).post(f"/video/{session.pk}/token/")
    assert response.status_code == 400
    assert response.json()["error"] == f"room_{case}" and response.json()["message"]
    assert not Seat.objects.exists()


def test_join_token_needs_post(world, session, client_for):
    assert client_for(world.participant).get(f"/video/{session.pk}/token/").status_code == 405


def test_device_check_page(world, client_for):
    html = client_for(world.participant).get("/video/check/").content.decode()
    for hook in ("data-video-start", "data-video-speaker", "data-video-level", 'data-support="webrtc"'):
        assert hook in html


def test_turn_credentials_follow_coturns_rest_scheme():
    # The reference pair from the TURN REST API draft / coturn's documentation style.
    credential = turn_credential(user_id=42, secret="north", ttl=3600, now=1_700_000_000, urls=["turn:turn.test:3478"])
    assert credential.username == "1700003600:42"
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"north", b"1700003600:42", hashlib.sha1).digest()).decode()
    assert credential.password == expected == turn_password("north", "1700003600:42")
    assert credential.as_ice_server() == {
        "urls": ["turn:turn.test:3478"],
        "username": "1700003600:42",
        "credential": expected,
    }


def test_turn_credentials_need_a_secret(settings):
    settings.VIDEO_TURN_SECRET = ""
    with pytest.raises(ValueError):
        turn_credential(user_id=1)


def test_in_room_chat_is_the_sessions_messaging_conversation(world, session, client_for):
    from hearth.messaging.models import ConversationMember, Kind
    from hearth.video.services import join_token_issue, room_join, seat_admit, seat_remove

    def enter(person):
        return room_join(actor=person, occurrence=session, token=join_token_issue(actor=person, occurrence=session))

    room = enter(world.clinician).room
    room.refresh_from_db()
    chat = room.conversation
    assert chat.kind == Kind.SESSION and chat.title == session.title
    members = set(ConversationMember.objects.filter(conversation=chat, removed_at=None).values_list("user", flat=True))
    assert members == {world.clinician.pk, world.participant.pk, world.other_participant.pk}
    html = client_for(world.participant).get(f"/video/{session.pk}/").content.decode()
    assert f"/messages/{chat.pk}/" in html and 'target="_blank"' in html
    enter(world.participant)
    seat_admit(actor=world.clinician, room=room, person_id=world.participant.pk)
    seat_remove(actor=world.clinician, room=room, person_id=world.participant.pk)
    # Removed from the call, removed from its chat.
    assert not ConversationMember.objects.filter(conversation=chat, user=world.participant, removed_at=None).exists()
    assert f"/messages/{chat.pk}/" not in client_for(world.participant).get(f"/video/{session.pk}/").content.decode()
    html = client_for(world.clinician).get(f"/video/{session.pk}/").content.decode()
    assert f"/sessions/{session.pk}/attendance/" in html


def test_session_page_leads_to_the_room_while_it_can_be_joined(world, session, client_for):
    html = client_for(world.participant).get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/video/{session.pk}/"' in html and "The room is open." in html
    later = open_session(world, starts_in_minutes=24 * 60)
    html = client_for(world.participant).get(f"/sessions/{later.pk}/").content.decode()
    assert f'href="/video/{later.pk}/"' in html and "The room opens" in html
    over = open_session(world, starts_in_minutes=-200, minutes=60)
    html = client_for(world.participant).get(f"/sessions/{over.pk}/").content.decode()
    assert f'href="/video/{over.pk}/"' not in html
