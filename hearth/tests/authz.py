"""Vocabulary of the authorization matrix (test_authorization_matrix.py).

Every app lists how each of its URL names answers each persona in ``<app>/tests/access.py``
as ``ACCESS = {"url_name": Access(...)}``. The matrix test fails for any URL that no app
classifies, so a new URL cannot ship without a decision about who may reach it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PERSONAS = (
    "participant",
    "other_participant",
    "clinician",
    "other_clinician",
    "mentor",
    "family_with_consent",
    "family_without",
    "admin",
    "anonymous",
)
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")
LOGIN_REDIRECT = 302


@dataclass(frozen=True)
class Access:
    """expect: persona -> allowed status codes. kwargs/data build the URL and POST body from the World."""

    expect: dict[str, frozenset[int]]
    kwargs: Callable | None = None
    method: str = "get"
    data: Callable | None = None
    headers: dict = field(default_factory=dict)
    anonymous_to_login: bool = False


def _codes(value) -> frozenset[int]:
    return frozenset(value) if isinstance(value, set | frozenset | tuple | list) else frozenset([value])


def rule(expect: dict, **options) -> Access:
    missing = set(PERSONAS) - set(expect)
    if missing:
        raise ValueError(f"Access rule misses personas: {sorted(missing)}")
    return Access(expect={persona: _codes(code) for persona, code in expect.items()}, **options)


def everyone(status=200, **options) -> Access:
    """Public: the same answer for every persona, signed in or not."""
    return rule(dict.fromkeys(PERSONAS, status), **options)


def signed_in(status=200, **options) -> Access:
    """Any signed-in person; anonymous is sent to the login page."""
    return rule({**dict.fromkeys(SIGNED_IN, status), "anonymous": LOGIN_REDIRECT}, anonymous_to_login=True, **options)


def only(allowed: Iterable[str], ok=200, denied=403, **options) -> Access:
    """Listed personas get ``ok``; other signed-in personas ``denied``; anonymous goes to login."""
    allowed = set(allowed)
    unknown = allowed - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    expect = {p: (ok if p in allowed else denied) for p in SIGNED_IN}
    expect["anonymous"] = LOGIN_REDIRECT
    return rule(expect, anonymous_to_login=True, **options)


STAFF = ("clinician", "other_clinician", "admin")
CARE_TEAM = ("clinician", "admin")  # of the world's program
PARTICIPANTS = ("participant", "other_participant")
