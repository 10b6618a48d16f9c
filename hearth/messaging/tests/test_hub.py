"""The hub: conversation frames to the sockets of this process, through Redis when it is set."""

import asyncio
import json
import threading
from unittest import mock

import pytest
from django.conf import settings

from hearth.messaging import hub
from hearth.messaging.consumers import OUTBOX_LIMIT, RESYNC_CLOSE_CODE, ChatConsumer

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


class FakeSocket:
    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.frames: list[tuple[int, str]] = []
        self.arrived = asyncio.Event()

    def hub_deliver(self, conversation_id, text):
        self.frames.append((conversation_id, text))
        self.arrived.set()


async def wait_for(socket, count):
    async with asyncio.timeout(5):
        while len(socket.frames) < count:
            socket.arrived.clear()
            await socket.arrived.wait()


@pytest.mark.django_db(transaction=True)
async def test_a_frame_reaches_every_socket_in_the_conversation_and_no_other():
    await hub.start()
    alice, bob, outsider = FakeSocket(), FakeSocket(), FakeSocket()
    hub.join(9001, alice)
    hub.join(9001, bob)
    hub.join(9002, outsider)
    try:
        # From synchronous code in another thread (a view, a service), as from the socket's loop.
        await asyncio.to_thread(hub.publish, 9001, '{"seq":1}')
        hub.publish_soon(9001, '{"seq":2}')
        await wait_for(alice, 2)
        await wait_for(bob, 2)
        assert alice.frames == bob.frames == [(9001, '{"seq":1}'), (9001, '{"seq":2}')]
        hub.leave(9001, bob)
        hub.publish_soon(9001, '{"seq":3}')
        await wait_for(alice, 3)
        await asyncio.sleep(0.1)
        assert len(bob.frames) == 2  # left: nothing more
        assert outsider.frames == []
    finally:
        for conversation_id, socket in ((9001, alice), (9001, bob), (9002, outsider)):
            hub.leave(conversation_id, socket)


def test_a_socket_whose_loop_has_closed_is_dropped_not_fatal():
    loop = asyncio.new_event_loop()
    gone = mock.Mock(loop=loop)
    loop.close()
    hub.join(9003, gone)
    hub.deliver(9003, "x")  # must not raise
    assert 9003 not in hub._sockets
    gone.hub_deliver.assert_not_called()


def test_delivery_from_another_thread_runs_on_the_sockets_loop():
    loop = asyncio.new_event_loop()
    seen = []

    class Socket:
        def __init__(self):
            self.loop = loop

        def hub_deliver(self, conversation_id, text):
            seen.append((threading.current_thread() is main, text))
            loop.stop()

    main = threading.current_thread()
    socket = Socket()
    hub.join(9004, socket)
    try:
        threading.Thread(target=hub.deliver, args=(9004, "hello")).start()
        loop.run_forever()
        assert seen == [(True, "hello")]
    finally:
        hub.leave(9004, socket)
        loop.close()


async def test_a_socket_that_reads_nothing_is_closed_before_its_outbox_grows_without_bound():
    consumer = ChatConsumer()
    consumer.conversations = {7}
    consumer.audited = {7}  # the read of conversation 7 is already recorded for this socket
    consumer.outbox = asyncio.Queue()
    consumer.overflowed = False
    consumer.close = mock.AsyncMock()
    for n in range(OUTBOX_LIMIT + 50):
        consumer.hub_deliver(7, f"frame {n}")
    await asyncio.sleep(0)
    assert consumer.outbox.qsize() == OUTBOX_LIMIT
    consumer.close.assert_awaited_once_with(code=4408)
    # Frames for conversations the socket is not in are never queued.
    consumer.overflowed = False
    consumer.outbox = asyncio.Queue()
    consumer.hub_deliver(8, "not mine")
    assert consumer.outbox.empty()


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis path needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
async def test_with_redis_frames_travel_through_redis_not_around_it():
    """publish() only reaches sockets through the Redis subscription, so a socket here hears what
    any process publishes, and what this process publishes reaches the others."""
    await hub.start()
    socket = FakeSocket()
    hub.join(9005, socket)
    try:
        with mock.patch.object(hub, "deliver", wraps=hub.deliver) as deliver:
            hub.publish(9005, "via redis")
            await wait_for(socket, 1)
        assert socket.frames == [(9005, "via redis")]
        # Delivered by the listener thread (the subscription), not called directly by publish().
        assert deliver.call_count == 1
    finally:
        hub.leave(9005, socket)


class StopListening(BaseException):
    """Ends the listener's endless loop in a test (it retries every Exception)."""


def test_a_subscription_that_comes_back_makes_every_socket_here_resync():
    """Redis restarted: frames published while this process was not subscribed never reached its
    sockets, and nothing else tells a connected page. The second confirmation of the subscription
    (after redis-py's own reconnect or the listener's retry) resyncs every socket; the first does not."""
    loop = asyncio.new_event_loop()
    resynced, delivered = [], []

    class Socket:
        def __init__(self, name):
            self.loop, self.name = loop, name

        def hub_resync(self):
            resynced.append(self.name)

        def hub_deliver(self, conversation_id, text):
            delivered.append((self.name, text))

    class PubSub:
        def psubscribe(self, pattern):
            pass

        def listen(self):
            yield {"type": "psubscribe", "channel": b"x", "data": 1}
            yield {"type": "pmessage", "channel": "hearth:db:chat:9010", "data": b"before"}
            assert resynced == []  # the first confirmation is the start, not a recovery
            yield {"type": "psubscribe", "channel": b"x", "data": 1}  # reconnected
            raise StopListening

    alice, bob = Socket("alice"), Socket("bob")
    hub.join(9010, alice)
    hub.join(9011, bob)
    try:
        client = mock.Mock(pubsub=PubSub)
        with (
            mock.patch.object(hub, "shared_client", return_value=client),
            mock.patch.object(hub, "RESYNC_SPREAD_SECONDS", 0.05),
            pytest.raises(StopListening),
        ):
            hub._listen("hearth:db:chat:")
        loop.run_until_complete(asyncio.sleep(0.1))  # run what was handed to the sockets' loop
        assert delivered == [("alice", "before")]
        assert sorted(resynced) == ["alice", "bob"]
    finally:
        hub.leave(9010, alice)
        hub.leave(9011, bob)
        hub._listening.clear()
        loop.close()


def test_a_listener_that_lost_redis_resyncs_once_it_is_subscribed_again():
    loop = asyncio.new_event_loop()
    resynced = []
    socket = mock.Mock(loop=loop, hub_resync=lambda: resynced.append(1))
    attempts = []

    class PubSub:
        def psubscribe(self, pattern):
            pass

        def listen(self):
            attempts.append(1)
            yield {"type": "psubscribe", "channel": b"x", "data": 1}
            if len(attempts) == 1:
                raise ConnectionError("Redis went away")
            raise StopListening

    hub.join(9012, socket)
    try:
        client = mock.Mock(pubsub=PubSub)
        with (
            mock.patch.object(hub, "shared_client", return_value=client),
            mock.patch.object(hub.time, "sleep"),
            mock.patch.object(hub, "RESYNC_SPREAD_SECONDS", 0.05),
            pytest.raises(StopListening),
        ):
            hub._listen("hearth:db:chat:")
        loop.run_until_complete(asyncio.sleep(0.1))
        assert len(attempts) == 2 and resynced == [1]
    finally:
        hub.leave(9012, socket)
        hub._listening.clear()
        loop.close()


async def test_a_socket_told_to_resync_closes_with_service_restart_so_the_page_resumes():
    consumer = ChatConsumer()
    consumer.conversations = {7}
    consumer.outbox = asyncio.Queue()
    consumer.overflowed = False
    consumer.close = mock.AsyncMock()
    consumer.hub_resync()
    consumer.hub_resync()  # twice (two processes' worth of news) closes once
    await asyncio.sleep(0)
    consumer.close.assert_awaited_once_with(code=RESYNC_CLOSE_CODE)
    assert RESYNC_CLOSE_CODE == 1012
    consumer.hub_deliver(7, "after the close")
    assert consumer.outbox.empty()
    # A reply that was on its way when the close went out is dropped, not an ASGI error.
    consumer.send = mock.AsyncMock()
    await consumer._send({"type": "ack"})
    consumer.send.assert_not_awaited()


async def test_a_page_that_knows_resync_is_told_to_resume_and_keeps_its_socket():
    consumer = ChatConsumer()
    consumer.conversations = {7}
    consumer.outbox = asyncio.Queue()
    consumer.overflowed = False
    consumer.resyncs = True  # it connected with ?resync=1, as chat.js does
    consumer.audited = {7}
    consumer.close = mock.AsyncMock()
    consumer.send = mock.AsyncMock()
    consumer.hub_resync()
    await asyncio.sleep(0)
    consumer.close.assert_not_awaited()
    frame = json.loads(consumer.send.await_args.kwargs["text_data"])
    assert frame == {"v": 1, "type": "resync"}
    consumer.hub_deliver(7, "live again")  # the socket carries on
    assert consumer.outbox.get_nowait() == (7, "live again")
