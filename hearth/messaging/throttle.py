"""Per-person frame rate limit for the chat socket: a fixed-window counter.

With Redis (production) the counter is shared, so the limit holds across server processes; it
costs one pipelined round trip per frame on a client kept for the life of the process. Without
Redis (the embedded single-process server) it is counted in memory.
"""

import threading
import time
from collections import Counter

from django.conf import settings

from hearth.core.redis_client import redis_url, shared_client

DEFAULT_LIMIT = 60  # frames
DEFAULT_WINDOW = 10  # seconds

_local_counts: Counter = Counter()
_local_lock = threading.Lock()


def limits() -> tuple[int, int]:
    return (
        getattr(settings, "MESSAGING_RATE_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "MESSAGING_RATE_WINDOW", DEFAULT_WINDOW),
    )


def _count_in_redis(key: str, window: int) -> int:
    pipe = shared_client().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window * 2)
    count, _ttl_set = pipe.execute()
    return count


def _count_in_memory(key: str, window_index: int) -> int:
    with _local_lock:
        if len(_local_counts) > 10_000:  # forget windows that have passed
            for stale in [k for k in _local_counts if k[1] < window_index]:
                del _local_counts[stale]
        _local_counts[key, window_index] += 1
        return _local_counts[key, window_index]


def frame_allowed(user_id: int) -> bool:
    """Count one frame for the person; False once they are over the limit in this window."""
    limit, window = limits()
    window_index = int(time.time() // window)
    key = f"hearth:messaging.rate.{user_id}.{window}.{window_index}"
    if redis_url():
        count = _count_in_redis(key, window)
    else:
        count = _count_in_memory(key, window_index)
    return count <= limit
