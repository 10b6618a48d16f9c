"""`make run`: migrate, seed the demo and serve it, all from one process.

Serving from the process that seeded saves a second start of Django (1.3 s of imports on the 2-core
machine) between the demo being ready and the first page. The Huey consumer starts beside the server,
after the seeding (the tasks the seeding queued would otherwise compete with it for the database)."""

import signal
import subprocess
import sys

import uvicorn
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Migrate, seed the demo data (idempotent) and serve the embedded Hearth with its Huey consumer."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        call_command("seed_demo", migrate=True, stdout=self.stdout)
        connections.close_all()  # the server opens its own, per thread
        # uvicorn stops on SIGINT/SIGTERM, then raises the signal again with the handler it found:
        # these make that a normal exit, so the consumer below is always stopped too.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _exit)
        consumer = subprocess.Popen([sys.executable, "-m", "django", "run_huey", "--quiet"])
        try:
            self.stdout.write(f"Hearth is at http://{host}:{port}  (Ctrl+C stops it)")
            self.stdout.flush()
            uvicorn.run("hearth.config.asgi:application", host=host, port=port, access_log=False, lifespan="off")
        finally:
            consumer.terminate()
            try:
                consumer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.kill()


def _exit(signum, frame):
    raise SystemExit(0)
