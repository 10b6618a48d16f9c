"""Video join benchmark: time from the Join click to the first remote video frame.

    python -m bench.video_join [--joins 10] [--out var/bench/video_join.json]

mesh: Debian's Chromium (fake camera) against uvicorn, both inside a loopback-only network
namespace. One person is in the call; another clicks Join again and again in fresh browser
contexts; the page records the click and the first decoded remote frame
(requestVideoFrameCallback). A social event, so nobody has to admit them.

janus: the same with Debian's Janus as SFU (the page's janus-gateway client), Janus, uvicorn and
Chromium inside a namespace with a veth pair (Janus does not use loopback for media).

Prints JSON and writes it to --out: {"mesh": {"median_ms", "p95_ms", "joins"}, "janus": {...}}.
Figures are not asserted as timings anywhere.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK_ONLY = "ip link set lo up"
WITH_VETH = (
    "ip link set lo up && ip link add v0 type veth peer name v1 && "
    "ip addr add 10.77.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up"
)


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))] if ordered else None
    return {
        "median_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(p95, 1) if p95 is not None else None,
        "joins": len(ordered),
        "samples_ms": [round(s, 1) for s in samples],
    }


# --- Django side (inside the namespace) -------------------------------------------------------


def setup_django(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.config.settings.embedded"
    os.environ["HEARTH_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed(kind: str):
    """A program, a cohort of two, an open session of ``kind`` hosted by a clinician; sessions."""
    import datetime
    import uuid
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from hearth.accounts.models import User
    from hearth.programs.models import Cohort, Membership, Program, Role
    from hearth.scheduling.models import Occurrence

    tag = uuid.uuid4().hex[:8]
    program = Program.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    cohort = Cohort.objects.create(program=program, name="Bench cohort")
    host = User.objects.create(email=f"host-{tag}@hearth.invalid", display_name="Host", password="!")
    Membership.objects.create(user=host, program=program, role=Role.CLINICIAN)
    people = []
    for name in ("Resident", "Joiner"):
        user = User.objects.create(email=f"{name.lower()}-{tag}@hearth.invalid", display_name=name, password="!")
        Membership.objects.create(user=user, program=program, role=Role.PARTICIPANT, cohort=cohort)
        people.append(user)
    start = timezone.now() - datetime.timedelta(minutes=5)
    occurrence = Occurrence.objects.create(
        program=program,
        kind=kind,
        title="Bench session",
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
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session.session_key})
    return occurrence, host, people, cookies


# --- browsers ---------------------------------------------------------------------------------


def run_browsers(joins: int, var_dir: str, *, janus=None) -> list[float]:
    """One person stays in the call; another joins again and again in fresh browser contexts."""
    from bench.chat import start_server, stop_server
    from hearth.scheduling.models import SessionKind
    from hearth.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from hearth.video.tests.test_browser import VIDEO_ARGS

    occurrence, _host, _people, cookies = seed(SessionKind.GAME_NIGHT)
    env = {**os.environ}
    if janus is not None:
        env.update(
            VIDEO_BACKEND="janus",
            VIDEO_JANUS_URL=janus.url,
            VIDEO_JANUS_ADMIN_URL=janus.admin_url,
            VIDEO_JANUS_ADMIN_SECRET=janus.admin_secret,
            VIDEO_JANUS_ADMIN_KEY=janus.admin_key,
            VIDEO_JANUS_PUBLIC_URL=janus.url,  # its own origin here; nginx serves it on the site's
        )
    server, port = start_server("hearth.config.asgi:application", env)
    base = f"http://127.0.0.1:{port}"
    room = f"{base}/video/{occurrence.pk}/"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    samples = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *VIDEO_ARGS], headless=True
            )
            resident = browser.new_context()
            resident.add_cookies([{**cookies[0], "url": base}])
            page = resident.new_page()
            page.goto(room)
            page.get_by_role("button", name="Join the session").click()
            page.locator("[data-video-call]").wait_for(state="visible")
            page.wait_for_timeout(500)
            for _ in range(joins):
                context = browser.new_context()
                context.add_cookies([{**cookies[1], "url": base}])
                joiner = context.new_page()
                joiner.goto(room)
                joiner.get_by_role("button", name="Join the session").click()
                joiner.wait_for_function("() => window.hearthVideo.firstRemoteFrameAt !== null", timeout=30_000)
                samples.append(
                    joiner.evaluate("() => window.hearthVideo.firstRemoteFrameAt - window.hearthVideo.joinClickedAt")
                )
                joiner.get_by_role("button", name="Leave").click()
                context.close()
                page.wait_for_timeout(300)
            browser.close()
    finally:
        stop_server(server)
    return samples


def run_mesh(joins: int, var_dir: str) -> list[float]:
    setup_django(var_dir)
    return run_browsers(joins, var_dir)


def run_janus(joins: int, var_dir: str) -> list[float]:
    setup_django(var_dir)
    from hearth.video.tests.janus_server import running_janus

    with tempfile.TemporaryDirectory() as folder, running_janus(Path(folder)) as (_client, janus):
        return run_browsers(joins, var_dir, janus=janus)


# --- driver -----------------------------------------------------------------------------------


def run_part(part: str, joins: int) -> dict:
    """Run one part in its own network namespace (a subprocess of this module)."""
    setup = LOOPBACK_ONLY if part == "mesh" else WITH_VETH
    if shutil.which("unshare") is None:
        return {"skipped": "unshare is missing"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "part.json"
        command = ["unshare", "-n", "--", "sh", "-c", setup + ' && exec "$0" "$@"', sys.executable]
        command += ["-m", "bench.video_join", "--part", part, "--joins", str(joins), "--out", str(out)]
        command += ["--var-dir", tmp]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)  # noqa: S603
        if result.returncode != 0 or not out.exists():
            return {"error": (result.stdout[-2000:] + result.stderr[-2000:]).strip()}
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--joins", type=int, default=10)
    parser.add_argument("--out", default="var/bench/video_join.json")
    parser.add_argument("--part", choices=["mesh", "janus"], help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["mesh", "janus"], help="run one side only")
    args = parser.parse_args()
    if args.part:
        runner = run_mesh if args.part == "mesh" else run_janus
        samples = runner(args.joins, args.var_dir)
        Path(args.out).write_text(json.dumps(summary(samples)))
        return
    report = {}
    for part in ("mesh", "janus"):
        if args.only and part != args.only:
            continue
        report[part] = run_part(part, args.joins)
    report["client"] = "chromium (fake camera), Join click to first decoded remote frame"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
