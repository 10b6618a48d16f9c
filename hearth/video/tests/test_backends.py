import pytest

from hearth.video.backends import choose_backend
from hearth.video.models import Room
from hearth.video.services import VideoError, join_token_issue, media_for, room_join


@pytest.mark.parametrize(
    ("setting", "size", "expected"),
    [("mesh", 30, "mesh"), ("janus", 2, "janus"), ("auto", 4, "mesh"), ("auto", 5, "janus")],
)
def test_backend_per_deployment_and_room_size(settings, setting, size, expected):
    settings.VIDEO_BACKEND = setting
    assert choose_backend(size) == expected


def test_unknown_backend_is_a_configuration_error(settings):
    settings.VIDEO_BACKEND = "carrier-pigeon"
    with pytest.raises(ValueError):
        choose_backend(2)


def test_mesh_media_config_carries_short_lived_turn_credentials(world, session, settings):
    settings.VIDEO_TURN_SECRET = "turn-secret"
    settings.VIDEO_TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    joined = room_join(
        actor=world.clinician, occurrence=session, token=join_token_issue(actor=world.clinician, occurrence=session)
    )
    media = media_for(joined.room, joined.seat)
    assert media["backend"] == "mesh"
    (turn,) = media["ice_servers"]
    expiry, user_id = turn["username"].split(":")
    assert user_id == str(world.clinician.pk) and int(expiry) > 0
    assert "turn-secret" not in str(media)


def test_janus_unreachable_refuses_joining_clearly_and_keeps_no_room(world, session, settings):
    settings.VIDEO_BACKEND = "janus"
    settings.VIDEO_JANUS_URL = "http://127.0.0.1:9/janus"  # nothing listens on the discard port
    settings.VIDEO_JANUS_ADMIN_URL = "http://127.0.0.1:9/admin"
    with pytest.raises(VideoError) as exc:
        join_token_issue(actor=world.participant, occurrence=session)
    assert exc.value.code == "media_unavailable"
    assert not Room.objects.exists()
