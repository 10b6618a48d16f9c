"""Seed the embedded demo. Each app seeds its own part (its ``demo.py``); this command only
orders them: the people first, then what the apps below the features need, then the features.

Idempotent: each seeder skips what it already made; running it again changes nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from hearth.accounts import demo as accounts_demo
from hearth.checkins import demo as checkins_demo
from hearth.community import demo as community_demo
from hearth.consent import demo as consent_demo
from hearth.family import demo as family_demo
from hearth.home import demo as home_demo
from hearth.intake import demo as intake_demo
from hearth.mentorship import demo as mentorship_demo
from hearth.messaging import demo as messaging_demo
from hearth.notifications import demo as notifications_demo
from hearth.outreach import demo as outreach_demo
from hearth.plans import demo as plans_demo
from hearth.practice import demo as practice_demo
from hearth.reports import demo as reports_demo
from hearth.safety import demo as safety_demo
from hearth.scheduling import demo as scheduling_demo
from hearth.toolkit import demo as toolkit_demo

# In dependency order: sharing before the chats that check it; intake (which raises Jordan's
# PHQ-9 item 9 signal) before safety's fallback; the groups before the plans that assign them
# and the attendance the rules read; check-ins, questionnaires and chats before the outreach
# rules run over them.
# Mentorship after messaging and scheduling (its demo chats and mentor meetings use them).
SEEDERS = [
    consent_demo.seed,
    intake_demo.seed,
    safety_demo.seed,
    notifications_demo.seed,
    scheduling_demo.seed,
    plans_demo.seed,
    checkins_demo.seed,
    messaging_demo.seed,
    outreach_demo.seed,
    mentorship_demo.seed,
    community_demo.seed,
    toolkit_demo.seed,
    family_demo.seed,
    practice_demo.seed,
    reports_demo.seed,
    # Last: the newcomers of today have no history for any rule to read.
    home_demo.seed,
]


class Command(BaseCommand):
    help = "Create the demo program, its people and weeks of history (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply the migrations first, in the same process (what `make run` does: one start-up, not two).",
        )

    def handle(self, *args, migrate=False, **options):
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        people = accounts_demo.seed_people()
        for seed in SEEDERS:
            with transaction.atomic():
                seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "\n" + "\n".join(accounts_demo.logins() + home_demo.logins() + community_demo.logins()) + "\n"
        )
