"""The hub: conversation frames to the sockets of this process, through Redis when it is set."""

import asyncio
import threading
from unittest import mock

import pytest
from django.conf import settings

from hearth.messaging import hub
from hearth.messaging.consumers import OUTBOX_LIMIT, ChatConsumer

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
