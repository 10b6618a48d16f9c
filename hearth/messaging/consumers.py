"""The chat socket (``ws/chat/``): protocol version 1, see docs/realtime-protocol.md.

Every client frame is validated, rate limited and authorised against the database (membership is
checked on every frame); writes go through services, which publish to the conversation's group on
commit. A bad frame gets an error frame and the connection stays open.
"""

import asyncio
import logging
import time
import uuid

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404
from django.utils import translation

from hearth.accounts.sockets import check_seconds, session_recheck, session_still_valid
from hearth.audit.context import RequestContext
from hearth.core.sockets import PeerMayBeGone, access_group
from hearth.programs.selectors import roles_forget, roles_of
from hearth.safety.detection import detection_loaded

from . import events, hub, services
from .protocol import PROTOCOL_VERSION, Delete, Edit, FrameError, React, Read, Resume, Send, parse_frame
from .selectors import (
    RESUME_LIMIT,
    conversation_for_member,
    conversation_ids_for_member,
    message_for_member,
    messages_after,
    messages_changed,
    unread_counts_for_viewer,
)
from .services import MessagingError
from .throttle import frame_allowed

logger = logging.getLogger(__name__)


OUTBOX_LIMIT = 1000  # conversation frames waiting for one slow socket before it is closed
RETRYABLE_FRAMES = (Send, Resume, Read)  # the same frame twice changes nothing more than once
RESYNC_CLOSE_CODE = 1012  # "service restart": the hub may have missed frames; reconnect and resume
RESYNC_QUERY = "resync=1"  # a page that knows the resync frame says so when it connects
AUDIT_BATCH_SECONDS = 1.0  # reads over the socket are written to the audit log in batches this often


def socket_audit_context(scope) -> RequestContext:
    """The facts an HTTP audit entry takes from the request (audit.middleware), taken once at connect."""
    client = scope.get("client") or (None, None)
    headers = dict(scope.get("headers") or [])
    return RequestContext(
        ip_address=client[0] or None,
        user_agent=headers.get(b"user-agent", b"").decode("latin-1")[:300],
        request_id=str(uuid.uuid4()),
    )


def parallel_frames() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def error_frame(code: str, message: str, ref: str | None = None, **extra) -> dict:
    frame = {"v": PROTOCOL_VERSION, "type": "error", "code": code, "message": message}
    if ref is not None:
        frame["ref"] = ref
    frame.update(extra)
    return frame


class ChatConsumer(PeerMayBeGone, AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.user = user
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        unread = await database_sync_to_async(self._opening_state)()
        if unread is None:
            await self.close(code=4401)
            return
        self.session_checked_at = time.monotonic()
        self.signed_out = False
        self.conversations: set[int] = set()
        # Who viewed my record: each conversation read over this socket is audited once, in batches.
        self.audit_context = socket_audit_context(self.scope)
        self.audited: set[int] = set()
        self.audit_pending: set[int] = set()
        self.audit_flush = None
        # Conversation frames from the hub wait here; one writer task sends them in order.
        self.loop = asyncio.get_running_loop()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.overflowed = False
        self.resyncs = RESYNC_QUERY in self.scope.get("query_string", b"").decode("latin-1").split("&")
        await hub.start()
        for conversation_id in unread:
            await self._join(conversation_id)
        await self.channel_layer.group_add(events.user_group(user.pk), self.channel_name)
        # A consent withdrawn or a role ended is announced here: the socket drops at once what the
        # person may no longer see (not at the next periodic check).
        await self.channel_layer.group_add(access_group(user.pk), self.channel_name)
        await self.accept()
        await self._send({"v": PROTOCOL_VERSION, "type": "hello", "unread": {str(k): v for k, v in unread.items()}})
        self.writer = asyncio.create_task(self._write_outbox())
        # An idle socket must close when its session ends, even if the person never sends anything.
        self.session_watch = asyncio.create_task(self._watch_session())

    def _opening_state(self) -> dict[int, int] | None:
        """One database hop at connect: None if the session is no longer valid, else the unread
        counts. It also loads what the first send would otherwise load while others wait on it: the
        person's roles (cached on the user) and, once per process, the crisis signal list."""
        if not session_still_valid(user=self.user, session_key=self.session_key):
            return None
        roles_of(self.user)
        detection_loaded()
        return unread_counts_for_viewer(viewer=self.user)

    async def _watch_session(self):
        while True:
            await asyncio.sleep(max(check_seconds(), 1))
            try:
                valid = await database_sync_to_async(session_still_valid)(user=self.user, session_key=self.session_key)
                if not valid:
                    await self._sign_out()
                    return
                await self._refresh_conversations()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed check is retried at the next tick; the socket stays up
                logger.exception("messaging: session check failed")

    async def _refresh_conversations(self):
        """Subscribe to exactly the conversations the person may see now. Runs on an access event
        (a consent withdrawn, a role ended), and periodically to catch what no event announces (a
        consent that expired, an event the layer lost)."""

        def current() -> set[int]:
            roles_forget(self.user)
            return conversation_ids_for_member(viewer=self.user)

        allowed = await database_sync_to_async(current)()
        for conversation_id in self.conversations - allowed:
            await self._leave(conversation_id)
            await self._send({"v": PROTOCOL_VERSION, "type": "removed", "conversation": conversation_id})
        for conversation_id in allowed - self.conversations:
            await self._join(conversation_id)
            await self._send({"v": PROTOCOL_VERSION, "type": "joined", "conversation": conversation_id})

    async def _sign_out(self):
        await self._send(error_frame("signed_out", "You were signed out. Sign in again to keep chatting."))
        await self.close(code=4401)

    async def disconnect(self, code):
        for task in (getattr(self, "session_watch", None), getattr(self, "writer", None)):
            if task is not None:
                task.cancel()
        if not hasattr(self, "conversations"):
            return
        await self._flush_reads(delay=0)
        for conversation_id in list(self.conversations):
            await self._leave(conversation_id)
        await self.channel_layer.group_discard(events.user_group(self.user.pk), self.channel_name)
        await self.channel_layer.group_discard(access_group(self.user.pk), self.channel_name)

    async def _join(self, conversation_id: int):
        self.conversations.add(conversation_id)
        hub.join(conversation_id, self)

    async def _leave(self, conversation_id: int):
        self.conversations.discard(conversation_id)
        hub.leave(conversation_id, self)

    def hub_deliver(self, conversation_id: int, text: str) -> None:
        """Called by the hub on this socket's loop with a conversation frame."""
        if conversation_id not in self.conversations or self.overflowed:
            return
        if self.outbox.qsize() >= OUTBOX_LIMIT:
            # A client that reads nothing must not hold the server's memory: it reconnects and resumes.
            self.overflowed = True
            self.closing = asyncio.ensure_future(self.close(code=4408))
            return
        self.outbox.put_nowait((conversation_id, text))
        if conversation_id not in self.audited:
            self._read_noted(conversation_id)

    def hub_resync(self) -> None:
        """Called by the hub on this socket's loop when frames may have been missed (its Redis
        subscription was lost and is back). A page that knows it gets a ``resync`` frame and resumes
        on this socket: a thousand pages asking for a few messages cost far less than a thousand
        reconnects. Any other page is closed with 1012 (service restart) and does what it does after
        any drop: reconnect and resume from its last seq."""
        if self.overflowed:
            return
        if getattr(self, "resyncs", False):
            self.resync_sent = asyncio.ensure_future(self._send({"v": PROTOCOL_VERSION, "type": "resync"}))
            return
        self.overflowed = True  # nothing more is queued for a socket that is closing
        self.closing = asyncio.ensure_future(self.close(code=RESYNC_CLOSE_CODE))

    def _read_noted(self, conversation_id: int) -> None:
        """On the hot path: a set lookup per frame; the database hears of it once per conversation."""
        self.audited.add(conversation_id)
        self.audit_pending.add(conversation_id)
        if self.audit_flush is None:
            self.audit_flush = asyncio.ensure_future(self._flush_reads(delay=AUDIT_BATCH_SECONDS))

    async def _flush_reads(self, delay: float):
        if delay:
            await asyncio.sleep(delay)
        self.audit_flush = None
        pending, self.audit_pending = self.audit_pending, set()
        if pending:
            await database_sync_to_async(services.conversation_reads_record)(
                viewer=self.user, conversation_ids=pending, context=self.audit_context
            )

    async def _write_outbox(self):
        while True:
            conversation_id, text = await self.outbox.get()
            # The set is the live membership: a member removed after the frame was queued gets nothing.
            if conversation_id in self.conversations and not self.overflowed:
                await self.send(text_data=text)

    async def _send(self, frame: dict):
        if self.overflowed:
            # We are closing this socket (4408, 1012): a send after the close is an ASGI error that
            # ends the consumer without ``disconnect``. The page resends and resumes on reconnect.
            return
        await self.send(text_data=events.encode(frame))

    async def dispatch(self, message):
        """As channels' dispatch, without its hop to the database thread before every message to
        close stale connections: our database calls (database_sync_to_async) do that themselves, and
        a chat event for the socket needs no database. With 1,200 sockets that hop queued every
        delivery behind the frames being written."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- client → server ------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        try:
            frame = parse_frame(text_data, bytes_data)
        except FrameError as exc:
            details = {"details": exc.details} if exc.details else {}
            await self._send(error_frame(exc.code, exc.message, exc.ref, **details))
            return
        # On PostgreSQL frames of different sockets run in parallel threads, each with a pooled
        # connection (one shared thread would queue every frame of the process behind the slowest);
        # the frames of one socket stay in order because a consumer handles one message at a time.
        # SQLite serialises writers anyway, so there they share the one database thread.
        handle = database_sync_to_async(self.handle_frame, thread_sensitive=not parallel_frames())
        replies, publishes = await handle(frame)
        if self.signed_out:
            await self._sign_out()
            return
        for reply in replies:
            await self._send(reply)
        # Committed before the reply went out; now the other members hear of it.
        await events.send_collected(self.channel_layer, publishes)

    def handle_frame(self, frame) -> tuple[list[dict], list]:
        """Runs in a worker thread: the database work of one frame. Returns the answers to send back
        (service error messages in the person's language) and what the writes published on commit."""
        language = getattr(self.user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language), events.collect_publishes() as publishes:
            try:
                return self._handle_frame_or_retry(frame), publishes
            except Exception:  # nothing a client sends may break the connection
                logger.exception("messaging: frame %s failed", frame.type)
                return [error_frame("internal_error", "Something went wrong; please try again.", frame.id)], publishes
            finally:
                if parallel_frames():
                    # Give the pooled connection back now: this executor thread may never run
                    # another frame (channels' cleanup does not see it here).
                    connection.close()

    def _handle_frame_or_retry(self, frame) -> list[dict]:
        """A frame whose database connection turned out dead (PostgreSQL restarted: every idle
        pooled connection is) is tried once more on a live one, if trying again is harmless: a
        send is idempotent by client_msg_id, resume and read only read or move forward. Without
        this each dead connection in the pool failed one frame, which the page resent 3 s later."""
        try:
            return self._handle_frame(frame)
        except (OperationalError, InterfaceError):
            if not isinstance(frame, RETRYABLE_FRAMES):
                raise
            logger.warning("messaging: %s frame lost its database connection; trying once more", frame.type)
            connection.close()
            pool = getattr(connection, "pool", None) if parallel_frames() else None
            if pool is not None:
                pool.check()  # drop the pool's other dead connections now, not one failed frame each
            return self._handle_frame(frame)

    def _handle_frame(self, frame) -> list[dict]:
        ref = frame.id
        if not frame_allowed(self.user.pk):
            return [error_frame("rate_limited", "Too many frames; wait a few seconds and try again.", ref)]
        # The session is re-read at most every check_seconds(): one query, not one per frame.
        if time.monotonic() - self.session_checked_at >= check_seconds():
            activity = not isinstance(frame, Read | Resume)
            if not session_still_valid(user=self.user, session_key=self.session_key, activity=activity):
                self.signed_out = True
                return []
            self.session_checked_at = time.monotonic()
            # Roles are cached on the user object; a long-lived socket must see role changes.
            roles_forget(self.user)
        try:
            if isinstance(frame, Send):
                # message_send checks membership itself, under the conversation lock.
                return self._send_message(frame, frame.conversation)
            conversation = conversation_for_member(viewer=self.user, conversation_id=frame.conversation)
            if isinstance(frame, Resume):
                return self._resume(frame, conversation)
            if isinstance(frame, Read):
                unread = services.read_mark(actor=self.user, conversation=conversation, seq=frame.seq)
                return [self._reply("read", frame, seq=frame.seq, unread=unread)]
            message = self._message(conversation, frame.seq)
            if isinstance(frame, Edit):
                services.message_edit(actor=self.user, message=message, body=frame.body)
            elif isinstance(frame, Delete):
                services.message_delete(actor=self.user, message=message)
            elif isinstance(frame, React):
                services.reaction_toggle(actor=self.user, message=message, emoji=frame.emoji)
            return [self._reply("ok", frame, seq=frame.seq)]
        except Http404:
            return [error_frame("conversation_not_found", "No such conversation.", ref)]
        except MessagingError as exc:
            return [error_frame(exc.code, exc.message, ref)]

    def _reply(self, kind: str, frame, **fields) -> dict:
        reply = {"v": PROTOCOL_VERSION, "type": kind, "conversation": frame.conversation, **fields}
        if kind == "ok":
            reply["of"] = frame.type
        if frame.id is not None:
            reply["ref"] = frame.id
        return reply

    def _message(self, conversation, seq):
        try:
            return message_for_member(viewer=self.user, conversation=conversation, seq=seq)
        except Http404:
            raise MessagingError("message_not_found", "No such message.") from None

    def _send_message(self, frame: Send, conversation) -> list[dict]:
        result = services.message_send(
            actor=self.user, conversation=conversation, client_msg_id=frame.client_msg_id, body=frame.body
        )
        ack = self._reply(
            "ack",
            frame,
            client_msg_id=frame.client_msg_id,
            seq=result.message.seq,
            created_at=result.message.created_at.isoformat(),
            duplicate=not result.created,
            crisis=result.crisis is not None,
        )
        return [ack]

    def _resume(self, frame: Resume, conversation) -> list[dict]:
        if frame.after_seq > conversation.last_seq:
            raise MessagingError("seq_from_future", "There is no message with that number yet.")
        if frame.after_change is not None and frame.after_change > conversation.last_change:
            raise MessagingError("change_from_future", "There is no change with that number yet.")
        missed = messages_after(conversation=conversation, after_seq=frame.after_seq, limit=RESUME_LIMIT)
        if conversation.pk not in self.audited:
            # Already on the database thread: written now, before the messages go out.
            self.audited.add(conversation.pk)
            services.conversation_reads_record(
                viewer=self.user, conversation_ids=[conversation.pk], context=self.audit_context
            )
        reply = self._reply(
            "resume",
            frame,
            after_seq=frame.after_seq,
            messages=[events.message_frame(message) for message in missed],
            last_seq=conversation.last_seq,
            more=bool(missed) and missed[-1].seq < conversation.last_seq,
        )
        if frame.after_change is not None:
            changed = messages_changed(
                conversation=conversation,
                up_to_seq=frame.after_seq,
                after_change=frame.after_change,
                limit=RESUME_LIMIT + 1,
            )
            reply["changes"] = [events.message_frame(message) for message in changed[:RESUME_LIMIT]]
            reply["last_change"] = conversation.last_change
            reply["changes_more"] = len(changed) > RESUME_LIMIT
        return [reply]

    # --- channel layer → client (a person's own events) -------------------------------------

    async def chat_event(self, event):
        # The set is the live membership: a removed member's socket left it before this event.
        if event.get("conversation") in self.conversations:
            await self.send(text_data=event["text"])

    async def access_changed(self, event):
        """The person's access changed (core.sockets.access_changed_publish: a consent withdrawn, a
        role ended, a new password): re-check the session, then re-read what they may see, now."""
        if not await database_sync_to_async(session_recheck)(user=self.user, session_key=self.session_key):
            await self._sign_out()
            return
        await self._refresh_conversations()

    async def chat_membership(self, event):
        conversation_id = event["conversation"]
        if event["joined"]:
            still_member = await database_sync_to_async(conversation_ids_for_member)(viewer=self.user)
            if conversation_id in still_member and conversation_id not in self.conversations:
                await self._join(conversation_id)
                await self._send({"v": PROTOCOL_VERSION, "type": "joined", "conversation": conversation_id})
        elif conversation_id in self.conversations:
            await self._leave(conversation_id)
            await self._send({"v": PROTOCOL_VERSION, "type": "removed", "conversation": conversation_id})
