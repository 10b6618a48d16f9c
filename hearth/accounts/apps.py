from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hearth.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from hearth.core.encryption import register_rotation

        from .adapters import mfa_secrets_rotate

        register_rotation("mfa.Authenticator", mfa_secrets_rotate)

        # A new password (changed, set or reset) ends the person's other sessions, so their open
        # sockets re-check theirs at once (allauth's signals are the only hook it offers).
        from allauth.account.signals import password_changed, password_reset, password_set

        for signal in (password_changed, password_set, password_reset):
            signal.connect(_sockets_recheck_after_password, dispatch_uid=f"hearth-sockets-{id(signal)}")


def _sockets_recheck_after_password(sender, request=None, user=None, **kwargs) -> None:
    from django.db import transaction

    from hearth.core.sockets import access_changed_publish

    if user is not None:
        transaction.on_commit(lambda: access_changed_publish(user.pk))
