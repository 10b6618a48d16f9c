"""Websocket helpers for video tests: a signed-in communicator that spends a real join token."""

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from hearth.config.asgi import application
from hearth.video.services import join_token_issue


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def token_for(user, occurrence) -> str:
    return await database_sync_to_async(join_token_issue)(actor=user, occurrence=occurrence)


class Peer:
    """One browser's socket in a room."""

    def __init__(self, communicator, connected: bool, first: dict | None):
        self.ws = communicator
        self.connected = connected
        self.first = first

    async def send(self, frame):
        await self.ws.send_json_to(frame)

    async def receive(self, timeout=2):
        return await self.ws.receive_json_from(timeout=timeout)

    async def receive_until(self, kind, timeout=2):
        while True:
            frame = await self.receive(timeout)
            if frame["type"] == kind:
                return frame

    async def ask(self, frame, timeout=2):
        await self.send(frame)
        return await self.receive(timeout)

    async def drain(self, timeout=0.2) -> list[dict]:
        """Everything already on its way (queue updates and the like)."""
        frames = []
        while not await self.ws.receive_nothing(timeout=timeout):
            frames.append(await self.receive())
        return frames

    async def quiet(self, timeout=0.2) -> bool:
        return await self.ws.receive_nothing(timeout=timeout)

    async def closed_with(self, timeout=2):
        output = await self.ws.receive_output(timeout)
        assert output["type"] == "websocket.close", output
        return output.get("code")

    async def close(self):
        await self.ws.disconnect()


async def join(user, occurrence, *, token: str | None = None, origin="http://localhost") -> Peer:
    """Connect ``user`` to the room; ``first`` is the hello (or the refusal's error frame)."""
    headers = [(b"origin", origin.encode())]
    if user is not None:
        headers.append((b"cookie", (await database_sync_to_async(cookie_for)(user)).encode()))
        if token is None:
            token = await token_for(user, occurrence)
    path = f"/ws/video/{occurrence.pk}/?token={token or ''}"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _subprotocol = await communicator.connect()
    first = await communicator.receive_json_from() if connected else None
    return Peer(communicator, connected, first)
