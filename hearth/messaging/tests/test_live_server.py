"""Two clients against a real server: uvicorn serving the ASGI application, the `websockets` client.

By default on SQLite and the in-memory layer (uvicorn runs in a thread of the test process, so it
shares the test database); on PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set.
"""

import json
import socket
import threading
import time
from contextlib import ExitStack

import pytest
import uvicorn
from django.conf import settings
from django.test import Client
from websockets.sync.client import connect

from hearth.messaging.tests.conftest import cohort_conversation

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerThread(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        from hearth.config.asgi import application

        self.port = free_port()
        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning")
        self.server = uvicorn.Server(config)

    def run(self):
        self.server.run()

    def __enter__(self):
        self.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def idle(self):
        """Let the server finish what the closed sockets asked for before the test reads the database."""
        time.sleep(0.3)

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.join(timeout=10)


@pytest.fixture
def server():
    with ServerThread() as running:
        yield running


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class ChatClient:
    """A websocket client signed in with a session cookie (made before connecting: the in-memory
    SQLite test database answers "table is locked" to a second writer instead of waiting)."""

    def __init__(self, server, cookie: str):
        self.stack = ExitStack()
        self.ws = self.stack.enter_context(
            connect(
                f"ws://127.0.0.1:{server.port}/ws/chat/",
                additional_headers={"Cookie": cookie},
                origin="http://localhost",
                proxy=None,
                open_timeout=5,
            )
        )
        assert self.receive()["type"] == "hello"

    def send(self, frame):
        self.ws.send(json.dumps(frame))

    def receive(self, timeout=5):
        return json.loads(self.ws.recv(timeout=timeout))

    def receive_until(self, kind, timeout=5):
        while True:
            frame = self.receive(timeout)
            if frame["type"] == kind:
                return frame

    def quiet(self, timeout=0.3) -> bool:
        try:
            self.ws.recv(timeout=timeout)
        except TimeoutError:
            return True
        return False

    def close(self):
        self.stack.close()


def test_a_reconnecting_client_receives_exactly_what_it_missed_in_order_once(world, server):
    group = cohort_conversation(world)
    alice_cookie, bob_cookie = cookie_for(world.participant), cookie_for(world.other_participant)
    alice = ChatClient(server, alice_cookie)
    bob = ChatClient(server, bob_cookie)

    def say(n):
        alice.send({"type": "send", "conversation": group.pk, "client_msg_id": f"a{n}", "body": f"message {n}"})
        ack = alice.receive_until("ack")
        assert ack["client_msg_id"] == f"a{n}"
        return ack["seq"]

    for n in (1, 2):
        say(n)
    seen = [bob.receive_until("message")["seq"] for _ in range(2)]
    assert seen == [1, 2]
    bob.close()  # the connection drops

    missed = [say(n) for n in range(3, 9)]
    bob = ChatClient(server, bob_cookie)
    bob.send({"type": "resume", "conversation": group.pk, "after_seq": seen[-1]})
    resumed = bob.receive_until("resume")
    assert [m["seq"] for m in resumed["messages"]] == missed == list(range(3, 9))
    assert [m["body"] for m in resumed["messages"]] == [f"message {n}" for n in range(3, 9)]
    assert bob.quiet(), "nothing may arrive twice"

    # Live delivery continues on the new connection.
    say(9)
    assert bob.receive_until("message")["seq"] == 9
    alice.close()
    bob.close()


def test_a_resend_after_a_lost_ack_stores_one_message(world, server):
    from hearth.messaging.models import Message

    group = cohort_conversation(world)
    cookie = cookie_for(world.participant)
    alice = ChatClient(server, cookie)
    frame = {"type": "send", "conversation": group.pk, "client_msg_id": "lost-ack", "body": "only once"}
    alice.send(frame)
    alice.close()  # the ack may never arrive
    alice = ChatClient(server, cookie)
    alice.send(frame)
    ack = alice.receive_until("ack")
    assert ack["seq"] == 1
    alice.close()
    server.idle()
    assert Message.objects.filter(conversation=group).count() == 1


@pytest.mark.skipif(not settings.REDIS_URL, reason="scale-out needs the Redis channel layer (REDIS_URL)")
def test_scale_out_client_a_on_one_server_client_b_on_another(world):
    """Two servers, each with its own event loop and its own connection to the Redis layer."""
    group = cohort_conversation(world)
    alice_cookie, bob_cookie = cookie_for(world.participant), cookie_for(world.other_participant)
    with ServerThread() as first, ServerThread() as second:
        alice = ChatClient(first, alice_cookie)
        bob = ChatClient(second, bob_cookie)
        alice.send({"type": "send", "conversation": group.pk, "client_msg_id": "x1", "body": "across servers"})
        assert alice.receive_until("ack")["seq"] == 1
        received = bob.receive_until("message")
        assert (received["seq"], received["body"]) == (1, "across servers")
        alice.close()
        bob.close()


def test_a_socket_closed_while_the_server_answers_is_let_go(world, server):
    """The client sends and closes at once: the server's answer finds it gone. The socket must
    still leave the hub, or every conversation frame keeps being queued for it."""
    from hearth.messaging import hub

    group = cohort_conversation(world)
    alice = ChatClient(server, cookie_for(world.participant))
    assert any(group.pk == conversation for conversation in hub._sockets)
    alice.send({"type": "resume", "conversation": group.pk, "after_seq": 0})
    alice.close()
    deadline = time.monotonic() + 10
    while hub._sockets.get(group.pk):
        assert time.monotonic() < deadline, "the closed socket is still in the hub"
        time.sleep(0.05)
