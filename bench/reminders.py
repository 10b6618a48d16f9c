"""Reminder benchmark: N due reminders drained by one, then by two consumer processes.

    python -m bench.reminders [--reminders 10000] [--people 500] [--out var/bench/reminders.json]

Each consumer process runs ``reminders_send_due`` (what the every-minute Huey job runs) until
nothing is due. Every reminder must become exactly one notification: ``duplicates`` counts
notifications beyond one per reminder (must be 0), ``unsent`` reminders left behind (must be 0).
Delivery jobs are queued into the Huey store (SQLite here) but not run: the figure is the
reminder path itself.

Without BENCH_DATABASE_URL it runs on embedded SQLite in a temporary directory (two consumers
then take turns at the single writer lock); with BENCH_DATABASE_URL (a scratch PostgreSQL
database, emptied first) the consumers run side by side with SELECT … FOR UPDATE SKIP LOCKED.
Figures are printed as JSON and not asserted as timings. Only loopback or local files are used.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_KIND = "system.welcome"  # a plain kind: no source object to check, nothing rescheduled


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(reminders: int, people: int) -> None:
    _django()
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from hearth.accounts.models import User
    from hearth.notifications.models import Delivery, Notification, Reminder

    with transaction.atomic():
        Reminder.objects.all().delete()
        Delivery.objects.all().delete()
        Notification.objects.all().delete()
        existing = User.objects.filter(email__endswith="@bench.invalid").count()
        User.objects.bulk_create(
            User(email=f"bench{i}@bench.invalid", display_name=f"Bench {i}", password="!")
            for i in range(existing, people)
        )
        users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk")[:people])
        user_type = ContentType.objects.get_for_model(User)
        due = timezone.now() - datetime.timedelta(minutes=1)
        Reminder.objects.bulk_create(
            (
                Reminder(
                    person=users[i % len(users)],
                    kind=BENCH_KIND,
                    due_at=due,
                    source_type=user_type,
                    source_id=users[i % len(users)].pk,
                    slot=f"bench-{i}",
                )
                for i in range(reminders)
            ),
            batch_size=1000,
        )


def drain() -> None:
    _django()
    from hearth.notifications.reminders import reminders_send_due

    print(reminders_send_due(batch=100))


def count() -> None:
    _django()
    from django.db.models import Count

    from hearth.notifications.models import Notification, Reminder

    reminders = Reminder.objects.count()
    notifications = Notification.objects.filter(kind=BENCH_KIND).count()
    linked = Reminder.objects.filter(notification__isnull=False).count()
    per_reminder = Reminder.objects.filter(sent_at__isnull=False).aggregate(n=Count("pk"))["n"]
    print(
        json.dumps(
            {
                "reminders": reminders,
                "sent": per_reminder,
                "unsent": reminders - per_reminder,
                "notifications": notifications,
                "duplicates": max(notifications - linked, 0),
            }
        )
    )


def _env(var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        HEARTH_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="hearth.config.settings.embedded",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    return env


def _run(env: dict, *args: str) -> str:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def run(reminders: int, people: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-reminders-") as var_dir:
        env = _env(var_dir)
        manage = [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
        database = "postgresql" if "DATABASE_URL" in env else "sqlite"
        report = {"reminders": reminders, "people": people, "database": database}
        duplicates = unsent = 0
        for consumers in (1, 2):
            _run(env, "--seed", "--reminders", str(reminders), "--people", str(people))
            command = [sys.executable, str(Path(__file__).resolve()), "--drain"]
            started = time.perf_counter()
            processes = [
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
                for _ in range(consumers)
            ]
            sent_by = [int(p.communicate()[0].strip() or 0) for p in processes]
            elapsed = time.perf_counter() - started
            if any(p.returncode for p in processes):
                raise SystemExit("a consumer failed")
            counts = json.loads(_run(env, "--count"))
            report[f"seconds_{consumers}_consumer{'s' if consumers > 1 else ''}"] = round(elapsed, 3)
            report[f"sent_by_{consumers}_consumers"] = sent_by
            duplicates += counts["duplicates"] + max(sum(sent_by) - reminders, 0)
            unsent += counts["unsent"]
        report["duplicates"] = duplicates
        report["unsent"] = unsent
        return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed(args.reminders, args.people)
    if args.drain:
        return drain()
    if args.count:
        return count()
    report = run(args.reminders, args.people)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
