"""Per-person frame rate limit for the chat socket: a fixed-window counter in the shared cache
(Redis in production, so the limit holds across server processes)."""

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = 60  # frames
DEFAULT_WINDOW = 10  # seconds


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "MESSAGING_RATE_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "MESSAGING_RATE_WINDOW", DEFAULT_WINDOW),
    )


def frame_allowed(user_id: int) -> bool:
    """Count one frame for the person; False once they are over the limit in this window."""
    limit, window = limits()
    key = f"messaging.rate.{user_id}.{int(time.time() // window)}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window * 2)
        count = 1
    return count <= limit
