"""Chat benchmark: N websocket clients in groups of 12, M messages per second in aggregate.

    python -m bench.chat [--clients 1200] [--rate 200] [--duration 10] [--search] [--out var/bench/chat.json]

It measures end-to-end latency (send → receipt by every other member of the group), messages
lost (acknowledged but not received by a member; must be 0), duplicates, and with --search the
highest rate it sustains with zero loss (p99 under 1 s, so the server keeps up rather than
queueing). A 2-second warm-up at the main rate comes first and is reported under "warmup": a
server that has just started opens connections and prepares statements on its first messages.
Then it runs the same load against bench/floor_app.py, a minimal ASGI broadcast app with no
Django, and reports it under "floor": the ratio is our overhead.

The real stack when BENCH_CHAT_DATABASE_URL (PostgreSQL) and BENCH_CHAT_REDIS_URL are set (`make bench-chat`
sets both): the bench drops and recreates that database, seeds it, and serves production settings
from --workers uvicorn processes with the Redis hub and layer. Without them: embedded SQLite and the
in-memory layer in a temporary directory, one worker. Never the demo's or anyone's DATABASE_URL.
Figures are printed as JSON and not asserted as timings.
"""

import argparse
import asyncio
import gc
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
GROUP_SIZE = 12
SUSTAINED_P99_MS = 1000
# Chat's targets (issue 21): at the main rate, p99 within this many times the floor's p99 measured in
# the same run; at HIGH_RATE messages a second, p99 under HIGH_RATE_P99_MS.
FLOOR_RATIO_MAX = 10
HIGH_RATE = 500
HIGH_RATE_P99_MS = 50
WARMUP_SECONDS = 2
DRAIN_SECONDS = 5  # after the load stops, how long stragglers may take before they count as lost


# --- Servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app: str, env: dict, workers: int = 1) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log", "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own fixed command)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{app} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{app} did not start") from None
            time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its live children (uvicorn's workers),
    from Linux /proc; 0 elsewhere."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent pid
            total += sum(int(value) for value in fields[11:13]) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# --- Seeding (the Django side) ------------------------------------------------------------


def create_database(url: str) -> None:
    """A fresh database for every run, so figures do not drift with what earlier runs left."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        identifier = psycopg.sql.Identifier(name)
        connection.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(identifier))


def real_stack() -> bool:
    return bool(os.environ.get("BENCH_CHAT_DATABASE_URL") and os.environ.get("BENCH_CHAT_REDIS_URL"))


def setup_django(var_dir: str) -> str:
    """Settings for the seeding process and (through the environment) the server: production
    settings with throwaway secrets on the real stack, embedded settings otherwise."""
    # Always a fresh var dir: the seeding process and the server must share its generated secret
    # key (sessions are signed with it), and the demo's var/ is never touched.
    os.environ["HEARTH_VAR_DIR"] = var_dir
    if real_stack():
        from cryptography.fernet import Fernet

        os.environ["DATABASE_URL"] = os.environ["BENCH_CHAT_DATABASE_URL"]
        os.environ["REDIS_URL"] = os.environ["BENCH_CHAT_REDIS_URL"]
        create_database(os.environ["DATABASE_URL"])
        os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.config.settings.production"
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
        os.environ.setdefault("ALLOWED_HOSTS", "bench.hearth.invalid,127.0.0.1,localhost")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.config.settings.embedded"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    return connection.vendor


def seed(clients: int) -> list[dict]:
    """A program, `clients` participants in conversations of 12, a signed-in session each."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from hearth.accounts.models import User
    from hearth.messaging.models import Conversation, ConversationMember, Kind
    from hearth.programs.models import Membership, Program, Role

    tag = uuid.uuid4().hex[:8]
    program = Program.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    User.objects.bulk_create(
        [User(email=f"bench-{tag}-{i}@hearth.invalid", display_name=f"Bench {i}", password="!") for i in range(clients)]
    )
    users = list(User.objects.filter(email__startswith=f"bench-{tag}-").order_by("pk"))
    Membership.objects.bulk_create([Membership(user=u, program=program, role=Role.PARTICIPANT) for u in users])
    groups = [users[i : i + GROUP_SIZE] for i in range(0, len(users), GROUP_SIZE)]
    Conversation.objects.bulk_create(
        [Conversation(program=program, kind=Kind.COHORT, title=f"Bench {tag} {n}") for n in range(len(groups))]
    )
    conversations = list(Conversation.objects.filter(program=program).order_by("pk"))
    ConversationMember.objects.bulk_create(
        [
            ConversationMember(conversation=c, user=u)
            for c, members in zip(conversations, groups, strict=True)
            for u in members
        ]
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them in production
            cursor.execute("ANALYZE")
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    plan = []
    for conversation, members in zip(conversations, groups, strict=True):
        for user in members:
            session = store_class()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            plan.append(
                {
                    "user": user.pk,
                    "conversation": conversation.pk,
                    "members": len(members),
                    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                }
            )
    return plan


def floor_plan(clients: int) -> list[dict]:
    return [
        {
            "user": i + 1,
            "conversation": i // GROUP_SIZE + 1,
            "members": min(GROUP_SIZE, clients - (i // GROUP_SIZE) * GROUP_SIZE),
        }
        for i in range(clients)
    ]


# --- Load ---------------------------------------------------------------------------------


class Step:
    """What one load step sent and what arrived."""

    def __init__(self, name: str):
        self.name = name
        self.acked: dict[str, tuple[int, int, int]] = {}  # client_msg_id -> (conversation, seq, expected receivers)
        self.sent = 0
        self.received: Counter = Counter()  # (receiver, conversation, seq) -> times
        self.latencies_ms: list[float] = []
        self.sent_ns: dict[str, int] = {}  # client_msg_id -> when it was sent
        self.ack_ms: list[float] = []  # send -> ack, what the sender waits for
        self.errors: Counter = Counter()

    def expected(self) -> int:
        return sum(receivers for _conv, _seq, receivers in self.acked.values())


class Client:
    def __init__(self, spec: dict, url: str, headers: dict):
        self.spec = spec
        self.url = url
        self.headers = headers
        self.ws = None
        self.step: Step | None = None

    async def open(self):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.url,
            additional_headers=self.headers,
            origin="http://localhost",
            proxy=None,
            compression=None,
            open_timeout=60,
            ping_interval=None,
            max_queue=None,
        )
        hello = json.loads(await self.ws.recv())
        assert hello["type"] == "hello", hello
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        me = self.spec["user"]
        async for raw in self.ws:
            now = time.perf_counter_ns()
            frame = json.loads(raw)
            step = self.step
            if step is None:
                continue
            kind = frame.get("type")
            if kind == "message":
                if (frame.get("sender") or {}).get("id") == me:
                    continue
                name, _sep, sent_ns = frame.get("body", "").partition(":")
                if name != step.name:
                    continue  # late arrival from an earlier step
                step.received[(me, frame["conversation"], frame["seq"])] += 1
                step.latencies_ms.append((now - int(sent_ns)) / 1e6)
            elif kind == "ack":
                sent_ns = step.sent_ns.get(frame["client_msg_id"])
                if sent_ns is not None:
                    step.ack_ms.append((now - sent_ns) / 1e6)
                step.acked[frame["client_msg_id"]] = (self.spec["conversation"], frame["seq"], self.spec["members"] - 1)
            elif kind == "error":
                step.errors[frame.get("code", "?")] += 1

    async def send(self, step: Step, n: int):
        now = time.perf_counter_ns()
        frame = {
            "v": 1,
            "type": "send",
            "conversation": self.spec["conversation"],
            "client_msg_id": f"{step.name}-{n}",
            "body": f"{step.name}:{now}",
        }
        step.sent_ns[frame["client_msg_id"]] = now
        await self.ws.send(json.dumps(frame))

    async def close(self):
        self.reader.cancel()
        await self.ws.close()


async def open_all(clients: list[Client]):
    semaphore = asyncio.Semaphore(50)

    async def one(client):
        async with semaphore:
            await client.open()

    await asyncio.gather(*(one(c) for c in clients))


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


async def run_step(clients: list[Client], rate: float, duration: float, name: str, drain: float) -> dict:
    step = Step(name)
    for client in clients:
        client.step = step
    chooser = random.Random(name)  # noqa: S311 (load pattern, not security)
    start = time.perf_counter()
    n = 0
    while (elapsed := time.perf_counter() - start) < duration:
        due = int(elapsed * rate)
        while n < due:
            await chooser.choice(clients).send(step, n)
            step.sent += 1
            n += 1
        await asyncio.sleep(0.001)
    deadline = time.perf_counter() + drain
    while time.perf_counter() < deadline:
        if len(step.acked) == step.sent and sum(1 for _ in step.received) >= step.expected():
            break
        await asyncio.sleep(0.05)
    expected = step.expected() + sum(GROUP_SIZE - 1 for _ in range(step.sent - len(step.acked)))
    delivered = len(step.received)
    return {
        "rate": rate,
        "duration_s": duration,
        "sent": step.sent,
        "acked": len(step.acked),
        "delivered": delivered,
        "lost": max(expected - delivered, 0),
        "duplicates": sum(times - 1 for times in step.received.values()),
        "errors": dict(step.errors),
        "p50_ms": percentile(step.latencies_ms, 0.50),
        "p95_ms": percentile(step.latencies_ms, 0.95),
        "p99_ms": percentile(step.latencies_ms, 0.99),
        "ack_p50_ms": percentile(step.ack_ms, 0.50),
        "ack_p99_ms": percentile(step.ack_ms, 0.99),
        "achieved_rate": round(step.sent / duration, 1),
    }


async def measure(
    clients: list[Client],
    rate: float,
    duration: float,
    search: bool,
    max_rate: float,
    drain: float,
    high_rate: float = 0,
) -> dict:
    await open_all(clients)
    await asyncio.sleep(0.5)
    # The load generator's own garbage collection must not show up as server latency: what exists
    # now (the connections) is frozen, and collection waits until the measurement is over.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        # A server that has just started opens database connections, prepares statements and
        # loads caches on its first messages; the main step measures it warm, and the warm-up's
        # own figures are reported beside it.
        warmup = await run_step(clients, rate, WARMUP_SECONDS, "warmup", drain)
        main = await run_step(clients, rate, duration, "main", drain)
        main["warmup"] = {k: warmup[k] for k in ("duration_s", "sent", "lost", "p50_ms", "p99_ms")}
        if high_rate:
            high = await run_step(clients, high_rate, duration, "high", drain)
            main["high_rate"] = {
                k: high[k] for k in ("rate", "sent", "lost", "errors", "p50_ms", "p95_ms", "p99_ms", "achieved_rate")
            }
        best = rate if main["lost"] == 0 and (main["p99_ms"] or 0) < SUSTAINED_P99_MS else 0
        steps = []

        async def sustained(trial: float) -> bool:
            result = await run_step(clients, trial, max(3.0, duration / 2), f"s{len(steps)}", drain)
            steps.append({k: result[k] for k in ("rate", "lost", "p50_ms", "p99_ms", "achieved_rate")})
            return result["lost"] == 0 and (result["p99_ms"] or 0) < SUSTAINED_P99_MS and not result["errors"]

        if search:
            # Up by half until a rate fails (down by half while none holds), then halve the gap
            # between the best rate and the failed one twice.
            trial, failed = (rate * 1.5 if best else rate / 2), None
            while 1 <= trial <= max_rate:
                if await sustained(trial):
                    best = max(best, trial)
                    trial *= 1.5
                elif best:
                    failed = trial
                    break
                else:
                    trial /= 2
            for _ in range(2 if failed else 0):
                trial = round((best + failed) / 2)
                if await sustained(trial):
                    best = trial
                else:
                    failed = trial
        main["clients"] = len(clients)
        main["max_rate_zero_loss"] = round(best, 1) if search else None
        main["search"] = steps
        return main
    finally:
        gc.enable()
        gc.unfreeze()
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


# --- Main ---------------------------------------------------------------------------------


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1200)
    parser.add_argument("--rate", type=float, default=200, help="messages per second, all clients together")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load in the main run")
    parser.add_argument("--search", action="store_true", help="also find the highest zero-loss rate")
    parser.add_argument("--max-rate", type=float, default=5000)
    parser.add_argument("--workers", type=int, default=1, help="server processes (needs the BENCH_CHAT_* URLs)")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument(
        "--high-rate", type=float, default=0, help=f"also measure this rate (the target is {HIGH_RATE}); 0: skip"
    )
    parser.add_argument("--drain", type=float, default=DRAIN_SECONDS, help="seconds to wait for stragglers")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "chat.json"))
    args = parser.parse_args(argv)
    if args.workers > 1 and not real_stack():
        parser.error("--workers > 1 needs BENCH_CHAT_DATABASE_URL and BENCH_CHAT_REDIS_URL (shared database and Redis)")

    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as var_dir:
        vendor = setup_django(var_dir)
        plan = seed(args.clients)
        from django.db import connections

        connections.close_all()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env["DEBUG"] = "false"  # production-like: no query log
        process, port = start_server("hearth.config.asgi:application", env, args.workers)
        try:
            clients = [Client(spec, f"ws://127.0.0.1:{port}/ws/chat/", {"Cookie": spec["cookie"]}) for spec in plan]
            cpu_before = cpu_seconds(process.pid)
            result = asyncio.run(
                measure(clients, args.rate, args.duration, args.search, args.max_rate, args.drain, args.high_rate)
            )
            # Includes connecting the clients; a diagnostic, not a timing to assert.
            result["server_cpu_s"] = round(cpu_seconds(process.pid) - cpu_before, 2)
        finally:
            stop_server(process)
        result["stack"] = {
            "database": vendor,
            "settings": os.environ["DJANGO_SETTINGS_MODULE"].rsplit(".", 1)[-1],
            "channel_layer": "redis-pubsub" if os.environ.get("REDIS_URL") else "in-memory",
            "workers": args.workers,
        }
        if not args.no_floor:
            process, port = start_server("bench.floor_app:app", env)
            try:
                clients = [
                    Client(spec, f"ws://127.0.0.1:{port}/?group={spec['conversation']}&user={spec['user']}", {})
                    for spec in floor_plan(args.clients)
                ]
                result["floor"] = asyncio.run(
                    measure(clients, args.rate, args.duration, args.search, args.max_rate, args.drain, args.high_rate)
                )
            finally:
                stop_server(process)
    result["targets"] = targets(result)
    result["pass"] = (
        None
        if None in [t["pass"] for t in result["targets"].values()]
        else all(t["pass"] for t in result["targets"].values())
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


def targets(result: dict) -> dict:
    """Each target with its figure and pass (None when the run did not measure it: no floor, no
    high-rate step). Zero loss is part of each: a fast answer that lost messages is not a pass."""
    floor = result.get("floor") or {}
    ratio = None
    if result.get("p99_ms") is not None and floor.get("p99_ms"):
        ratio = round(result["p99_ms"] / floor["p99_ms"], 2)
    high = result.get("high_rate") or {}
    high_p99 = high.get("p99_ms")
    return {
        "p99_vs_floor": {
            "rate": result["rate"],
            "ratio": ratio,
            "max": FLOOR_RATIO_MAX,
            "pass": None if ratio is None else (ratio <= FLOOR_RATIO_MAX and result["lost"] == 0),
        },
        "p99_at_high_rate": {
            "rate": high.get("rate"),
            "p99_ms": high_p99,
            "max_ms": HIGH_RATE_P99_MS,
            "floor_p99_ms": (floor.get("high_rate") or {}).get("p99_ms"),
            "pass": None if high_p99 is None else (high_p99 <= HIGH_RATE_P99_MS and high["lost"] == 0),
        },
    }


if __name__ == "__main__":
    main()
