"""Vocabulary of the authorization matrix (test_authorization_matrix.py).

Every app lists how each of its URL names answers each persona in ``<app>/tests/access.py``
as ``ACCESS = {"url_name": Access(...)}``. The matrix test fails for any URL that no app
classifies, so a new URL cannot ship without a decision about who may reach it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

BASE_PERSONAS = (
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
# Personas added for the security review (issue #13). Unless an access rule names one, it answers
# like the persona it is mapped to here: people who lost access answer like people who never had it.
LIKE = {
    "other_admin": "other_clinician",  # staff of another program
    "ended_clinician": "mentor",  # a clinician of the program whose role ended: no role left
    "ended_mentor": "mentor",  # a mentor of the program whose role ended: no role left
    "family_withdrawn": "family_without",  # the participant withdrew their consent
    "family_expired": "family_without",  # the consent ran out
    "family_second_role": "family_without",  # family without consent who is also a mentor here
    "two_programs": "other_participant",  # a participant of the program and of the other one
}
PERSONAS = (*BASE_PERSONAS, *LIKE)
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
    # How the answer differs when htmx sends the request (``HX-Request: true``): plain code ->
    # codes allowed instead, e.g. {302: {200, 400}} for a form that answers htmx with a fragment.
    htmx: dict = field(default_factory=dict)

    def expect_for(self, persona: str, *, htmx: bool = False) -> frozenset[int]:
        codes = self.expect[persona]
        if not htmx or (persona == "anonymous" and self.anonymous_to_login):
            return codes  # the login redirect is the same for htmx
        return frozenset().union(*(_codes(self.htmx.get(code, code)) for code in codes))


def _codes(value) -> frozenset[int]:
    return frozenset(value) if isinstance(value, set | frozenset | tuple | list) else frozenset([value])


def rule(expect: dict, **options) -> Access:
    """``expect`` names every base persona; a new persona it does not name answers like LIKE says."""
    missing = set(BASE_PERSONAS) - set(expect)
    if missing:
        raise ValueError(f"Access rule misses personas: {sorted(missing)}")
    unknown = set(expect) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    derived = {persona: _codes(expect[like]) for persona, like in LIKE.items()}
    # An admin of another program may use admin pages (like the admin), but the world's objects
    # answer 404 (like the other program's clinician): they may not learn they exist.
    if _codes(expect["other_clinician"]) == {403} and _codes(expect["admin"]) != {403}:
        derived["other_admin"] = frozenset({404}) if options.get("kwargs") else _codes(expect["admin"])
    expect = {**derived, **expect}
    return Access(expect={persona: _codes(code) for persona, code in expect.items()}, **options)


def everyone(status=200, **options) -> Access:
    """Public: the same answer for every persona, signed in or not."""
    return rule(dict.fromkeys(PERSONAS, status), **options)


def signed_in(status=200, **options) -> Access:
    """Any signed-in person; anonymous is sent to the login page."""
    return rule({**dict.fromkeys(SIGNED_IN, status), "anonymous": LOGIN_REDIRECT}, anonymous_to_login=True, **options)


def only(allowed: Iterable[str], ok=200, denied=403, overrides: dict | None = None, **options) -> Access:
    """Listed personas get ``ok``; other signed-in personas ``denied``; anonymous goes to login.
    A new persona (LIKE) not listed answers like its model; ``overrides`` names exceptions."""
    allowed = set(allowed)
    unknown = (allowed | set(overrides or ())) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    expect = {p: (ok if p in allowed else denied) for p in SIGNED_IN if p not in LIKE or p in allowed}
    expect["anonymous"] = LOGIN_REDIRECT
    expect.update(overrides or {})
    return rule(expect, anonymous_to_login=True, **options)


STAFF = ("clinician", "other_clinician", "admin")  # other_admin follows other_clinician (LIKE)
CARE_TEAM = ("clinician", "admin")  # of the world's program
PARTICIPANTS = ("participant", "other_participant")
