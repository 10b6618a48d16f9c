"""Every URL pattern × every persona answers as its app's tests/access.py says.

A URL that no app classifies fails here, so nothing ships without a decision about who may
reach it. Objects a person may not know of answer 404, not 403.
"""

import importlib
import pkgutil

import pytest
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


def _classifications() -> dict[str, Access]:
    rules: dict[str, Access] = {}
    for app in pkgutil.iter_modules(hearth.__path__):
        try:
            module = importlib.import_module(f"hearth.{app.name}.tests.access")
        except ModuleNotFoundError as exc:
            if exc.name in (f"hearth.{app.name}.tests", f"hearth.{app.name}.tests.access"):
                continue
            raise
        for name, access in module.ACCESS.items():
            assert name not in rules, f"{name} is classified twice"
            rules[name] = access
    return rules


URL_NAMES = sorted(set(_url_names()))
RULES = _classifications()


def test_every_url_is_classified():
    unclassified = [name for name in URL_NAMES if name not in RULES]
    assert not unclassified, f"Classify these URLs in their app's tests/access.py: {unclassified}"


def test_no_stale_classifications():
    stale = [name for name in RULES if name not in URL_NAMES]
    assert not stale, f"These classified URL names no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", [name for name in URL_NAMES if name in RULES])
def test_access(world, client_for, url_name, persona):
    access = RULES[url_name]
    client = client_for(world.personas()[persona])
    url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
    data = access.data(world) if access.data else None
    response = getattr(client, access.method)(url, data=data, **access.headers)
    expected = access.expect[persona]
    assert response.status_code in expected, (
        f"{access.method.upper()} {url} as {persona}: got {response.status_code}, expected {sorted(expected)}"
    )
    if persona == "anonymous" and access.anonymous_to_login:
        assert "/accounts/login/" in response["Location"], f"anonymous should go to login, got {response['Location']}"
