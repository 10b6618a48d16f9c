from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone

from hearth.audit.services import audit_record

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
