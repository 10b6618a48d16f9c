"""A WebRTC peer that talks to Janus's HTTP API the way a browser with janus-gateway would:
aiortc for media, a long-poll loop for events. Used by the Janus integration test and the bench."""

import asyncio
import json
import secrets
import time
import urllib.error
import urllib.request

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import VideoStreamTrack

from hearth.video.janus import VIDEOROOM, JanusError


def _http(method: str, url: str, payload: dict | None = None, timeout: float = 35):
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if isinstance(answer, dict) and answer.get("janus") == "error":
        raise JanusError(answer["error"].get("reason", "error"), answer["error"].get("code"))
    return answer


class JanusPeer:
    def __init__(self, url: str, token: str):
        self.url = url.rstrip("/")
        self.token = token
        self.events: asyncio.Queue = asyncio.Queue()
        self.pc = RTCPeerConnection()
        self.frames = 0
        self.first_frame_at: float | None = None
        self._poller: asyncio.Task | None = None
        self._tasks: list[asyncio.Task] = []

    async def _call(self, path: str, payload: dict) -> dict:
        body = {**payload, "transaction": secrets.token_hex(6), "token": self.token}
        return await asyncio.to_thread(_http, "POST", f"{self.url}{path}", body, 10)

    async def open(self) -> None:
        self.session = (await self._call("", {"janus": "create"}))["data"]["id"]
        self.handle = (await self._call(f"/{self.session}", {"janus": "attach", "plugin": VIDEOROOM}))["data"]["id"]
        self._poller = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while True:
            url = f"{self.url}/{self.session}?maxev=5&token={self.token}"
            try:
                answer = await asyncio.to_thread(_http, "GET", url)
            except (urllib.error.URLError, OSError, JanusError):
                await asyncio.sleep(0.2)
                continue
            for event in answer if isinstance(answer, list) else [answer]:
                if event.get("janus") == "event":
                    await self.events.put(event)

    async def request(self, body: dict, jsep: dict | None = None, timeout: float = 10) -> tuple[dict, dict | None]:
        """Send a plugin message; wait for its asynchronous event. Returns (data, jsep)."""
        payload = {"janus": "message", "body": body}
        if jsep is not None:
            payload["jsep"] = jsep
        answer = await self._call(f"/{self.session}/{self.handle}", payload)
        if answer.get("janus") == "success":
            return answer["plugindata"]["data"], None
        event = await asyncio.wait_for(self.events.get(), timeout)
        data = event.get("plugindata", {}).get("data", {})
        if "error" in data:
            raise JanusError(data["error"], data.get("error_code"))
        return data, event.get("jsep")

    async def publish(self, room: int, display: str, feed: int | None = None) -> int:
        """Publish a test video; ``feed`` is the publisher id to ask for (Hearth's pages use the one
        the server gave their seat), ``display`` whatever name the client claims."""
        body = {"request": "join", "ptype": "publisher", "room": room, "display": display, "token": self.token}
        if feed is not None:
            body["id"] = feed
        joined, _ = await self.request(body)
        self.pc.addTrack(VideoStreamTrack())
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp, "trickle": False}
        _data, answer = await self.request({"request": "publish", "audio": False, "video": True}, jsep=offer)
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type=answer["type"]))
        deadline = time.monotonic() + 10
        while self.pc.connectionState != "connected":  # Janus offers a feed once its media is up
            if time.monotonic() > deadline:
                raise TimeoutError(f"publisher stuck in {self.pc.connectionState}")
            await asyncio.sleep(0.02)
        return joined["id"]

    async def subscribe(self, room: int, feed: int) -> None:
        body = {
            "request": "join",
            "ptype": "subscriber",
            "room": room,
            "streams": [{"feed": feed}],
            "token": self.token,
        }
        deadline = time.monotonic() + 5
        while True:
            try:
                _data, offer = await self.request(body)
                break
            except JanusError as exc:  # 428: the feed is not announced yet
                if exc.code != 428 or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

        @self.pc.on("track")
        def on_track(track):
            self._tasks.append(asyncio.ensure_future(self._count(track)))

        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type=offer["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        answer = {"type": "answer", "sdp": self.pc.localDescription.sdp, "trickle": False}
        await self.request({"request": "start"}, jsep=answer)

    async def _count(self, track) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:  # noqa: BLE001 (the track ended, whatever the reason)
                return
            if frame.width:
                self.frames += 1
                if self.first_frame_at is None:
                    self.first_frame_at = time.monotonic()

    async def wait_for_frames(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.frames < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.frames} frames arrived")
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        for task in [self._poller, *self._tasks]:
            if task is not None:
                task.cancel()
        await self.pc.close()
        try:
            await self._call(f"/{self.session}", {"janus": "destroy"})
        except (OSError, JanusError):
            pass
