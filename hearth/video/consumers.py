"""The video socket (``ws/video/<occurrence>/?token=…``): waiting room, controls and mesh signalling.

Connecting spends a join token (signed, bound to the person and the room, single-use). Every frame
is validated; signalling is relayed only between people admitted to the same call, and only to
someone in it. A bad frame gets an error frame and the connection and the room stay as they were.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import Http404

from hearth.accounts.sockets import check_seconds, session_recheck, session_still_valid
from hearth.core.sockets import PeerMayBeGone, access_group

from . import conf, events, services
from .backends import backend_of
from .models import SeatState
from .protocol import (
    SIGNALS,
    Admit,
    AskMute,
    End,
    FrameError,
    Hand,
    Leave,
    Lock,
    LowerHands,
    MediaState,
    Remove,
    parse_frame,
)
from .selectors import occurrence_for_joiner, peers_in, waiting_queue
from .services import VideoError

logger = logging.getLogger(__name__)
# Close codes: 4401 not signed in, 4403 refused (the error frame before it says why), 4410 ended.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_REFUSED = 4403
CLOSE_ENDED = 4410


def error_frame(code: str, message: str, **extra) -> dict:
    return {"type": "error", "code": code, "message": message, **extra}


class VideoConsumer(PeerMayBeGone, AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.joined = None
        self.state = None
        self.peers: set[int] = set()
        if not await database_sync_to_async(session_still_valid)(user=user, session_key=self.session_key):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        token = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        try:
            self.joined = await database_sync_to_async(self._join)(token)
        except VideoError as exc:
            await self._refuse(exc.code, exc.message)
            return
        except Http404:
            await self._refuse("room_not_found", "There is no room for you here.")
            return
        room = self.joined.room
        self.state = self.joined.seat.state
        # access_group: a new password or a deactivated account closes this socket at once.
        self.groups_joined = [
            events.room_group(room.pk),
            events.person_group(room.pk, user.pk),
            access_group(user.pk),
        ]
        if self.joined.host:
            self.groups_joined.append(events.hosts_group(room.pk))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        hello = await database_sync_to_async(self._hello)()
        await self._send(hello)
        self.session_watch = asyncio.create_task(self._watch_session())

    def _join(self, token: str):
        occurrence = occurrence_for_joiner(
            viewer=self.user, occurrence_id=self.scope["url_route"]["kwargs"]["occurrence_id"]
        )
        return services.room_join(actor=self.user, occurrence=occurrence, token=token)

    def _hello(self) -> dict:
        room, seat = self.joined.room, self.joined.seat
        peers = peers_in(room, exclude_id=self.user.pk) if self.state == SeatState.ADMITTED else []
        self.peers = {peer["id"] for peer in peers}
        hello = {
            "type": "hello",
            "me": {"id": self.user.pk, "name": self.user.display_name, "host": self.joined.host},
            "state": self.state,
            "removed_before": seat.was_removed,
            "locked": room.locked,
            "peers": peers,
            "max_people": backend_of(room).capacity(),
            "ice_servers": conf.ice_servers(),
        }
        if self.state == SeatState.ADMITTED:
            hello["media"] = services.media_for(room, seat)
        if self.joined.host:
            hello["waiting"] = waiting_queue(room)
        return hello

    async def _refuse(self, code: str, message: str):
        await self.accept()
        await self._send(error_frame(code, message, fatal=True))
        await self.close(code=CLOSE_REFUSED)

    async def _watch_session(self):
        while True:
            await asyncio.sleep(max(check_seconds(), 1))
            if not await database_sync_to_async(session_still_valid)(user=self.user, session_key=self.session_key):
                await self._send(error_frame("signed_out", "You were signed out. Sign in again to rejoin.", fatal=True))
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return

    async def access_changed(self, event):
        """core.sockets.access_changed_publish: re-read the session against the person as stored now."""
        if not await database_sync_to_async(session_recheck)(user=self.user, session_key=self.session_key):
            await self._send(error_frame("signed_out", "You were signed out. Sign in again to rejoin.", fatal=True))
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code):
        watch = getattr(self, "session_watch", None)
        if watch is not None:
            watch.cancel()
        if getattr(self, "joined", None) is None:
            return
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        try:
            await database_sync_to_async(services.room_disconnect)(actor=self.user, room=self.joined.room)
        except Exception:
            logger.exception("video: disconnect bookkeeping failed")

    async def _send(self, frame: dict):
        await self.send(text_data=events.encode(frame))

    # --- client → server ------------------------------------------------------------------

    def _frame_allowed(self) -> bool:
        """A fixed window per connection, in memory: signalling must not cost a cache round trip."""
        limit, window = conf.rate_limit()
        now = time.monotonic()
        if now - getattr(self, "window_start", 0.0) >= window:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        return self.window_count <= limit

    async def receive(self, text_data=None, bytes_data=None):
        if not self._frame_allowed():
            await self._send(error_frame("rate_limited", "Too many frames; wait a few seconds."))
            return
        try:
            frame = parse_frame(text_data, bytes_data)
        except FrameError as exc:
            extra = {"details": exc.details} if exc.details else {}
            await self._send(error_frame(exc.code, exc.message, **extra))
            return
        if isinstance(frame, SIGNALS):
            await self._relay(frame)
            return
        try:
            reply = await database_sync_to_async(self._control)(frame)
        except VideoError as exc:
            await self._send(error_frame(exc.code, exc.message))
            return
        except Exception:  # nothing a client sends may break the connection
            logger.exception("video: %s frame failed", frame.type)
            await self._send(error_frame("internal_error", "Something went wrong; please try again."))
            return
        if reply:
            await self._send(reply)
        if isinstance(frame, Leave):
            await self.close(code=1000)

    async def _relay(self, frame):
        if self.state != SeatState.ADMITTED:
            await self._send(error_frame("not_admitted", "You are not in the call yet."))
            return
        if frame.to not in self.peers:
            await self._send(error_frame("peer_not_found", "That person is not in the call."))
            return
        payload = frame.model_dump(exclude={"to"}, exclude_none=True)
        payload["from"] = self.user.pk
        await self.channel_layer.group_send(
            events.person_group(self.joined.room.pk, frame.to),
            {"type": "video.event", "text": events.encode(payload), "signal_from": self.user.pk},
        )

    def _control(self, frame) -> dict | None:
        room, user = self.joined.room, self.user
        if isinstance(frame, Hand):
            services.hand_set(actor=user, room=room, raised=frame.raised)
        elif isinstance(frame, MediaState):
            if self.state != SeatState.ADMITTED:
                raise VideoError("not_admitted", "You are not in the call yet.")
            events.publish(
                events.room_group(room.pk),
                {"type": "media", "id": user.pk, "audio": frame.audio, "video": frame.video},
                admitted_only=True,
            )
        elif isinstance(frame, Leave):
            services.room_leave(actor=user, room=room)
            self.state = SeatState.LEFT
        elif isinstance(frame, Admit):
            services.seat_admit(actor=user, room=room, person_id=frame.person)
        elif isinstance(frame, Remove):
            services.seat_remove(actor=user, room=room, person_id=frame.person)
        elif isinstance(frame, AskMute):
            services.mute_ask(actor=user, room=room, person_id=frame.person)
        elif isinstance(frame, Lock):
            services.room_lock(actor=user, room=room, locked=frame.locked)
        elif isinstance(frame, LowerHands):
            services.hands_lower(actor=user, room=room)
        elif isinstance(frame, End):
            services.room_end(actor=user, room=room)
        return {"type": "ok", "of": frame.type}

    # --- channel layer → client -----------------------------------------------------------

    async def video_event(self, event):
        if self.joined is None:
            return
        new_state = event.get("state")
        if new_state:
            self.state = new_state
            if new_state != SeatState.ADMITTED:
                self.peers.clear()
        if event.get("admitted_only") and self.state != SeatState.ADMITTED:
            return
        joined, left = event.get("peer_joined"), event.get("peer_left")
        if joined == self.user.pk or left == self.user.pk:
            return  # news about myself comes on my own group
        if joined:
            self.peers.add(joined)
        if left:
            self.peers.discard(left)
        sender = event.get("signal_from")
        if sender is not None and (self.state != SeatState.ADMITTED or sender not in self.peers):
            return
        text = event["text"]
        if new_state == SeatState.ADMITTED:
            # The list of people already in the call, as of now (peer_joined may have raced it).
            frame = json.loads(text)
            self.peers = {peer["id"] for peer in frame.get("peers", [])}
        await self.send(text_data=text)
        if event.get("ended"):
            await self.close(code=CLOSE_ENDED)
        elif new_state == SeatState.REMOVED:
            await self.close(code=CLOSE_REFUSED)
