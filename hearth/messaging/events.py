"""Server → client frames and the channel-layer groups that carry them (docs/realtime-protocol.md)."""

import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

PROTOCOL_VERSION = 1
logger = logging.getLogger(__name__)

# Set by the chat socket while it handles a frame in a worker thread: publishes are collected and
# sent by the socket on its event loop after the reply, instead of each blocking the worker thread
# on a hop to the loop (which serialises every frame of the process behind it).
_collected: ContextVar[list | None] = ContextVar("messaging_collected_publishes", default=None)


@contextmanager
def collect_publishes():
    """Collect (group, event) pairs published in this context; the caller sends them."""
    collected: list = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


async def send_collected(layer, collected: list) -> None:
    for group, event in collected:
        try:
            await layer.group_send(group, event)
        except Exception:  # as in publish(): the write is committed; clients catch up with resume
            logger.exception("messaging: publish to %s failed", group)


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


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
    }


def publish(group: str, frame: dict, *, conversation_id: int | None = None) -> None:
    """Send a frame to a group. Called from transaction.on_commit: a failed publish never undoes a write
    (the layer is at-most-once; clients catch up with ``resume``)."""
    # Serialised once here, not once per receiving socket.
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
    _group_send(group, {"type": "chat.event", "conversation": conversation_id, "text": text})


def _group_send(group: str, event: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # a layer outage must not turn a committed write into an error
        logger.exception("messaging: publish to %s failed", group)


def publish_to_conversation(conversation_id: int, frame: dict) -> None:
    publish(conversation_group(conversation_id), frame, conversation_id=conversation_id)


def publish_membership(user_id: int, conversation_id: int, *, joined: bool) -> None:
    _group_send(user_group(user_id), {"type": "chat.membership", "conversation": conversation_id, "joined": joined})
