"""Print the current TOTP code of a demo staff account (embedded/demo use only)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def current_totp_code(secret: str) -> str:
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


class Command(BaseCommand):
    help = "Print the current authenticator code for a demo account (refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs in the embedded demo (DEBUG on); production never relaxes MFA.")
        authenticator = Authenticator.objects.filter(user__email__iexact=email, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        self.stdout.write(current_totp_code(decrypt(authenticator.data["secret"])))
