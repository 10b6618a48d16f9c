"""Deactivate an account (the installation's operator): no more sign-in, sessions and sockets end now."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hearth.accounts.services import account_deactivate


class Command(BaseCommand):
    help = "Deactivate the account with this email: it can no longer sign in and its open sessions end."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No account uses {email}.")
        account_deactivate(actor=None, person=person)
        self.stdout.write(self.style.SUCCESS(f"Deactivated {email}; its sessions and open sockets are closed."))
