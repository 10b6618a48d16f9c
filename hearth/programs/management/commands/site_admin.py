"""Grant or withdraw the installation-level right to create programs.

Creating a program is not a program admin's right: whoever creates one becomes its admin and could
then invite anyone to it. The operator of the installation decides who may, here.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

from hearth.audit.services import audit_record


class Command(BaseCommand):
    help = "Let an account create programs (--grant EMAIL), stop it (--revoke EMAIL), or list who may."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--grant", metavar="EMAIL")
        group.add_argument("--revoke", metavar="EMAIL")

    def handle(self, *args, grant=None, revoke=None, **options):
        permission = Permission.objects.get(content_type__app_label="programs", codename="add_program")
        User = get_user_model()
        if not grant and not revoke:
            for email in User.objects.filter(user_permissions=permission).values_list("email", flat=True):
                self.stdout.write(email)
            return
        email = grant or revoke
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        if grant:
            user.user_permissions.add(permission)
        else:
            user.user_permissions.remove(permission)
        audit_record(
            actor=None,
            action="programs.site_admin.granted" if grant else "programs.site_admin.revoked",
            subject=user,
            obj=user,
        )
        self.stdout.write(self.style.SUCCESS(f"{'Granted' if grant else 'Withdrew'} program creation for {email}."))
