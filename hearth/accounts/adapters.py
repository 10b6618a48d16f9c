from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils import timezone

from hearth.audit.services import audit_record
from hearth.core.encryption import decrypt_text, encrypt_text, rotate_token

SESSION_AUTH_AT = "hearth_auth_at"
SESSION_LAST_SEEN = "hearth_last_seen"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Hearth is invitation-only: accounts are made by accepting an invitation (accounts.views).
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        now = timezone.now().timestamp()
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_LAST_SEEN] = now
        audit_record(actor=user, action="accounts.session.signed_in", subject=user)

    def logout(self, request) -> None:
        user = request.user
        if user.is_authenticated:
            audit_record(actor=user, action="accounts.session.signed_out", subject=user)
        super().logout(request)


# The keys inside ``mfa.Authenticator.data`` that allauth passes through the adapter's hooks.
MFA_SECRET_KEYS = ("secret", "seed", "migrated_codes")


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored as Fernet tokens under FIELD_ENCRYPTION_KEYS
    (allauth's default stores them in the clear); ``rotate_encryption_keys`` re-encrypts them."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)


def mfa_secrets_rotate() -> int:
    """Re-encrypt every stored MFA secret with the newest key (``rotate_encryption_keys``)."""
    from allauth.mfa.models import Authenticator

    count = 0
    for authenticator in Authenticator.objects.select_for_update().only("pk", "data").order_by("pk"):
        data = dict(authenticator.data or {})
        present = [key for key in MFA_SECRET_KEYS if data.get(key)]
        for key in present:
            value = data[key]
            data[key] = [rotate_token(v) for v in value] if isinstance(value, list) else rotate_token(value)
        if present:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count
