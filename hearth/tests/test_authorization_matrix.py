"""Every URL pattern × every persona answers as its app's tests/access.py says.

A URL that no app classifies fails here, so nothing ships without a decision about who may
reach it. Objects a person may not know of answer 404, not 403.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import hearth
from hearth.tests.authz import PERSONAS, Access


def _url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern {pattern.pattern} has no name; name it to classify it")
            yield namespace + pattern.name


def _access_modules():
    for app in pkgutil.iter_modules(hearth.__path__):
        try:
            yield importlib.import_module(f"hearth.{app.name}.tests.access")
        except ModuleNotFoundError as exc:
            if exc.name in (f"hearth.{app.name}.tests", f"hearth.{app.name}.tests.access"):
                continue
            raise


def _classifications(attribute: str) -> dict:
    rules: dict = {}
    for module in _access_modules():
        for name, access in getattr(module, attribute, {}).items():
            assert name not in rules, f"{name} is classified twice"
            rules[name] = access
    return rules


URL_NAMES = sorted(set(_url_names()))
RULES: dict[str, Access] = _classifications("ACCESS")


def test_every_url_is_classified():
    unclassified = [name for name in URL_NAMES if name not in RULES]
    assert not unclassified, f"Classify these URLs in their app's tests/access.py: {unclassified}"


def test_no_stale_classifications():
    stale = [name for name in RULES if name not in URL_NAMES]
    assert not stale, f"These classified URL names no longer exist: {stale}"


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the whole matrix (building it per test cost most of the matrix's time).
    It is built inside a transaction that is rolled back when the module ends; each test runs in
    a savepoint inside it and each request in a savepoint inside that. Objects the rules make on
    demand (a session, a task) are made now, so they outlive the test that first asks for them."""
    from conftest import add_review_personas, build_world

    with django_db_blocker.unblock(), transaction.atomic():
        world = add_review_personas(build_world())
        for access in RULES.values():
            if access.kwargs:
                access.kwargs(world)
            if access.data:
                access.data(world)
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", [name for name in URL_NAMES if name in RULES])
def test_access(db, shared_world, client_for, url_name, persona):
    """Each request is sent plain and as htmx sends it (``HX-Request: true``), each inside a
    savepoint rolled back after it so both meet the same state. Both answer as classified, and
    no answer holds a secret of the world the persona may not see (legal names, clinical text)."""
    world = shared_world
    access = RULES[url_name]
    client = client_for(world.personas()[persona])
    url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
    data = access.data(world) if access.data else None
    hidden = [secret for secret, allowed in world.secrets.items() if persona not in allowed]
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        savepoint = transaction.savepoint()
        try:
            response = getattr(client, access.method)(url, data=data, **access.headers, **headers)
            how = f"{access.method.upper()} {url} as {persona}{' (htmx)' if headers else ''}"
            expected = access.expect_for(persona, htmx=bool(headers))
            assert response.status_code in expected, f"{how}: got {response.status_code}, expected {sorted(expected)}"
            if persona == "anonymous" and access.anonymous_to_login:
                assert "/accounts/login/" in response["Location"], f"{how}: anonymous should go to login"
            leaked = [secret for secret in hidden if secret in _text_of(response)]
            assert not leaked, f"{how} shows what {persona} may not see: {leaked}"
        finally:
            transaction.savepoint_rollback(savepoint)


def _text_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""  # file downloads and feeds are checked by their own tests
    return response.content.decode(errors="replace")


# --- A person in two programs (#13 item 3) ------------------------------------------------------
# The care team is per program: each program's staff open the person's pages, and see there only
# what belongs to their own program (check-ins, safety signals); a signal of one program is 404 to
# the other's staff. The world's secrets say who may see each program's words.
TWO_PROGRAMS_PERSONAS = ("clinician", "admin", "other_clinician", "other_admin", "two_programs", "participant")
TWO_PROGRAMS_ROWS = {
    "checkins:person_checkins": (
        lambda w: {"person_id": w.two_programs.pk},
        {"clinician": 200, "admin": 200, "other_clinician": 200, "other_admin": 200, "two_programs": 200},
    ),
    "person_detail": (
        lambda w: {"person_id": w.two_programs.pk},
        # A staff page: people without a staff role are refused outright (403).
        {"clinician": 200, "admin": 200, "other_clinician": 200, "other_admin": 200, "*": 403},
    ),
    "signal_detail#program": (
        lambda w: {"signal_id": w.two_programs_signals[w.program.pk].pk},
        {"clinician": 200, "admin": 200},
    ),
    "signal_detail#other_program": (
        lambda w: {"signal_id": w.two_programs_signals[w.other_program.pk].pk},
        {"other_clinician": 200, "other_admin": 200},
    ),
}


@pytest.mark.parametrize("persona", TWO_PROGRAMS_PERSONAS)
@pytest.mark.parametrize("row", list(TWO_PROGRAMS_ROWS))
def test_a_person_in_two_programs(db, shared_world, client_for, row, persona):
    world = shared_world
    kwargs, expect = TWO_PROGRAMS_ROWS[row]
    url = reverse(row.split("#")[0], kwargs=kwargs(world))
    client = client_for(world.personas()[persona])
    hidden = [secret for secret, allowed in world.secrets.items() if persona not in allowed]
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        savepoint = transaction.savepoint()
        try:
            response = client.get(url, **headers)
            how = f"GET {url} as {persona}{' (htmx)' if headers else ''}"
            expected = expect.get(persona, expect.get("*", 404))
            assert response.status_code == expected, f"{how}: got {response.status_code}, expected {expected}"
            leaked = [secret for secret in hidden if secret in _text_of(response)]
            assert not leaked, f"{how} shows what {persona} may not see: {leaked}"
        finally:
            transaction.savepoint_rollback(savepoint)
