"""Fault injection under chat load: nothing lost, nothing doubled, and how long until everyone is back.

    python -m bench.faults [--clients 1200] [--rate 200] [--workers 2] [--faults redis_restart,...]
                           [--out var/bench/faults.json]

The production stack of bench/chat (production settings, PostgreSQL, the Redis hub and layer,
--workers uvicorn processes), but on a PRIVATE Redis (redis-server on a free port, no persistence)
and a PRIVATE PostgreSQL cluster (initdb into a temporary directory, run as the ``postgres`` OS
user, free port, socket in the temporary directory), both stopped and removed at the end, even on
error. The shared services on 5432/6379 are never touched.

While the clients chat at --rate messages a second, each run phase injects one fault:

- ``redis_restart``: the private redis-server is stopped and started again (empty, as after a crash);
- ``worker_restart``: one uvicorn worker is killed (SIGKILL); uvicorn's supervisor starts another;
- ``postgres_restart``: the private cluster is restarted (``pg_ctl restart -m fast``).

The clients behave as hearth/static/js/chat.js does: a send stays pending until its ack and is
resent with the same client_msg_id on every ``hello``; ``rate_limited`` / ``internal_error`` are
retried after 3 s; a closed socket reconnects after 1 s, doubling to 30 s (reset on open), each
wait spread by ±50 % so a server's sockets do not all come back in the same instant; on
``hello`` it resumes from the highest seq below which it holds everything, and so it does when a
live message beyond a gap leaves the gap open for 2 s; a message frame for a seq it holds is dropped.

Per fault: ``sent`` (messages typed), ``lost`` (messages some other member of the group does not hold
once the phase has drained; must be 0), ``duplicates`` (one client_msg_id shown under two seqs to a
member; must be 0), ``redelivered`` (frames for a seq the member already held, which the page
drops: live and resumed copies overlapping), ``resume_s`` (from the fault until every client has
reconnected, if it was cut off, and received a live message sent after that), and p50/p99 of
send → first receipt, over the phase and split into before / during (sent before every client was
back) / after the fault. Figures are printed as JSON and not asserted as timings.
"""

import argparse
import asyncio
import contextlib
import gc
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

from websockets.exceptions import ConnectionClosed, WebSocketException

from bench.chat import ROOT, free_port, percentile, seed, setup_django, start_server, stop_server

FAULTS = ("redis_restart", "worker_restart", "postgres_restart")
RECONNECT_FIRST_S = 1.0  # chat.js: delay = 1000, doubled on every failed attempt, reset on open
RECONNECT_MAX_S = 30.0
GAP_WAIT_S = 2.0  # chat.js: a gap in live seqs still open after 2 s is resumed
RETRY_AFTER_ERROR_S = 3.0  # chat.js: rate_limited / internal_error are tried again after 3 s
RETRIED_CODES = {"rate_limited", "internal_error"}


# --- Private services -----------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own on a free loopback port, no persistence (a restart starts empty)."""

    def __init__(self, root: Path):
        self.dir = root / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
        command += ["--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 (fixed command)
        _wait_for_port(self.port, self.process, "redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class PrivatePostgres:
    """A PostgreSQL cluster of our own: initdb into a temporary directory as the ``postgres`` OS
    user (the server refuses to run as root), a free loopback port, the socket in the directory."""

    def __init__(self, root: Path, durable: bool = True):
        self.durable = durable
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        if not binaries:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(binaries[-1]).parent
        self.dir = root / "postgres"
        self.dir.mkdir()
        self.data = self.dir / "data"
        self.sockets = self.dir / "sockets"
        self.sockets.mkdir()
        self.port = free_port()
        self.started = False
        # The postgres user must be able to reach and own its directory.
        os.chmod(root, 0o755)  # noqa: S103 (a temporary directory the postgres user must traverse)
        shutil.chown(self.dir, "postgres", "postgres")
        shutil.chown(self.sockets, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/hearth_bench_faults"

    def _as_postgres(self, *command: str, timeout: float = 120) -> None:
        subprocess.run(  # noqa: S603 (fixed command)
            [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--", *command],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def init(self) -> None:
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c max_connections=200"
        if not self.durable:  # the smoke test: migrations in seconds; a fast shutdown still flushes
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        (self.dir / "options").write_text(options)
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )
        self.started = True

    def restart(self) -> None:
        options = (self.dir / "options").read_text()
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        if self.started:
            try:
                self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except subprocess.SubprocessError:
                pass
            self.started = False


def _wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    import socket

    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start") from None
            time.sleep(0.05)


def worker_pids(server_pid: int) -> list[int]:
    """uvicorn's worker processes: the children of its supervisor started by multiprocessing's
    spawn (not its resource tracker), from Linux /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[1] == str(server_pid) and fields[0] != "Z" and b"spawn_main" in command:
            pids.append(int(stat.parent.name))
    return sorted(pids)


# --- The page's client ----------------------------------------------------------------------


def now_ns() -> int:
    return time.perf_counter_ns()


class Phase:
    """What one phase sent and what every member came to hold."""

    def __init__(self, name: str):
        self.name = name
        self.sent: dict[str, tuple[int, int, int]] = {}  # client_msg_id -> (conversation, sender, sent_ns)
        self.acked: dict[str, int] = {}  # client_msg_id -> seq
        self.first_seen_ns: dict[tuple[int, str], int] = {}  # (receiver, client_msg_id) -> first held
        self.errors: Counter = Counter()
        self.fault_ns: int | None = None


class PageClient:
    """One person's chat page (hearth/static/js/chat.js), reconnecting and resending as it does."""

    def __init__(self, spec: dict, url: str):
        self.spec = spec
        self.me = spec["user"]
        self.conversation = spec["conversation"]
        self.url = url
        self.headers = {"Cookie": spec["cookie"]}
        self.ws = None
        self.phase: Phase | None = None
        self.pending: dict[str, str] = {}  # client_msg_id -> body, until acknowledged
        self.held: dict[int, str] = {}  # seq -> client_msg_id: what the page shows
        self.shown_ids: dict[str, int] = {}  # client_msg_id -> seq, to see one message shown twice
        self.last_seq = 0
        self.resuming = False  # a resume is on its way: a gap seen meanwhile asks for nothing more
        self.gap_check: asyncio.TimerHandle | None = None
        self.duplicates: Counter = Counter()  # phase -> client_msg_ids shown under a second seq
        self.redelivered: Counter = Counter()  # phase -> frames for a seq already held
        self.delay = RECONNECT_FIRST_S
        self.closes: list[int] = []  # when the socket closed (ns)
        self.live: list[tuple[int, int]] = []  # (received_ns, sent_ns) of live message frames
        self.connections = 0
        self.running = True
        self.connected = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.sending: set[asyncio.Task] = set()
        self.jitter = random.Random(self.me)  # noqa: S311 (reconnect spread, not security)

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def run(self) -> None:
        from websockets.asyncio.client import connect

        while self.running:
            try:
                async with connect(
                    self.url,
                    additional_headers=self.headers,
                    origin="http://localhost",
                    proxy=None,
                    compression=None,
                    open_timeout=60,
                    ping_interval=None,
                    max_queue=None,
                ) as ws:
                    self.ws = ws
                    self.delay = RECONNECT_FIRST_S  # chat.js: reset on "open"
                    self.connections += 1
                    async for raw in ws:
                        self.handle(json.loads(raw))
                    code = ws.close_code
            except asyncio.CancelledError:
                raise
            except (OSError, TimeoutError, WebSocketException):  # refused, reset, handshake failed: chat.js
                code = None  # sees a "close" for each
            self.ws = None
            self.connected.clear()
            if not self.running:
                return
            self.closes.append(now_ns())
            if code == 4401:  # signed out: the page stops
                return
            await asyncio.sleep(self.delay * self.jitter.uniform(0.5, 1.5))
            self.delay = min(self.delay * 2, RECONNECT_MAX_S)

    def send_frame(self, frame: dict) -> bool:
        ws = self.ws
        if ws is None or not self.connected.is_set():
            return False
        task = asyncio.ensure_future(self._send_text(ws, json.dumps(frame)))
        self.sending.add(task)
        task.add_done_callback(self.sending.discard)
        return True

    async def _send_text(self, ws, text: str) -> None:
        with contextlib.suppress(ConnectionClosed):  # closed meanwhile: the run loop reconnects, resends
            await ws.send(text)

    def send_message(self, client_msg_id: str, body: str) -> bool:
        frame = {"v": 1, "type": "send", "id": client_msg_id, "conversation": self.conversation}
        return self.send_frame({**frame, "client_msg_id": client_msg_id, "body": body})

    def type_message(self, phase: Phase, n: int) -> None:
        """The person presses Enter: pending until acknowledged, sent now if the socket is open."""
        sent_ns = now_ns()
        client_msg_id = f"{phase.name}-{n}"
        body = f"{phase.name}:{sent_ns}"
        phase.sent[client_msg_id] = (self.conversation, self.me, sent_ns)
        self.pending[client_msg_id] = body
        self.send_message(client_msg_id, body)

    def resume(self) -> None:
        if self.send_frame({"v": 1, "type": "resume", "conversation": self.conversation, "after_seq": self.last_seq}):
            self.resuming = True

    def check_gap(self, seen: int) -> None:
        self.gap_check = None
        if self.last_seq < seen and not self.resuming:
            self.resume()

    def hold(self, frame: dict, *, live: bool) -> None:
        received_ns = now_ns()
        seq = frame["seq"]
        client_msg_id = frame.get("client_msg_id") or ""
        phase_name = client_msg_id.rpartition("-")[0]
        if seq in self.held:
            self.redelivered[phase_name] += 1
            return
        self.held[seq] = client_msg_id
        # chat.js: last_seq is the highest seq below which the page holds everything; a live
        # frame beyond a gap (one the hub never pushed) makes it resume from there.
        while self.last_seq + 1 in self.held:
            self.last_seq += 1
        if live and seq > self.last_seq and self.gap_check is None:
            # Frames of one conversation may pass each other (committed in order, published from
            # parallel threads): only a gap still open after GAP_WAIT_S is missing.
            self.gap_check = asyncio.get_running_loop().call_later(GAP_WAIT_S, self.check_gap, seq)
        if (frame.get("sender") or {}).get("id") == self.me:
            return
        if client_msg_id in self.shown_ids:
            self.duplicates[phase_name] += 1
            return
        self.shown_ids[client_msg_id] = seq
        phase = self.phase
        if phase is not None and phase_name == phase.name:
            phase.first_seen_ns.setdefault((self.me, client_msg_id), received_ns)
        if live:
            _name, _sep, sent_ns = frame.get("body", "").partition(":")
            if sent_ns.isdigit():
                self.live.append((received_ns, int(sent_ns)))

    def handle(self, frame: dict) -> None:
        kind = frame.get("type")
        phase = self.phase
        if kind == "hello":
            self.connected.set()
            self.resuming = False
            self.resume()
            for client_msg_id, body in list(self.pending.items()):
                self.send_message(client_msg_id, body)
        elif kind == "resync":
            self.resuming = False  # chat.js: the hub may have missed frames; resume on this socket
            self.resume()
        elif kind == "resume":
            if frame.get("conversation") != self.conversation:
                return
            self.resuming = False
            for message in frame.get("messages", []):
                self.hold(message, live=False)
            if frame.get("more"):
                self.resume()
        elif kind == "message":
            if frame.get("conversation") == self.conversation:
                self.hold(frame, live=True)
        elif kind == "ack":
            client_msg_id = frame.get("client_msg_id")
            self.pending.pop(client_msg_id, None)
            if phase is not None and client_msg_id in phase.sent:
                phase.acked[client_msg_id] = frame["seq"]
        elif kind == "error":
            code = frame.get("code", "?")
            if phase is not None:
                phase.errors[code] += 1
            ref = frame.get("ref")
            if ref is None:
                self.resuming = False  # chat.js: a refused resume (no id) is not on its way
            if ref in self.pending:
                if code in RETRIED_CODES:
                    body = self.pending[ref]
                    asyncio.get_running_loop().call_later(RETRY_AFTER_ERROR_S, self.send_message, ref, body)
                else:
                    self.pending.pop(ref)  # refused for good: the page gives the text back

    async def stop(self) -> None:
        self.running = False
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


# --- Phases ---------------------------------------------------------------------------------


class Load:
    """Messages typed at ``rate`` a second by random clients until stopped."""

    def __init__(self, clients: list[PageClient], rate: float, phase: Phase):
        self.clients, self.rate, self.phase = clients, rate, phase
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        chooser = random.Random(self.phase.name)  # noqa: S311 (load pattern, not security)
        start = time.perf_counter()
        n = 0
        while not self.stopped.is_set():
            due = int((time.perf_counter() - start) * self.rate)
            while n < due:
                chooser.choice(self.clients).type_message(self.phase, n)
                n += 1
            await asyncio.sleep(0.002)


async def inject(name: str, services: dict) -> dict:
    """Inject one fault (blocking work off the loop, so the clients keep running meanwhile)."""
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    facts: dict = {}
    if name == "redis_restart":
        await loop.run_in_executor(None, services["redis"].restart)
    elif name == "postgres_restart":
        await loop.run_in_executor(None, services["postgres"].restart)
    elif name == "worker_restart":
        server_pid = services["server"].pid
        before = worker_pids(server_pid)
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        facts["killed_pid"] = victim
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:  # uvicorn's supervisor starts a replacement
            now = worker_pids(server_pid)
            if len(now) >= len(before) and victim not in now:
                facts["replaced_after_s"] = round(time.perf_counter() - started, 2)
                break
            await asyncio.sleep(0.05)
    else:
        raise ValueError(name)
    facts["fault_s"] = round(time.perf_counter() - started, 2)
    return facts


def resumed_at_ns(client: PageClient, fault_ns: int) -> int | None:
    """When this client was back: it is connected after its last cut-off and has received a live
    message sent after both the fault and that cut-off."""
    cutoff = max([fault_ns] + [t for t in client.closes if t >= fault_ns])
    for received_ns, sent_ns in client.live:
        if sent_ns >= cutoff and received_ns >= cutoff:
            return received_ns
    return None


async def run_phase(
    clients: list[PageClient],
    groups: dict[int, list[int]],
    name: str,
    services: dict,
    rate: float,
    steady: float,
    settle: float,
    drain: float,
) -> dict:
    phase_started = time.perf_counter()
    phase = Phase(name)
    for client in clients:
        client.phase = phase
        client.live = []
        client.closes = []
    load = Load(clients, rate, phase)
    runner = asyncio.create_task(load.run())
    await asyncio.sleep(steady)
    phase.fault_ns = now_ns()
    facts = await inject(name, services)
    # Load goes on until every client is back (or 120 s), then `settle` seconds more for "after".
    deadline = time.perf_counter() + 120
    resumed = None
    while time.perf_counter() < deadline:
        stamps = [resumed_at_ns(c, phase.fault_ns) for c in clients]
        if all(s is not None for s in stamps):
            resumed = max(stamps)
            break
        await asyncio.sleep(0.25)
    await asyncio.sleep(settle)
    load.stopped.set()
    await runner
    # Drain: pending sends are resent (as the page does) until acknowledged, and every member
    # must come to hold every message.
    expected = {
        (member, client_msg_id)
        for client_msg_id, (conversation, sender, _ns) in phase.sent.items()
        for member in groups[conversation]
        if member != sender
    }
    drain_deadline = time.perf_counter() + drain
    while time.perf_counter() < drain_deadline:
        if not any(c.pending for c in clients) and expected <= phase.first_seen_ns.keys():
            break
        await asyncio.sleep(0.1)
    missing = expected - phase.first_seen_ns.keys()
    lost_messages = {client_msg_id for _member, client_msg_id in missing}
    fault_ns = phase.fault_ns
    resume_ns = resumed - fault_ns if resumed is not None else None
    back_ns = resumed if resumed is not None else now_ns()
    before, during, after, every = [], [], [], []
    for (_member, client_msg_id), seen_ns in phase.first_seen_ns.items():
        sent_ns = phase.sent[client_msg_id][2]
        latency = (seen_ns - sent_ns) / 1e6
        every.append(latency)
        (before if sent_ns < fault_ns else during if sent_ns < back_ns else after).append(latency)
    return {
        "sent": len(phase.sent),
        "acked": len(phase.acked),
        "unacked": sum(len(c.pending) for c in clients),
        "lost": len(lost_messages),
        "missing_deliveries": len(missing),
        "duplicates": sum(c.duplicates[name] for c in clients),
        "redelivered": sum(c.redelivered[name] for c in clients),
        "resume_s": round(resume_ns / 1e9, 2) if resume_ns is not None else None,
        "clients_resumed": sum(1 for c in clients if resumed_at_ns(c, fault_ns) is not None),
        "clients_cut_off": sum(1 for c in clients if c.closes),
        "errors": dict(phase.errors),
        "p50_ms": percentile(every, 0.50),
        "p99_ms": percentile(every, 0.99),
        "p99_before_ms": percentile(before, 0.99),
        "p99_during_ms": percentile(during, 0.99),
        "p99_after_ms": percentile(after, 0.99),
        "p50_after_ms": percentile(after, 0.50),
        "phase_s": round(time.perf_counter() - phase_started, 1),
        **facts,
    }


async def measure(plan: list[dict], url: str, args, services: dict) -> dict:
    groups: dict[int, list[int]] = defaultdict(list)
    for spec in plan:
        groups[spec["conversation"]].append(spec["user"])
    clients = [PageClient(spec, url) for spec in plan]
    semaphore = asyncio.Semaphore(50)

    async def open_one(client):
        async with semaphore:
            client.start()
            await asyncio.wait_for(client.connected.wait(), 120)

    await asyncio.gather(*(open_one(c) for c in clients))
    await asyncio.sleep(0.5)
    gc.collect()
    gc.freeze()
    gc.disable()  # the load generator's collections must not show up as server latency
    try:
        # A warm-up with no fault: the server opens connections and prepares statements first.
        warmup = Phase("warmup")
        for client in clients:
            client.phase = warmup
        load = Load(clients, args.rate, warmup)
        runner = asyncio.create_task(load.run())
        await asyncio.sleep(args.warmup)
        load.stopped.set()
        await runner
        await asyncio.sleep(1)
        latencies = [
            (seen_ns - warmup.sent[client_msg_id][2]) / 1e6
            for (_member, client_msg_id), seen_ns in warmup.first_seen_ns.items()
        ]
        results = {}
        results_warmup = {
            "sent": len(warmup.sent),
            "acked": len(warmup.acked),
            "p50_ms": percentile(latencies, 0.50),
            "p99_ms": percentile(latencies, 0.99),
        }
        print(json.dumps({"warmup": results_warmup}), file=sys.stderr, flush=True)
        for name in args.faults:
            results[name] = await run_phase(
                clients, groups, name, services, args.rate, args.steady, args.settle, args.drain
            )
            print(json.dumps({name: results[name]}), file=sys.stderr, flush=True)
        return {"warmup": results_warmup, "faults": results}
    finally:
        gc.enable()
        gc.unfreeze()
        await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)


# --- Main -----------------------------------------------------------------------------------


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1200)
    parser.add_argument("--rate", type=float, default=200, help="messages per second, all clients together")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated, run in this order")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before the first phase")
    parser.add_argument("--steady", type=float, default=5, help="seconds of load before each fault")
    parser.add_argument("--settle", type=float, default=5, help="seconds of load after everyone is back")
    parser.add_argument("--drain", type=float, default=60, help="seconds for resends and catch-up after the load")
    parser.add_argument(
        "--no-fsync", action="store_true", help="private cluster without fsync (smoke runs; not production-like)"
    )
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "faults.json"))
    args = parser.parse_args(argv)
    args.faults = [f for f in args.faults.split(",") if f]
    if unknown := set(args.faults) - set(FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    if args.workers < 2 and "worker_restart" in args.faults:
        parser.error("worker_restart needs --workers 2 or more (one keeps serving)")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hearth-faults-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        redis = PrivateRedis(root)
        stack.callback(redis.stop)
        redis.start()
        postgres = PrivatePostgres(root, durable=not args.no_fsync)
        stack.callback(postgres.stop)
        postgres.init()
        # bench/chat's real stack, pointed at the private services only.
        os.environ["BENCH_CHAT_DATABASE_URL"] = postgres.url
        os.environ["BENCH_CHAT_REDIS_URL"] = redis.url
        var_dir = root / "var"
        var_dir.mkdir()
        setup_django(str(var_dir))
        plan = seed(args.clients)
        from django.db import connections

        connections.close_all()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "false"}
        process, port = start_server("hearth.config.asgi:application", env, args.workers)
        stack.callback(stop_server, process)
        services = {"redis": redis, "postgres": postgres, "server": process}
        setup_s = round(time.perf_counter() - started, 1)
        # resync=1 as chat.js connects: after Redis comes back the page resumes on its socket.
        measured = asyncio.run(measure(plan, f"ws://127.0.0.1:{port}/ws/chat/?resync=1", args, services))
    result = {
        "faults": measured["faults"],
        "warmup": measured["warmup"],  # no fault: what the stack does on this machine right now
        "clients": args.clients,
        "rate": args.rate,
        "setup_s": setup_s,  # private services, migrations, seeding, server start
        "total_s": round(time.perf_counter() - started, 1),
        "stack": {
            "database": "postgresql (private cluster)",
            "settings": "production",
            "channel_layer": "redis-pubsub (private redis-server)",
            "workers": args.workers,
            "fsync": not args.no_fsync,
        },
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
