"""Load SLO gate: a mixed load of signed-in people on one server, with a pass/fail verdict.

    python -m bench.load [--personas 600] [--page-rate 20] [--chat-rate 100] [--duration 20]
                         [--workers 2] [--out var/bench/load.json]

Participants in groups of 12 (bench/chat.py's seed: a session each) all hold a chat socket, and
together send --chat-rate messages a second. At the same time, --page-rate times a second (open
loop: arrivals do not wait for answers) one of them, picked at random, does one of:

- ``dashboard``: GET /dashboard/
- ``calendar``: GET /calendar/
- ``messages``: GET /messages/ (their conversation list)
- ``checkin``: GET /checkin/ (the form: its CSRF token and version), then POST it; the POST is
  reported as ``checkin_submit`` and must answer with the redirect to /progress/

Every request carries the person's session cookie and ``X-Forwarded-Proto: https`` (as nginx
sends it), so production settings serve it as they would behind TLS. An error is any answer other
than the expected status (redirects are not followed: a page that sends the person to sign in is an
error), a connection failure, or a chat message lost or refused.

The gate (GATE below, or --gate-* flags): every kind's average under 100 ms, every kind's p99
under 1 s, 0 errors, and chat with 0 lost and p99 under 1 s. The JSON report (stdout and --out)
has per-kind figures, the gate, each check's outcome and ``"pass"``; the exit status is 1 when the
gate fails.

The real stack when BENCH_LOAD_DATABASE_URL (PostgreSQL: dropped and recreated each run, never a
database anything else uses) and BENCH_LOAD_REDIS_URL are set (`make bench-load` sets both):
production settings, --workers uvicorn processes, the Redis hub, layer, cache and sessions.
Without them: embedded SQLite and the in-memory layer in a temporary directory, one worker (the
smoke test's mode).
"""

import argparse
import asyncio
import gc
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import chat

ROOT = Path(__file__).resolve().parents[1]
HOST = "bench.hearth.invalid"  # in the ALLOWED_HOSTS chat.setup_django gives the server
PAGE_KINDS = {"dashboard": "/dashboard/", "calendar": "/calendar/", "messages": "/messages/"}
KIND_WEIGHTS = {"dashboard": 3, "calendar": 2, "messages": 3, "checkin": 1}
GATE = {"page_avg_ms": 100, "page_p99_ms": 1000, "errors": 0, "chat_lost": 0, "chat_p99_ms": 1000}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
DATE_INPUT = re.compile(r'name="local_date" value="([^"]+)"')


class Pages:
    """Timings and errors per kind of request."""

    def __init__(self):
        self.timings_ms: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.error_samples: list[str] = []

    def error(self, kind: str, what: str) -> None:
        self.errors[kind][what] += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(f"{kind}: {what}")

    def report(self) -> dict:
        kinds = sorted(set(self.timings_ms) | set(self.errors))
        out = {}
        for kind in kinds:
            values = self.timings_ms.get(kind, [])
            out[kind] = {
                "requests": len(values) + sum(self.errors[kind].values()),
                "errors": sum(self.errors[kind].values()),
                "error_kinds": dict(self.errors[kind]),
                "avg_ms": round(sum(values) / len(values), 2) if values else None,
                "p50_ms": chat.percentile(values, 0.50),
                "p95_ms": chat.percentile(values, 0.95),
                "p99_ms": chat.percentile(values, 0.99),
                "max_ms": round(max(values), 2) if values else None,
            }
        return out


class Visitor:
    """One signed-in person's HTTP side: their session cookie and CSRF cookie."""

    def __init__(self, spec: dict, base: str):
        self.cookie = spec["cookie"]
        self.base = base
        self.csrf_cookie: str | None = None

    def headers(self, **extra) -> dict:
        cookie = self.cookie if self.csrf_cookie is None else f"{self.cookie}; csrftoken={self.csrf_cookie}"
        return {"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": cookie, **extra}

    async def get(self, http, pages: Pages, kind: str, path: str) -> str | None:
        started = time.perf_counter()
        try:
            async with http.get(self.base + path, headers=self.headers(), allow_redirects=False) as response:
                text = await response.text()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    pages.error(kind, f"status {response.status} {response.headers.get('Location', '')}".strip())
                    return None
                if "csrftoken" in response.cookies:
                    self.csrf_cookie = response.cookies["csrftoken"].value
        except Exception as exc:  # noqa: BLE001 (every failure is counted, none stops the load)
            pages.error(kind, type(exc).__name__)
            return None
        pages.timings_ms[kind].append(elapsed)
        return text

    async def checkin(self, http, pages: Pages) -> None:
        form = await self.get(http, pages, "checkin", "/checkin/")
        if form is None:
            return
        token, version, day = CSRF_INPUT.search(form), VERSION_INPUT.search(form), DATE_INPUT.search(form)
        if not (token and version and day and self.csrf_cookie):
            pages.error("checkin_submit", "no form on /checkin/")
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "local_date": day.group(1),
            "version": version.group(1),
            "mood": str(random.randint(1, 10)),  # noqa: S311 (load pattern)
            "craving": str(random.randint(0, 10)),  # noqa: S311
            "sleep_hours": "7.5",
            "sleep_quality": "good",
            "used": "no",
            "note": "bench",
        }
        headers = self.headers(Origin=f"https://{HOST}", Referer=f"https://{HOST}/checkin/")
        started = time.perf_counter()
        try:
            post = http.post(self.base + "/checkin/", data=data, headers=headers, allow_redirects=False)
            async with post as response:
                await response.read()
                elapsed = (time.perf_counter() - started) * 1000
                location = response.headers.get("Location", "")
                if response.status != 302 or not location.endswith("/progress/"):
                    # A 409-style stale version (two check-ins of one person crossing) is an error too.
                    pages.error("checkin_submit", f"status {response.status} {location}".strip())
                    return
        except Exception as exc:  # noqa: BLE001
            pages.error("checkin_submit", type(exc).__name__)
            return
        pages.timings_ms["checkin_submit"].append(elapsed)


async def page_load(visitors: list[Visitor], rate: float, duration: float, pages: Pages, seed: str) -> int:
    """Open loop: a request (or check-in) starts every 1/rate s whether or not the last answered.
    A person has at most one request in flight (as a browser tab would); a busy person is skipped
    for another."""
    import aiohttp

    chooser = random.Random(seed)  # noqa: S311 (load pattern, not security)
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    busy: set[int] = set()
    tasks = set()
    connector = aiohttp.TCPConnector(limit=200, force_close=False)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:

        async def visit(index: int, kind: str):
            visitor = visitors[index]
            try:
                if kind == "checkin":
                    await visitor.checkin(http, pages)
                else:
                    await visitor.get(http, pages, kind, PAGE_KINDS[kind])
            finally:
                busy.discard(index)

        start = time.perf_counter()
        started = 0
        while (elapsed := time.perf_counter() - start) < duration:
            while started < int(elapsed * rate):
                index = chooser.randrange(len(visitors))
                while index in busy and len(busy) < len(visitors):
                    index = chooser.randrange(len(visitors))
                busy.add(index)
                task = asyncio.create_task(visit(index, chooser.choices(kinds, weights)[0]))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                started += 1
            await asyncio.sleep(0.002)
        if tasks:
            await asyncio.wait(tasks, timeout=60)
    return started


async def measure(plan: list[dict], port: int, args) -> dict:
    clients = [chat.Client(spec, f"ws://127.0.0.1:{port}/ws/chat/", {"Cookie": spec["cookie"]}) for spec in plan]
    visitors = [Visitor(spec, f"http://127.0.0.1:{port}") for spec in plan]
    await chat.open_all(clients)
    await asyncio.sleep(0.5)
    gc.collect()
    gc.freeze()
    gc.disable()  # the load generator's collections must not show up as server latency
    try:
        warmup_pages = Pages()
        await asyncio.gather(
            chat.run_step(clients, args.chat_rate, args.warmup, "warmup", args.drain),
            page_load(visitors, args.page_rate, args.warmup, warmup_pages, "warmup"),
        )
        pages = Pages()
        chat_result, started = await asyncio.gather(
            chat.run_step(clients, args.chat_rate, args.duration, "main", args.drain),
            page_load(visitors, args.page_rate, args.duration, pages, "main"),
        )
        warm = warmup_pages.report()
        return {
            "pages": pages.report(),
            "page_visits": started,
            "error_samples": pages.error_samples,
            "chat": chat_result,
            "warmup": {
                "duration_s": args.warmup,
                "page_errors": sum(kind["errors"] for kind in warm.values()),
                "page_p99_ms": {name: kind["p99_ms"] for name, kind in warm.items()},
            },
        }
    finally:
        gc.enable()
        gc.unfreeze()
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


def verdict(result: dict, gate: dict) -> dict:
    checks = {}
    for name, kind in result["pages"].items():
        checks[f"{name}.avg_ms"] = kind["avg_ms"] is not None and kind["avg_ms"] < gate["page_avg_ms"]
        checks[f"{name}.p99_ms"] = kind["p99_ms"] is not None and kind["p99_ms"] < gate["page_p99_ms"]
    for name in [*PAGE_KINDS, "checkin", "checkin_submit"]:
        checks.setdefault(f"{name}.avg_ms", False)  # a kind never measured is not a pass
    chat_result = result["chat"]
    chat_errors = sum(chat_result["errors"].values()) + (chat_result["sent"] - chat_result["acked"])
    errors = sum(kind["errors"] for kind in result["pages"].values()) + chat_errors
    checks["errors"] = errors <= gate["errors"]
    checks["chat.lost"] = chat_result["lost"] <= gate["chat_lost"]
    checks["chat.p99_ms"] = chat_result["p99_ms"] is not None and chat_result["p99_ms"] < gate["chat_p99_ms"]
    return {"errors": errors, "checks": checks, "failed": sorted(k for k, ok in checks.items() if not ok)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personas", type=int, default=600, help="signed-in participants (each holds a chat socket)")
    parser.add_argument("--page-rate", type=float, default=20, help="page visits per second, everyone together")
    parser.add_argument("--chat-rate", type=float, default=100, help="chat messages per second, everyone together")
    parser.add_argument("--duration", type=float, default=20, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=1, help="server processes (needs the BENCH_LOAD_* URLs)")
    parser.add_argument("--drain", type=float, default=chat.DRAIN_SECONDS, help="seconds chat stragglers may take")
    parser.add_argument("--gate-page-avg-ms", type=float, default=GATE["page_avg_ms"])
    parser.add_argument("--gate-page-p99-ms", type=float, default=GATE["page_p99_ms"])
    parser.add_argument("--gate-chat-p99-ms", type=float, default=GATE["chat_p99_ms"])
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "load.json"))
    args = parser.parse_args(argv)
    # chat.setup_django reads the BENCH_CHAT_* names; this bench has its own, so that a `make
    # bench-chat` database is never the one dropped here.
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(f"BENCH_CHAT_{name}", None)
        if os.environ.get(f"BENCH_LOAD_{name}"):
            os.environ[f"BENCH_CHAT_{name}"] = os.environ[f"BENCH_LOAD_{name}"]
    if args.workers > 1 and not chat.real_stack():
        parser.error("--workers > 1 needs BENCH_LOAD_DATABASE_URL and BENCH_LOAD_REDIS_URL")
    gate = {
        **GATE,
        "page_avg_ms": args.gate_page_avg_ms,
        "page_p99_ms": args.gate_page_p99_ms,
        "chat_p99_ms": args.gate_chat_p99_ms,
    }

    os.environ.setdefault("ALLOWED_HOSTS", f"{HOST},127.0.0.1,localhost")
    with tempfile.TemporaryDirectory(prefix="hearth-bench-load-") as var_dir:
        vendor = chat.setup_django(var_dir)
        plan = chat.seed(args.personas)
        from django.core.management import call_command
        from django.db import connections

        # Production settings serve pages through the manifest of collected static files.
        call_command("collectstatic", interactive=False, verbosity=0)

        connections.close_all()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "false"}
        process, port = chat.start_server("hearth.config.asgi:application", env, args.workers)
        try:
            cpu_before = chat.cpu_seconds(process.pid)
            result = asyncio.run(measure(plan, port, args))
            result["server_cpu_s"] = round(chat.cpu_seconds(process.pid) - cpu_before, 2)
        finally:
            chat.stop_server(process)
    result["load"] = {
        "personas": args.personas,
        "page_rate": args.page_rate,
        "chat_rate": args.chat_rate,
        "duration_s": args.duration,
        "kind_weights": KIND_WEIGHTS,
    }
    result["stack"] = {
        "database": vendor,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"].rsplit(".", 1)[-1],
        "channel_layer": "redis-pubsub" if os.environ.get("REDIS_URL") else "in-memory",
        "workers": args.workers,
    }
    result["gate"] = gate
    result["verdict"] = verdict(result, gate)
    result["pass"] = not result["verdict"]["failed"]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
