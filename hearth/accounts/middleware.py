import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hearth.programs.permissions import is_staff_member, needs_mfa

from .adapters import SESSION_AUTH_AT, SESSION_LAST_SEEN
from .selectors import has_second_factor

# Only refresh the "last seen" stamp this often, so most requests write no session row.
LAST_SEEN_RESOLUTION_SECONDS = 30


def idle_limit_seconds(user) -> int:
    minutes = settings.IDLE_TIMEOUT_STAFF_MINUTES if is_staff_member(user) else settings.IDLE_TIMEOUT_OTHER_MINUTES
    return minutes * 60


def session_timed_out(user, *, auth_at: float, last_seen: float, now: float) -> str | None:
    """ "absolute" past the session's lifetime, "idle" past the person's idle limit, else None.
    The one rule for pages (SessionLifetimeMiddleware) and websockets (accounts.sockets)."""
    if now - auth_at > settings.SESSION_ABSOLUTE_LIFETIME_HOURS * 3600:
        return "absolute"
    if now - last_seen > idle_limit_seconds(user):
        return "idle"
    return None


class SessionLifetimeMiddleware:
    """Signs a person out after an idle period (staff 15 min) or an absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            auth_at = session.setdefault(SESSION_AUTH_AT, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            timed_out = session_timed_out(user, auth_at=auth_at, last_seen=last_seen, now=now)
            reason = None
            if timed_out == "absolute":
                reason = _("For your privacy you were signed out after %(hours)s hours. Please sign in again.") % {
                    "hours": settings.SESSION_ABSOLUTE_LIFETIME_HOURS
                }
            elif timed_out == "idle":
                reason = _("For your privacy you were signed out after %(minutes)s minutes without activity.") % {
                    "minutes": idle_limit_seconds(user) // 60
                }
            if reason:
                logout(request)
                messages.info(request, reason)
                if request.headers.get("HX-Request"):
                    response = redirect(settings.LOGIN_URL)
                    response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                    return response
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
            if SESSION_LAST_SEEN not in session or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person sees Hearth in the language and time zone of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        previous_language = translation.get_language()
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        # Times are stored in UTC and shown in the viewer's zone.
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        try:
            response = self.get_response(request)
            response.headers["Content-Language"] = user.language
            return response
        finally:
            # Leave the thread as it was, so nothing after this request inherits the person's settings.
            translation.activate(previous_language)
            timezone.deactivate()


# Pages a person who must enrol MFA can still reach.
MFA_ENROLMENT_ALLOWED = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_add_webauthn",
    "mfa_signup_webauthn",
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "crisis",
    "healthz",
    "readyz",
}


class RequireMFAMiddleware:
    """Staff and mentors reach nothing but MFA enrolment until they have a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and needs_mfa(user) and not has_second_factor(user):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in MFA_ENROLMENT_ALLOWED and not request.path_info.startswith(settings.STATIC_URL):
                messages.info(
                    request, _("Your role needs a second sign-in step. Set up an authenticator app to continue.")
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
