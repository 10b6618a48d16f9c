"""One synchronous Redis client per process for code that talks to Redis directly (the chat hub,
the chat rate limit). Its connection pool is thread-safe, so threads share it."""

import threading
from functools import cache

from django.conf import settings

_lock = threading.Lock()


def redis_url() -> str | None:
    return getattr(settings, "REDIS_URL", None) or None


@cache
def _client_for(url: str):
    import redis

    return redis.Redis.from_url(url)


def shared_client():
    """The process's client for settings.REDIS_URL (callers check redis_url() first)."""
    with _lock:
        return _client_for(redis_url())
