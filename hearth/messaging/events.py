"""Server → client frames and what carries them (docs/realtime-protocol.md): conversation events
through the hub (hub.py), a person's own events (membership, read state) through channel-layer
groups."""

import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from . import hub

PROTOCOL_VERSION = 1
logger = logging.getLogger(__name__)

# Set by the chat socket while it handles a frame in a worker thread: publishes are collected and
# sent by the socket on its event loop after the reply, instead of each blocking the worker thread
# on a hop to the loop (which serialises every frame of the process behind it).
_collected: ContextVar[list | None] = ContextVar("messaging_collected_publishes", default=None)


@contextmanager
def collect_publishes():
    """Collect what is published in this context; the caller sends it with send_collected."""
    collected: list = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


async def send_collected(layer, collected: list) -> None:
    for kind, target, payload in collected:
        try:
            if kind == "conversation":
                hub.publish_soon(target, payload)
            else:
                await layer.group_send(target, payload)
        except Exception:  # as in publish(): the write is committed; clients catch up with resume
            logger.exception("messaging: publish to %s %s failed", kind, target)


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def reaction_counts(message) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reaction in message.reactions.all():
        counts[reaction.emoji] = counts.get(reaction.emoji, 0) + 1
    return counts


def message_frame(message, *, include_reactions: bool = True) -> dict:
    hidden = message.hidden_at is not None
    deleted = message.deleted_at is not None
    sender = message.sender
    return {
        "v": PROTOCOL_VERSION,
        "type": "message",
        "conversation": message.conversation_id,
        "seq": message.seq,
        "client_msg_id": message.client_msg_id,
        "sender": {"id": sender.pk, "name": sender.display_name} if sender is not None else None,
        "body": "" if (hidden or deleted) else message.body,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": deleted,
        "hidden": hidden,
        "reactions": reaction_counts(message) if include_reactions else {},
        "change": message.change,
    }


def publish(group: str, frame: dict, *, conversation_id: int | None = None) -> None:
    """Send a frame to a channel-layer group (a person's own sockets). Called from
    transaction.on_commit: a failed publish never undoes a write (clients catch up with ``resume``)."""
    _group_send(group, {"type": "chat.event", "conversation": conversation_id, "text": encode(frame)})


def _group_send(group: str, event: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append(("group", group, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # a layer outage must not turn a committed write into an error
        logger.exception("messaging: publish to %s failed", group)


def publish_to_conversation(conversation_id: int, frame: dict) -> None:
    """Send a frame to everyone connected to the conversation, serialised once. Called from
    transaction.on_commit, like publish()."""
    text = encode(frame)
    collected = _collected.get()
    if collected is not None:
        collected.append(("conversation", conversation_id, text))
        return
    try:
        hub.publish(conversation_id, text)
    except Exception:  # a Redis outage must not turn a committed write into an error
        logger.exception("messaging: publish to conversation %s failed", conversation_id)


def publish_membership(user_id: int, conversation_id: int, *, joined: bool) -> None:
    _group_send(user_group(user_id), {"type": "chat.membership", "conversation": conversation_id, "joined": joined})
