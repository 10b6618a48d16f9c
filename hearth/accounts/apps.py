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
