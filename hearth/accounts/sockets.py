"""The session rules of the web pages, applied to long-lived websockets (chat, video, badge).

A socket outlives the request that opened it, so it re-reads the session: signing out elsewhere,
the idle timeout (staff 15 minutes) and the absolute lifetime close it, and a role that needs a
second factor gets no socket without one. Only what the person does (send, edit, delete, react)
counts as activity; frames a page sends by itself (read, resume) do not.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from hearth.programs.permissions import needs_mfa

from .adapters import SESSION_AUTH_AT, SESSION_LAST_SEEN
from .middleware import LAST_SEEN_RESOLUTION_SECONDS, session_timed_out
from .selectors import has_second_factor


def check_seconds() -> int:
    return getattr(settings, "SOCKET_SESSION_CHECK_SECONDS", 30)


def session_still_valid(*, user, session_key: str | None, activity: bool = False) -> bool:
    """True while the socket's session is signed in as ``user`` and within its time limits.
    With ``activity`` the session's last-seen stamp moves forward, as a page request would."""
    if not session_key or not user.is_authenticated or not user.is_active:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    data = store.load()  # {} when the session is gone or expired
    if data.get(SESSION_KEY) != str(user.pk) or data.get(HASH_SESSION_KEY) != user.get_session_auth_hash():
        return False
    if needs_mfa(user) and not has_second_factor(user):
        return False
    now = timezone.now().timestamp()
    auth_at = data.get(SESSION_AUTH_AT, now)
    last_seen = data.get(SESSION_LAST_SEEN, now)
    if session_timed_out(user, auth_at=auth_at, last_seen=last_seen, now=now):
        return False
    if activity and now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        store[SESSION_LAST_SEEN] = now
        store.save()
    return True


def session_recheck(*, user, session_key: str | None) -> bool:
    """``session_still_valid`` against the person as stored now: a socket holds the user it
    connected with, and a password changed or an account deactivated since must count."""
    user.refresh_from_db(fields=["password", "is_active"])
    return session_still_valid(user=user, session_key=session_key)
