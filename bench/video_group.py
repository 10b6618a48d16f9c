"""Video group benchmark: a whole IOP group on the Janus SFU, joined through Hearth.

    python -m bench.video_group [--peers 12] [--fps 10] [--hold 20] [--out var/bench/video_group.json]

One group-therapy session with a clinician host and ``--peers - 1`` participants; every peer is an
aiortc client (160x120 at --fps) that does what the room page does: it loads the room page, posts
the Join request (CSRF and session cookie), opens the room socket with the join token, waits to be
admitted (the host's peer admits whoever its queue frame shows, as a host's page lets a host do),
takes the Janus server, token, room and feed id from Hearth's hello/admitted frame, publishes under
that feed id, and subscribes to every feed Hearth's peer list names (one Janus handle and peer
connection per feed, as janus-gateway does). Janus (Debian's, configured by
hearth.video.janus_config), uvicorn (embedded settings, VIDEO_BACKEND=auto) and the peers run in a
network namespace with a veth pair, as the Janus tests do. The peers are spread over --processes
processes so the client side is not the bottleneck of a 2-core machine.

Measured:
- join: from the Join request to the peer's own stream published and acknowledged (Janus's
  "configured" answer applied and the publisher's peer connection connected);
- everyone sees everyone: from the first Join request until every peer has decoded a frame from
  each of the others (peers x (peers - 1) subscriptions);
- frames: over a --hold second window once everyone sees everyone, per subscription, frames
  decoded against frames the publisher sent in that span (RTP timestamps count the publisher's
  frames; a gap is a lost frame);
- Janus CPU: utime + stime from /proc/<pid>/stat, over the whole run and over the hold window.

Prints JSON and writes it to --out. Figures are not asserted as timings anywhere.
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WITH_VETH = (
    "ip link set lo up && ip link add v0 type veth peer name v1 && "
    "ip addr add 10.77.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up"
)
CLOCK = 90000  # the RTP video clock: timestamps count 1/90000 s
MESH_MAX_PEOPLE = 4  # Hearth's default VIDEO_MESH_MAX_PEOPLE
JOIN_TIMEOUT = 30  # seconds until everyone must see everyone


def percentile(samples: list[float], fraction: float) -> float | None:
    ordered = sorted(samples)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


# --- the Django side (inside the namespace) ---------------------------------------------------


def seed_group(peers: int):
    """A program, a cohort of peers - 1 participants and a group-therapy session open now, hosted by
    a clinician; a signed-in session for each of the peers (the host first)."""
    import datetime
    import uuid
    from importlib import import_module

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from hearth.accounts.models import User
    from hearth.programs.models import Cohort, Membership, Program, Role
    from hearth.scheduling.models import Occurrence, SessionKind

    tag = uuid.uuid4().hex[:8]
    program = Program.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    cohort = Cohort.objects.create(program=program, name="Bench group")
    host = User.objects.create(email=f"host-{tag}@hearth.invalid", display_name="Host", password="!")
    Membership.objects.create(user=host, program=program, role=Role.CLINICIAN)
    TOTP.activate(host, generate_totp_secret())  # staff reach nothing without a second factor
    people = [host]
    for number in range(1, peers):
        user = User.objects.create(
            email=f"member{number}-{tag}@hearth.invalid", display_name=f"Member {number}", password="!"
        )
        Membership.objects.create(user=user, program=program, role=Role.PARTICIPANT, cohort=cohort)
        people.append(user)
    start = timezone.now() - datetime.timedelta(minutes=5)
    occurrence = Occurrence.objects.create(
        program=program,
        kind=SessionKind.GROUP_THERAPY,
        title="Bench group",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        cohort=cohort,
    )
    occurrence.hosts.add(host)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in people:
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "id": user.pk})
    return occurrence, cookies


def janus_pid(folder: Path) -> int | None:
    """The Janus started on ``folder``'s config (its command line names the folder)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if words and words[0].endswith(b"janus") and str(folder).encode() in words:
            return int(cmdline.parent.name)
    return None


def process_cpu(pid: int | None) -> float:
    """utime + stime of one process, in seconds (/proc/<pid>/stat)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_group(args) -> dict:
    """Inside the namespace: Janus, Hearth and the peer processes; returns the report."""
    from bench.chat import start_server, stop_server
    from bench.video_join import setup_django
    from hearth.video.tests.janus_server import running_janus

    began = time.monotonic()
    setup_django(args.var_dir)
    occurrence, cookies = seed_group(args.peers)
    setup_s = time.monotonic() - began
    with tempfile.TemporaryDirectory() as folder, running_janus(Path(folder) / "janus") as (_client, janus):
        pid = janus_pid(Path(folder) / "janus")
        env = {
            **os.environ,
            # A roster past the mesh limit (4) makes Hearth pick Janus by itself; smaller smoke runs ask for it.
            "VIDEO_BACKEND": "auto" if args.peers > MESH_MAX_PEOPLE else "janus",
            "VIDEO_MESH_MAX_PEOPLE": str(MESH_MAX_PEOPLE),
            "VIDEO_JANUS_BITRATE": str(args.janus_bitrate),
            "VIDEO_JANUS_URL": janus.url,
            "VIDEO_JANUS_ADMIN_URL": janus.admin_url,
            "VIDEO_JANUS_ADMIN_SECRET": janus.admin_secret,
            "VIDEO_JANUS_ADMIN_KEY": janus.admin_key,
            "VIDEO_JANUS_PUBLIC_URL": janus.url,  # its own origin here; nginx serves it on the site's
        }
        server, port = start_server("hearth.config.asgi:application", env)
        try:
            report = drive_peers(args, occurrence.pk, cookies, f"http://127.0.0.1:{port}", pid, server.pid)
            report["janus_log_warnings"] = _log_warnings(Path(folder) / "janus" / "janus.log")
            report["setup_s"] = round(setup_s, 1)  # migrating the embedded database and seeding: not measured
            return report
        finally:
            stop_server(server)


def _log_warnings(log: Path) -> dict[str, int]:
    """Janus's own warnings and errors during the run, counted by message (handle ids left out).
    aiortc offers several DTLS fingerprints; Janus warns about the ones that are not sha-256."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    counts = Counter(re.sub(r"\[\d+\]", "[…]", line).strip() for line in lines if "[WARN]" in line or "[ERR]" in line)
    return dict(counts.most_common(10))


def drive_peers(args, occurrence_id: int, cookies: list[dict], base: str, pid: int | None, server_pid: int) -> dict:
    """Start the peer processes (the host in the first), wait until each says its peers see
    everyone, then hold for the measuring window and collect their results."""
    from bench.chat import cpu_seconds

    groups = [cookies[index :: args.processes] for index in range(args.processes)]
    groups = [group for group in groups if group]
    spec = {
        "base": base,
        "occurrence": occurrence_id,
        "peers": args.peers,
        "fps": args.fps,
        "width": args.width,
        "height": args.height,
        "stagger": args.stagger,
        "picture": args.picture,
        "host_id": cookies[0]["id"],
        "processes": len(groups),
    }
    workers = []
    for number, group in enumerate(groups):
        worker_spec = {**spec, "me": group, "offset": number}
        command = [sys.executable, "-m", "bench.video_group", "--part", "peers", "--spec", json.dumps(worker_spec)]
        workers.append(
            subprocess.Popen(  # noqa: S603 (this module, fixed arguments)
                command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    for worker in workers:
        _expect(worker, "LOADED")  # aiortc imported, every room page loaded
    start_at = time.monotonic() + 0.2
    cpu_start, wall_start, hearth_start = process_cpu(pid), time.monotonic(), cpu_seconds(server_pid)
    _tell(workers, f"START {start_at}")
    # "READY <monotonic>" once a process's peers see everyone (or it gave up)
    ready = [float(line.split()[1]) if line else time.monotonic() for line in (_expect(w, "READY") for w in workers)]
    everyone_at = max(ready)
    hold_from = time.monotonic()
    cpu_hold_start = process_cpu(pid)
    hold_until = hold_from + args.hold
    _tell(workers, f"HOLD {hold_from} {hold_until}")
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=args.hold + 120)
        try:
            results.append(json.loads(out.strip().splitlines()[-1]))
        except (IndexError, ValueError):
            results.append({"peers": [], "errors": [f"a peer process exited with {worker.returncode}"]})
    cpu_hold = process_cpu(pid) - cpu_hold_start
    cpu_total, wall_total = process_cpu(pid) - cpu_start, time.monotonic() - wall_start
    report = report_of(args, results, start_at, everyone_at, hold_until - hold_from, cpu_total, wall_total, cpu_hold)
    report["hearth_cpu_s"] = round(cpu_seconds(server_pid) - hearth_start, 2)  # uvicorn, the whole run
    return report


def _expect(worker: subprocess.Popen, word: str) -> str:
    """The next line of a peer process's output that starts with ``word`` ("" if it exited)."""
    line = worker.stdout.readline()
    while line and not line.startswith(word):
        line = worker.stdout.readline()
    return line


def _tell(workers: list[subprocess.Popen], line: str) -> None:
    for worker in workers:
        worker.stdin.write(line + "\n")
        worker.stdin.flush()


def report_of(args, results, start_at, everyone_at, hold, cpu_total, wall_total, cpu_hold) -> dict:
    peers = [peer for result in results for peer in result["peers"]]
    joins = [peer["join_ms"] for peer in peers if peer.get("join_ms") is not None]
    subscriptions = [sub for peer in peers for sub in peer["subscriptions"]]
    seen = [sub for sub in subscriptions if sub["first_frame_ms"] is not None]
    first_join = min((peer["join_started"] for peer in peers if peer.get("join_started")), default=start_at)
    last_join = max((peer["join_started"] for peer in peers if peer.get("join_started")), default=start_at)
    everyone_at = max((sub["first_frame_at"] for sub in seen), default=everyone_at)
    everyone = len(seen) == args.peers * (args.peers - 1) and all(peer.get("join_ms") is not None for peer in peers)
    received = sum(sub["window"]["received"] for sub in subscriptions)
    expected = sum(sub["window"]["expected"] for sub in subscriptions)
    lost = [sub["window"]["lost"] for sub in subscriptions]
    return {
        "peers": args.peers,
        "video": f"{args.width}x{args.height} at {args.fps} fps (aiortc, VP8), picture: {args.picture}",
        "janus_bitrate_cap": args.janus_bitrate,
        "processes": len(results),
        "video_backend_setting": "auto" if args.peers > MESH_MAX_PEOPLE else "janus",
        "everyone_sees_everyone": everyone,
        "errors": [error for result in results for error in result["errors"]][:20],
        "join_ms": {
            "median": round(statistics.median(joins), 1) if joins else None,
            "p95": round(percentile(joins, 0.95), 1) if joins else None,
            "max": round(max(joins), 1) if joins else None,
            "samples": [round(j, 1) for j in joins],
            "from": "Join request (POST token) to own stream published and acknowledged by Janus",
        },
        "admission_wait_ms": {
            "median": _median([peer["admitted_ms"] for peer in peers if peer.get("admitted_ms") is not None]),
            "note": "socket hello (waiting room) to the host's admission, inside join_ms",
        },
        "everyone_sees_everyone_s": round(everyone_at - first_join, 2) if everyone else None,
        "everyone_sees_everyone_after_last_join_s": round(everyone_at - last_join, 2) if everyone else None,
        "arrivals": f"one Join request every {args.stagger} s, the host first",
        "subscriptions": {"expected": args.peers * (args.peers - 1), "with_frames": len(seen)},
        "timeline_ms": [  # per peer, from the first Join request: its Join, published, last first frame
            {
                "peer": peer["id"],
                "join": round((peer["join_started"] - first_join) * 1000) if peer.get("join_started") else None,
                "published": round((peer["join_started"] - first_join) * 1000 + peer["join_ms"])
                if peer.get("join_ms") is not None
                else None,
                "sees_everyone": round(
                    (max(sub["first_frame_at"] for sub in peer["subscriptions"]) - first_join) * 1000
                )
                if peer["subscriptions"] and all(sub["first_frame_at"] for sub in peer["subscriptions"])
                else None,
            }
            for peer in peers
        ],
        "frames": {
            "window_s": round(hold, 1),
            "received": received,
            "expected": expected,
            "lost": sum(lost),
            "lost_pct": round(100 * sum(lost) / expected, 3) if expected else None,
            "lost_per_subscription": {"max": max(lost, default=0), "median": _median(lost)},
            "kbps_per_subscription": {
                "median": _median(
                    [sub["window"]["kbps"] for sub in subscriptions if sub["window"]["kbps"] is not None]
                ),
                "max": max((sub["window"]["kbps"] or 0 for sub in subscriptions), default=None),
            },
            "sent_fps_per_publisher": {
                "median": _median([peer["sent_fps"] for peer in peers if peer.get("sent_fps") is not None]),
                "min": min((peer["sent_fps"] for peer in peers if peer.get("sent_fps") is not None), default=None),
                "note": "below --fps: the peer processes (not Janus) ran out of CPU; expected counts what was sent",
            },
            "fps_per_subscription_median": _median([sub["window"]["received"] / hold for sub in subscriptions])
            if hold
            else None,
            "per_subscription": [
                {"to": peer["id"], "from_feed": sub["feed"], **sub["window"]}
                for peer in peers
                for sub in peer["subscriptions"]
            ],
        },
        "janus_cpu": {
            "run_seconds": round(wall_total, 1),
            "run_cpu_s": round(cpu_total, 2),
            "run_pct_of_one_core": round(100 * cpu_total / wall_total, 1) if wall_total else None,
            "hold_cpu_s": round(cpu_hold, 2),
            "hold_pct_of_one_core": round(100 * cpu_hold / hold, 1) if hold else None,
        },
    }


def _median(values):
    return round(statistics.median(values), 1) if values else None


# --- the peers (plain asyncio + aiortc; no Django) --------------------------------------------


class Janus:
    """One Janus session as janus-gateway keeps it: one long poll, events routed by handle."""

    def __init__(self, http, url: str, token: str):
        self.http, self.url, self.token = http, url.rstrip("/"), token
        self.queues: dict[int, asyncio.Queue] = {}
        self.poller = None

    async def call(self, path: str, payload: dict) -> dict:
        body = {**payload, "transaction": secrets.token_hex(6), "token": self.token}
        async with self.http.post(f"{self.url}{path}", json=body) as response:
            answer = await response.json(content_type=None)
        if answer.get("janus") == "error":
            raise RuntimeError(f"janus: {answer['error']}")
        return answer

    async def open(self) -> None:
        self.session = (await self.call("", {"janus": "create"}))["data"]["id"]
        self.poller = asyncio.create_task(self._poll())

    async def attach(self) -> int:
        handle = await self.call(f"/{self.session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"})
        handle = handle["data"]["id"]
        self.queues[handle] = asyncio.Queue()
        return handle

    async def _poll(self) -> None:
        while True:
            try:
                url = f"{self.url}/{self.session}?maxev=10&token={self.token}"
                async with self.http.get(url) as response:
                    answer = await response.json(content_type=None)
            except (TimeoutError, OSError, ValueError):
                await asyncio.sleep(0.2)
                continue
            for event in answer if isinstance(answer, list) else [answer]:
                queue = self.queues.get(event.get("sender"))
                if queue is not None and event.get("janus") == "event":
                    queue.put_nowait(event)

    async def send(self, handle: int, body: dict, jsep: dict | None = None) -> None:
        payload = {"janus": "message", "body": body}
        if jsep is not None:
            payload["jsep"] = jsep
        answer = await self.call(f"/{self.session}/{handle}", payload)
        if answer.get("janus") == "success":  # a synchronous answer: queue it like an event
            self.queues[handle].put_nowait({"plugindata": answer.get("plugindata", {})})

    async def close(self) -> None:
        if self.poller is not None:
            self.poller.cancel()
        try:
            await self.call(f"/{self.session}", {"janus": "destroy"})
        except (TimeoutError, OSError, RuntimeError):
            pass


def make_track(width: int, height: int, fps: int, shade: int, picture: str):
    """A camera of ``width`` x ``height`` at ``fps``: a bar that moves ("bar": next to nothing to
    send), or random pixels ("noise": the encoder sends all the bitrate Janus allows, the worst case
    for the SFU). pts counts frames in the RTP clock, so a receiver can tell which frames are missing."""
    import fractions

    from aiortc import VideoStreamTrack
    from av import VideoFrame

    chroma = bytes([128]) * (width // 2) * (height // 2)
    lumas = []
    for step in range(20):
        column = step * width // 20
        row = (bytes([shade]) * column + bytes([235]) * (width // 10) + bytes([shade]) * width)[:width]
        lumas.append(row * height if picture == "bar" else os.urandom(width * height))

    class Camera(VideoStreamTrack):
        def __init__(self):
            super().__init__()
            self.index = 0
            self.began = None

        async def recv(self):
            if self.began is None:
                self.began = time.monotonic()
            wait = self.began + self.index / fps - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            frame = VideoFrame(width, height, "yuv420p")
            frame.planes[0].update(lumas[self.index % len(lumas)])
            frame.planes[1].update(chroma)
            frame.planes[2].update(chroma)
            frame.pts = self.index * (CLOCK // fps)
            frame.time_base = fractions.Fraction(1, CLOCK)
            self.index += 1
            return frame

    return Camera()


class Subscription:
    def __init__(self, feed: int):
        self.feed = feed
        self.first_frame_at: float | None = None
        self.frames: list[tuple[float, int]] = []  # (arrival, pts)
        self.pc = None
        self.kbps: float | None = None

    async def bytes_received(self) -> int:
        """Bytes received so far on the subscription's transport (RTP and RTCP, aiortc's statistics)."""
        if self.pc is None:
            return 0
        report = await self.pc.getStats()
        return sum(getattr(stats, "bytesReceived", 0) for stats in report.values() if stats.type == "transport")

    def window(self, start: float, end: float, step: int) -> dict:
        """Frames decoded in [start, end] against those the publisher sent in the span they cover."""
        inside = [pts for arrival, pts in self.frames if start <= arrival <= end]
        if not inside:
            expected = int((end - start) * CLOCK / step)  # nothing arrived: all of it was lost
            return {"received": 0, "expected": expected, "lost": expected}
        base = inside[0]
        indices = sorted({((pts - base) % 2**32) // step for pts in inside} | {0})
        expected = indices[-1] - indices[0] + 1
        received = len(inside)
        return {"received": received, "expected": expected, "lost": expected - len(indices)}


class GroupPeer:
    def __init__(self, spec: dict, me: dict, http):
        self.spec, self.me, self.http = spec, me, http
        self.base = spec["base"]
        self.host = me["id"] == spec["host_id"]
        self.peers: dict[int, int] = {}  # feed -> person, from Hearth's frames
        self.announced: set[int] = set()  # feeds Janus announced
        self.subscriptions: dict[int, Subscription] = {}
        self.admitting: set[int] = set()
        self.join_started = None
        self.joined_at = None
        self.hello_at = None
        self.admitted_at = None
        self.errors: list[str] = []
        self.admitted = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.janus = None
        self.publisher_pc = None
        self.camera = None
        self.sent_fps: float | None = None

    # Hearth: the page, the Join request, the socket
    async def load_page(self) -> None:
        """The room page, open before the person clicks Join (its CSRF token goes with the click)."""
        self.room_url = f"{self.base}/video/{self.spec['occurrence']}/"
        async with self.http.get(self.room_url) as response:
            page = await response.text()
        if 'data-csrf="' not in page:
            raise RuntimeError(f"no room page: {response.status} {response.url}")
        self.csrf = page.split('data-csrf="', 1)[1].split('"', 1)[0]

    async def join(self) -> None:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        room = self.room_url
        self.join_started = time.monotonic()  # the Join click
        headers = {"X-CSRFToken": self.csrf, "Referer": room}
        async with self.http.post(f"{room}token/", headers=headers) as response:
            answer = await response.json()
        if "token" not in answer:
            raise RuntimeError(f"join refused: {answer}")
        socket_url = f"{self.base.replace('http', 'ws', 1)}{answer['socket']}?token={answer['token']}"
        self.ws = await self.http.ws_connect(socket_url, headers={"Origin": self.base})
        self.tasks.append(asyncio.create_task(self._socket()))
        await asyncio.wait_for(self.admitted.wait(), JOIN_TIMEOUT)
        media = self.media
        if media.get("backend") != "janus" or media.get("error"):
            raise RuntimeError(f"no Janus media from Hearth: {media}")

        self.janus = Janus(self.http, media["server"], media["token"])
        await self.janus.open()
        self.publisher = await self.janus.attach()
        self.tasks.append(asyncio.create_task(self._publisher_events()))
        self.publisher_pc = RTCPeerConnection()
        self.camera = make_track(
            self.spec["width"],
            self.spec["height"],
            self.spec["fps"],
            40 + (self.me["id"] * 37) % 150,
            self.spec["picture"],
        )
        self.publisher_pc.addTrack(self.camera)
        self.configured = asyncio.get_running_loop().create_future()
        self.joined_room = asyncio.get_running_loop().create_future()
        await self.janus.send(
            self.publisher,
            {
                "request": "join",
                "ptype": "publisher",
                "room": media["room"],
                "id": media["feed"],
                "token": media["token"],
            },
        )
        await asyncio.wait_for(self.joined_room, 20)
        await self.publisher_pc.setLocalDescription(await self.publisher_pc.createOffer())
        offer = {"type": "offer", "sdp": self.publisher_pc.localDescription.sdp}
        await self.janus.send(self.publisher, {"request": "publish"}, jsep=offer)
        jsep = await asyncio.wait_for(self.configured, 20)
        await self.publisher_pc.setRemoteDescription(RTCSessionDescription(sdp=jsep["sdp"], type=jsep["type"]))
        deadline = time.monotonic() + 20
        while self.publisher_pc.connectionState != "connected":
            if time.monotonic() > deadline:
                raise RuntimeError(f"publisher stuck in {self.publisher_pc.connectionState}")
            await asyncio.sleep(0.01)
        self.joined_at = time.monotonic()

    async def _socket(self) -> None:
        async for message in self.ws:
            frame = json.loads(message.data)
            kind = frame.get("type")
            if kind == "hello":
                self.hello_at = time.monotonic()
                if frame["state"] == "admitted":
                    self._enter(frame["peers"], frame["media"])
                if self.host:
                    await self._admit(frame.get("waiting", []))
            elif kind == "admitted":
                self._enter(frame["peers"], frame["media"])
            elif kind == "peer_joined":
                self._claim(frame["peer"])
            elif kind == "queue" and self.host:
                await self._admit(frame["waiting"])
            elif kind == "error":
                self.errors.append(f"socket: {frame.get('code')}")

    async def _admit(self, waiting: list[dict]) -> None:
        for person in waiting:
            if person["id"] not in self.admitting:
                self.admitting.add(person["id"])
                await self.ws.send_json({"type": "admit", "person": person["id"]})

    def _enter(self, peers: list[dict], media: dict) -> None:
        self.media = media
        self.admitted_at = time.monotonic()
        for peer in peers:
            self._claim(peer)
        self.admitted.set()

    def _claim(self, peer: dict) -> None:
        if peer.get("feed") is None:
            return
        self.peers[peer["feed"]] = peer["id"]
        if peer["feed"] in self.announced:
            self._subscribe(peer["feed"])

    # Janus: the publisher handle's events, the subscriptions
    async def _publisher_events(self) -> None:
        queue = self.janus.queues[self.publisher]
        while True:
            event = await queue.get()
            data = event.get("plugindata", {}).get("data", {})
            if "error" in data:
                self.errors.append(f"publisher: {data['error']}")
                for future in (self.joined_room, self.configured):
                    if not future.done():
                        future.set_exception(RuntimeError(data["error"]))
                continue
            if data.get("videoroom") == "joined" and not self.joined_room.done():
                self.joined_room.set_result(True)
            if data.get("configured") == "ok" and event.get("jsep") and not self.configured.done():
                self.configured.set_result(event["jsep"])
            for publisher in data.get("publishers", []):
                self.announced.add(publisher["id"])
                if publisher["id"] in self.peers:  # whose feed it is comes from Hearth, not Janus
                    self._subscribe(publisher["id"])

    def _subscribe(self, feed: int) -> None:
        if feed == self.media["feed"] or feed in self.subscriptions:
            return
        subscription = self.subscriptions[feed] = Subscription(feed)
        self.tasks.append(asyncio.create_task(self._subscription(subscription)))

    async def _subscription(self, subscription: Subscription) -> None:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        try:
            handle = await self.janus.attach()
            queue = self.janus.queues[handle]
            body = {
                "request": "join",
                "ptype": "subscriber",
                "room": self.media["room"],
                "streams": [{"feed": subscription.feed}],
                "token": self.media["token"],
            }
            await self.janus.send(handle, body)
            while True:
                event = await asyncio.wait_for(queue.get(), 20)
                data = event.get("plugindata", {}).get("data", {})
                if "error" in data:
                    raise RuntimeError(f"subscribe {subscription.feed}: {data['error']}")
                if event.get("jsep"):
                    break
            pc = subscription.pc = RTCPeerConnection()

            @pc.on("track")
            def on_track(track):
                self.tasks.append(asyncio.create_task(self._count(track, subscription)))

            await pc.setRemoteDescription(RTCSessionDescription(sdp=event["jsep"]["sdp"], type=event["jsep"]["type"]))
            await pc.setLocalDescription(await pc.createAnswer())
            answer = {"type": "answer", "sdp": pc.localDescription.sdp}
            await self.janus.send(handle, {"request": "start", "room": self.media["room"]}, jsep=answer)
        except Exception as exc:  # noqa: BLE001 (reported, the run goes on)
            self.errors.append(f"subscribe {subscription.feed}: {exc!r}")

    async def _count(self, track, subscription: Subscription) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:  # noqa: BLE001 (the track ended, whatever the reason)
                return
            now = time.monotonic()
            if subscription.first_frame_at is None:
                subscription.first_frame_at = now
            subscription.frames.append((now, frame.pts))

    def sees_everyone(self) -> bool:
        others = self.spec["peers"] - 1
        return len([s for s in self.subscriptions.values() if s.first_frame_at is not None]) >= others

    def result(self, hold_from: float, hold_until: float) -> dict:
        step = CLOCK // self.spec["fps"]
        return {
            "id": self.me["id"],
            "host": self.host,
            "join_started": self.join_started,
            "sent_fps": self.sent_fps,
            "join_ms": (self.joined_at - self.join_started) * 1000 if self.joined_at else None,
            "admitted_ms": (self.admitted_at - self.hello_at) * 1000
            if (self.admitted_at and self.hello_at and not self.host)
            else None,
            "subscriptions": [
                {
                    "feed": sub.feed,
                    "first_frame_ms": (sub.first_frame_at - self.join_started) * 1000 if sub.first_frame_at else None,
                    "first_frame_at": sub.first_frame_at,
                    "window": {**sub.window(hold_from, hold_until, step), "kbps": sub.kbps},
                }
                for sub in self.subscriptions.values()
            ],
        }

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        pcs = [sub.pc for sub in self.subscriptions.values() if sub.pc] + [self.publisher_pc]
        await asyncio.gather(*(pc.close() for pc in pcs if pc is not None), return_exceptions=True)
        if self.janus is not None:
            await self.janus.close()
        if getattr(self, "ws", None) is not None:
            await self.ws.close()


async def run_peers(spec: dict) -> dict:
    """One peer process: join its peers (staggered across processes), report READY once they see
    everyone, keep counting until the HOLD window closes, then print the results."""
    import aiohttp
    import aiortc  # noqa: F401 (imported before the first Join click, not during it)
    from yarl import URL

    loop = asyncio.get_running_loop()
    errors: list[str] = []
    group_peers = []
    timeout = aiohttp.ClientTimeout(total=40)
    sessions = []
    for me in spec["me"]:
        jar = aiohttp.CookieJar(unsafe=True)
        http = aiohttp.ClientSession(cookie_jar=jar, timeout=timeout)
        jar.update_cookies({me["name"]: me["value"]}, response_url=URL(spec["base"]))
        sessions.append(http)
        group_peers.append(GroupPeer(spec, me, http))
    for peer in group_peers:
        await peer.load_page()
    print("LOADED", flush=True)
    _word, start_at = (await loop.run_in_executor(None, sys.stdin.readline)).split()
    await asyncio.sleep(max(0.0, float(start_at) - time.monotonic()))

    async def one(position: int, peer: GroupPeer) -> None:
        # Arrivals a stagger apart across all processes; the host (first of process 0) first.
        order = position * spec["processes"] + spec["offset"]
        await asyncio.sleep(order * spec["stagger"])
        try:
            await peer.join()
        except Exception as exc:  # noqa: BLE001 (reported, the run goes on)
            errors.append(f"peer {peer.me['id']}: {exc!r}")

    joins = [asyncio.create_task(one(position, peer)) for position, peer in enumerate(group_peers)]
    deadline = time.monotonic() + JOIN_TIMEOUT
    while time.monotonic() < deadline and not all(peer.sees_everyone() for peer in group_peers):
        await asyncio.sleep(0.02)
    ready_at = time.monotonic()
    if not all(peer.sees_everyone() for peer in group_peers):
        errors.append("not everyone saw everyone before the timeout")
    print(f"READY {ready_at}", flush=True)
    line = await loop.run_in_executor(None, sys.stdin.readline)
    _word, hold_from, hold_until = line.split()
    subscriptions = [sub for peer in group_peers for sub in peer.subscriptions.values()]
    before, began = await asyncio.gather(*(sub.bytes_received() for sub in subscriptions)), time.monotonic()
    sent_before = [peer.camera.index if peer.camera else 0 for peer in group_peers]
    await asyncio.sleep(max(0.0, float(hold_until) - time.monotonic()))
    after, ended = await asyncio.gather(*(sub.bytes_received() for sub in subscriptions)), time.monotonic()
    for peer, sent in zip(group_peers, sent_before, strict=True):  # frames each camera gave its encoder
        peer.sent_fps = round(((peer.camera.index if peer.camera else 0) - sent) / (ended - began), 2)
    for sub, start, end in zip(subscriptions, before, after, strict=True):
        sub.kbps = round((end - start) * 8 / (ended - began) / 1000, 1)
    results = [peer.result(float(hold_from), float(hold_until)) for peer in group_peers]
    for task in joins:
        task.cancel()
    await asyncio.gather(*(peer.close() for peer in group_peers), return_exceptions=True)
    for http in sessions:
        await http.close()
    errors += [error for peer in group_peers for error in peer.errors]
    return {"peers": results, "errors": errors}


# --- driver -----------------------------------------------------------------------------------


def run_in_namespace(args) -> dict:
    if shutil.which("unshare") is None:
        return {"skipped": "unshare is missing"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "group.json"
        command = ["unshare", "-n", "--", "sh", "-c", WITH_VETH + ' && exec "$0" "$@"', sys.executable]
        command += ["-m", "bench.video_group", "--part", "group", "--out", str(out), "--var-dir", tmp]
        command += ["--peers", str(args.peers), "--fps", str(args.fps), "--hold", str(args.hold)]
        command += ["--processes", str(args.processes), "--stagger", str(args.stagger)]
        command += ["--width", str(args.width), "--height", str(args.height), "--picture", args.picture]
        command += ["--janus-bitrate", str(args.janus_bitrate)]
        timeout = 300 + args.hold + args.peers * args.stagger
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)  # noqa: S603
        if result.returncode != 0 or not out.exists():
            return {"error": (result.stdout[-3000:] + result.stderr[-3000:]).strip()}
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=int, default=12)
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--width", type=int, default=160)
    parser.add_argument("--height", type=int, default=120)
    parser.add_argument("--hold", type=float, default=20, help="seconds of counting frames once everyone sees everyone")
    parser.add_argument("--stagger", type=float, default=0.25, help="seconds between two people's Join clicks")
    parser.add_argument("--processes", type=int, default=3, help="processes the peers are spread over")
    parser.add_argument("--picture", choices=["bar", "noise"], default="bar", help="what each camera shows")
    parser.add_argument(
        "--janus-bitrate", type=int, default=256_000, help="VIDEO_JANUS_BITRATE for the run (Hearth's default; 0: none)"
    )
    parser.add_argument("--out", default="var/bench/video_group.json")
    parser.add_argument("--part", choices=["group", "peers"], help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peers < 2 or args.fps < 1 or args.hold <= 0 or args.processes < 1:
        parser.error("--peers needs at least 2, --fps and --processes at least 1, --hold more than 0")
    if args.part == "peers":
        print(json.dumps(asyncio.run(run_peers(json.loads(args.spec)))), flush=True)
        return
    if args.part == "group":
        Path(args.out).write_text(json.dumps(run_group(args)))
        return
    report = run_in_namespace(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
