"""Conversation events to the chat sockets of this server process.

Why not channels' groups for these (docs/decisions.md #27): a group event reaches each socket
through its own layer queue, a msgpack decode, a task and a dispatch. At 1,200 sockets and 200
messages a second that per-socket plumbing, not the database, held the event loop (delivery p50
≈ 4 s). Here a frame is serialised once, crosses Redis once, and every socket of the process that
is in the conversation gets the same string on its outbox.

Across processes every process PSUBSCRIBEs once to its deployment's chat pattern, from a
background thread, and keeps what it has sockets for: one subscription, no per-conversation
subscribe/unsubscribe races. Like the channel layer it is at-most-once: a frame published while
Redis is unreachable is committed but not pushed, and clients catch up with ``resume``
(docs/realtime-protocol.md). Without Redis (the embedded single process) publishing delivers in
memory. Control events (membership changes, a person's own read state) stay on the channel layer.
"""

import asyncio
import logging
import queue
import random
import threading
import time
from collections import defaultdict

from django.db import connection
from redis.exceptions import RedisError

from hearth.core.redis_client import redis_url, shared_client

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_sockets: dict[int, set] = defaultdict(set)  # conversation id -> sockets here (hub_deliver, loop)
_listener: threading.Thread | None = None
_listening = threading.Event()
_outgoing: queue.SimpleQueue = queue.SimpleQueue()  # (channel, text) for the publisher thread
_publisher: threading.Thread | None = None
RESYNC_SPREAD_SECONDS = 3.0  # sockets told to resync are closed at random over this long


def _prefix() -> str:
    # Redis pub/sub ignores database numbers: the database name keeps two deployments (or the test
    # suite and a benchmark) sharing one Redis from hearing each other.
    return f"hearth:{connection.settings_dict['NAME']}:chat:"


# --- Sockets ------------------------------------------------------------------------------


def join(conversation_id: int, socket) -> None:
    """``socket`` has ``loop`` and ``hub_deliver(conversation_id, text)`` (called on that loop)."""
    with _lock:
        _sockets[conversation_id].add(socket)


def leave(conversation_id: int, socket) -> None:
    with _lock:
        sockets = _sockets.get(conversation_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del _sockets[conversation_id]


async def start() -> None:
    """Make sure this process hears other processes' frames before a socket relies on it."""
    if redis_url() is None or _listening.is_set():
        return
    _start_listener()
    await asyncio.get_running_loop().run_in_executor(None, _listening.wait, 10)


def deliver(conversation_id: int, text: str) -> None:
    """Hand a frame to every socket of this process in the conversation (any thread)."""
    with _lock:
        sockets = list(_sockets.get(conversation_id, ()))
    by_loop: dict = defaultdict(list)
    for socket in sockets:
        by_loop[socket.loop].append(socket)
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    for loop, targets in by_loop.items():
        if loop is running:
            _hand_over(targets, conversation_id, text)
            continue
        try:
            loop.call_soon_threadsafe(_hand_over, targets, conversation_id, text)
        except RuntimeError:  # that loop has closed: its sockets are gone
            for socket in targets:
                leave(conversation_id, socket)


def _hand_over(sockets, conversation_id: int, text: str) -> None:
    for socket in sockets:
        try:
            socket.hub_deliver(conversation_id, text)
        except Exception:  # one broken socket must not keep the frame from the others
            logger.exception("messaging hub: delivery to a socket failed")


# --- Publishing ---------------------------------------------------------------------------


def publish(conversation_id: int, text: str) -> None:
    """From synchronous code (a view, a service outside a socket)."""
    if redis_url() is None:
        deliver(conversation_id, text)
        return
    shared_client().publish(f"{_prefix()}{conversation_id}", text)


def publish_soon(conversation_id: int, text: str) -> None:
    """From a socket's event loop: queue the frame and return at once. A publisher thread sends
    what has queued up in one pipelined round trip, so a busy process pays the Redis client's
    overhead per batch, not per message, and the event loop never waits on Redis."""
    if redis_url() is None:
        deliver(conversation_id, text)
        return
    _outgoing.put((f"{_prefix()}{conversation_id}", text))
    global _publisher
    if _publisher is None or not _publisher.is_alive():
        with _lock:
            if _publisher is None or not _publisher.is_alive():
                _publisher = threading.Thread(target=_publish_queued, name="chat-hub-publisher", daemon=True)
                _publisher.start()


def _publish_queued() -> None:
    client = shared_client()
    while True:
        batch = [_outgoing.get()]
        while True:
            try:
                batch.append(_outgoing.get_nowait())
            except queue.Empty:
                break
        pipe = client.pipeline(transaction=False)
        for channel, text in batch:
            pipe.publish(channel, text)
        try:
            pipe.execute()
        except RedisError:
            # Committed already. Once more on a fresh connection (the pool's was broken, as after a
            # Redis restart); if Redis is still away, the listeners lost their subscription too and
            # resync their sockets when it is back. A frame sent twice is dropped by seq.
            try:
                pipe.execute()
            except Exception:
                logger.exception("messaging hub: publishing %d frames failed", len(batch))


# --- Hearing other processes --------------------------------------------------------------


def _start_listener() -> None:
    global _listener
    with _lock:
        if _listener is None or not _listener.is_alive():
            _listener = threading.Thread(target=_listen, args=(_prefix(),), name="chat-hub", daemon=True)
            _listener.start()


def _listen(prefix: str) -> None:
    subscribed_before = False
    while True:
        try:
            pubsub = shared_client().pubsub()
            pubsub.psubscribe(f"{prefix}*")
            for message in pubsub.listen():
                if message["type"] == "psubscribe":  # Redis confirmed: the subscription is in force
                    _listening.set()
                    if subscribed_before:
                        # A second confirmation: the subscription was lost and is back (after our
                        # retry below, or redis-py's own reconnect, which says nothing else). Frames
                        # published in the gap never reached this process's sockets.
                        resync_all()
                    subscribed_before = True
                elif message["type"] == "pmessage":
                    conversation_id = int(message["channel"][len(prefix) :])
                    deliver(conversation_id, message["data"].decode())
        except Exception:  # Redis went away: frames in the gap are caught up by resume
            _listening.clear()
            logger.exception("messaging hub: lost the Redis subscription; retrying")
            time.sleep(1)


def resync_all() -> None:
    """Tell every socket of this process that it may have missed frames (``hub_resync`` on its
    loop): a connected page would otherwise never learn of a message published while Redis was
    away, since nothing else on its socket changes (docs/decisions.md, fault injection)."""
    with _lock:
        sockets = {socket for members in _sockets.values() for socket in members}
    logger.warning("messaging hub: the Redis subscription is back; %d sockets resync", len(sockets))
    for socket in sockets:
        # Spread over a few seconds: every socket of the process reconnecting in the same instant
        # (a handshake, a session read, a resume each) queued them all behind each other.
        delay = random.uniform(0, RESYNC_SPREAD_SECONDS)  # noqa: S311 (load spreading, not security)
        try:
            socket.loop.call_soon_threadsafe(socket.loop.call_later, delay, socket.hub_resync)
        except RuntimeError:  # that loop has closed: the socket is gone
            pass
