"""The video socket against a real uvicorn server and the `websockets` client."""

import json
import time

import pytest
from websockets.sync.client import connect

from hearth.messaging.tests.test_live_server import ServerThread
from hearth.video.models import Seat
from hearth.video.services import join_token_issue
from hearth.video.tests.helpers import cookie_for

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_leave_then_close_at_once_still_frees_the_seat(world, session):
    """The page sends "leave" and closes its socket straight away: the server's answer finds the
    client gone. The close must still be handled, or the seat counts a connection forever and the
    person shows as present."""
    token = join_token_issue(actor=world.clinician, occurrence=session)
    with ServerThread() as server:
        url = f"ws://127.0.0.1:{server.port}/ws/video/{session.pk}/?token={token}"
        socket = connect(url, additional_headers={"Cookie": cookie_for(world.clinician)}, origin="http://localhost")
        assert json.loads(socket.recv(timeout=5))["type"] == "hello"
        assert Seat.objects.get(person=world.clinician).connections == 1
        socket.send(json.dumps({"type": "leave"}))
        socket.close()
        deadline = time.monotonic() + 10
        while Seat.objects.get(person=world.clinician).connections:
            assert time.monotonic() < deadline, "the closed socket still counts"
            time.sleep(0.05)
    seat = Seat.objects.get(person=world.clinician)
    assert seat.connected_at is None and seat.seconds_present >= 0
