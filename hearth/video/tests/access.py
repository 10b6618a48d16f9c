from hearth.tests.authz import only, signed_in
from hearth.video.tests.conftest import world_room_session


def _session(world) -> dict:
    return {"occurrence_id": world_room_session(world).pk}


# Only people on the session's roster and its clinician host may enter; everyone else (staff who
# do not host, other programs, family, mentors) does not learn that the room exists.
JOINERS = ("participant", "other_participant", "clinician")

ACCESS = {
    "video:device_check": signed_in(),
    "video:room": only(JOINERS, denied=404, kwargs=_session),
    "video:join_token": only(JOINERS, denied=404, method="post", kwargs=_session),
}

# Websocket routes (hearth/config/routing.py) and who may open them; checked by test_consumers.py.
WEBSOCKET_ACCESS = {
    "ws_video": {"joiners": JOINERS, "refused_code": "room_not_found"},
}
