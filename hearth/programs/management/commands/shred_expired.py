import json

from django.core.management.base import BaseCommand

from hearth.programs.retention import shred_expired


class Command(BaseCommand):
    help = (
        "Remove what each program's retention settings say is past keeping (the nightly job does the same). "
        "--dry-run counts it and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed; change nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        report = shred_expired(dry_run=dry_run)
        self.stdout.write(json.dumps({"dry_run": dry_run, "programs": report}, indent=2, sort_keys=True))
