"""Channel-layer groups of a video room and the frames sent through them."""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def room_group(room_id: int) -> str:
    return f"video.room.{room_id}"


def hosts_group(room_id: int) -> str:
    return f"video.hosts.{room_id}"


def person_group(room_id: int, person_id: int) -> str:
    return f"video.person.{room_id}.{person_id}"


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def publish(group: str, frame: dict, **control) -> None:
    """Send a frame to a group (called on commit). ``control`` carries what the receiving consumer
    needs for itself (e.g. its new state); only ``text`` reaches the browser."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "video.event", "text": encode(frame), **control})
    except Exception:  # a layer outage must not turn a committed write into an error
        logger.exception("video: publish to %s failed", group)
