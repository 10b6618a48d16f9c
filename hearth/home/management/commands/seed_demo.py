"""Seed the embedded demo. Each app seeds its own part (its ``demo.py``); this command only
orders them: the people first, then what the apps below the features need, then the features.

Idempotent: each seeder skips what it already made; running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from hearth.accounts import demo as accounts_demo
from hearth.consent import demo as consent_demo
from hearth.messaging import demo as messaging_demo
from hearth.notifications import demo as notifications_demo
from hearth.safety import demo as safety_demo
from hearth.scheduling import demo as scheduling_demo
from hearth.toolkit import demo as toolkit_demo

# In dependency order: sharing before the chats that check it, sessions before attendance.
SEEDERS = [
    consent_demo.seed,
    safety_demo.seed,
    notifications_demo.seed,
    scheduling_demo.seed,
    messaging_demo.seed,
    toolkit_demo.seed,
]


class Command(BaseCommand):
    help = "Create the demo program, its people and weeks of history (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        people = accounts_demo.seed_people()
        for seed in SEEDERS:
            with transaction.atomic():
                seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("\n" + "\n".join(accounts_demo.logins()) + "\n")
