"""The ASGI lifespan of a serving process: what runs once when uvicorn (or gunicorn's uvicorn
worker) starts the application, and never in tests or management commands that only import it."""

import logging
from collections.abc import Awaitable, Callable

from .gc_tuning import tune_for_serving

logger = logging.getLogger(__name__)
_serving = False
_shutdown: list[Callable[[], Awaitable[None]]] = []


def serving() -> bool:
    """True in a process that a server started through the lifespan (not tests, not commands)."""
    return _serving


def on_shutdown(callback: Callable[[], Awaitable[None]]) -> None:
    """Run ``await callback()`` when the serving process shuts down (closing pools it opened)."""
    _shutdown.append(callback)


async def lifespan(scope, receive, send):
    global _serving
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            tune_for_serving()
            _serving = True
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            for callback in _shutdown:
                try:
                    await callback()
                except Exception:  # one failed close must not keep the others from closing
                    logger.exception("lifespan: a shutdown callback failed")
            await send({"type": "lifespan.shutdown.complete"})
            return
