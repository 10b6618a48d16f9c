"""A fixed-window counter in the cache (Redis in production, shared by every process; memory in
embedded mode) for limits on ordinary HTTP actions: ``allow("accounts.family_invite", user.pk,
limit=5, window=3600)``. The chat socket keeps its own per-frame counter (messaging.throttle)."""

import time

from django.core.cache import cache


def allow(scope: str, ident, *, limit: int, window: int) -> bool:
    """Count one use of ``scope`` by ``ident``; False once over ``limit`` in this window."""
    key = f"hearth:rate:{scope}:{ident}:{window}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count <= limit
