"""The ASGI lifespan of a serving process: what runs once when uvicorn (or gunicorn's uvicorn
worker) starts the application, and never in tests or management commands that only import it."""

from .gc_tuning import tune_for_serving


async def lifespan(scope, receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            tune_for_serving()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
