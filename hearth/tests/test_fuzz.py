"""Fuzzing with Hypothesis (#21 item 2): hostile values at every POST form a signed-in participant
and a signed-in clinician are shown, at every id in every URL pattern, and in every frame type of
the chat socket. Nothing a client sends may answer 5xx, and a rejected input changes no rows.

The budget is small by default (CI); ``make fuzz`` raises it with ``HEARTH_FUZZ_EXAMPLES``. The
number of examples run per form and per frame type is written to ``var/fuzz/report.json``.
"""

import asyncio
import json
import logging
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hearth.config.asgi import application
from hearth.messaging.protocol import FRAME_TYPES
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.tests.fuzz_targets import Form, post_forms, routes
from hearth.tests.test_authorization_matrix import RULES

EXAMPLES = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "4"))
FRAME_EXAMPLES = EXAMPLES * 5
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=list(HealthCheck),
    # No shrinking: the failing request is printed whole, and shrinking a slow example costs minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
REPORT: dict = {"examples": Counter(), "server_errors": []}
# Pages a fuzzer must not submit: they end the session it fuzzes with.
SKIP_FORMS = {"account_logout"}

HOSTILE_TEXT = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "9223372036854775807",
    "9223372036854775808",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202eevil\u202c",
    "\ud7ff\ufeff\ufffd",
    "😀" * 20,
    "Ñandú ß İ ﷽",
    "2026-02-30",
    "9999-12-31T23:59",
    "25:61",
    "1:99999999999999999999",
    "a:b",
    "x" * 100_000,
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
)
HOSTILE_IDS = ["0", "-1", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "abc", "1.5", "%00"]
hostile_ids = st.one_of(
    st.sampled_from(HOSTILE_IDS), st.integers(min_value=-(2**70), max_value=2**70).map(str), st.text(max_size=12)
)


def _table_counts() -> dict[str, int]:
    """Rows in every table of the product's apps (not the audit log: a refused request may be audited)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("hearth.") and model._meta.label != "audit.AuditEntry"
    }


def _rejected(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    return response.status_code == 200 and b"errorlist" in response.content


def _check(response, what: str, before: dict | None) -> None:
    if response.status_code >= 500:
        REPORT["server_errors"].append(what)
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if before is not None and _rejected(response):
        assert _table_counts() == before, f"{what} was rejected ({response.status_code}) but changed rows"


def _forms_for(world, client) -> list[Form]:
    """Every distinct POST form on every page this person can open (one per action and field set)."""
    forms: dict[str, Form] = {}
    for route in routes():
        access = RULES.get(route.name)
        if access is None or access.method != "get":
            continue
        url = reverse(route.name, kwargs=access.kwargs(world) if access.kwargs else None)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(url, response.content.decode()):
            if form.url_name not in SKIP_FORMS:
                forms.setdefault(form.key, form)
    return list(forms.values())


def _field_values(form: Form):
    """Each offered field: left out, one of its own values, or something hostile; sometimes extras."""
    fields = {
        name: st.one_of(
            st.none(),
            st.sampled_from(values) if values else hostile_text,
            hostile_text,
            st.lists(hostile_text, min_size=2, max_size=3),
        )
        for name, values in form.fields.items()
    }
    extras = st.dictionaries(
        st.sampled_from(["id", "pk", "person", "program", "user", "next"]), hostile_text, max_size=2
    )
    return st.tuples(st.fixed_dictionaries(fields), extras).map(
        lambda pair: {k: v for k, v in {**pair[1], **pair[0]}.items() if v is not None}
    )


@pytest.fixture(autouse=True)
def _quiet_request_log():
    # Every refused request logs a warning with its traceback; thousands of them drown the output.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    out = Path(django_settings.BASE_DIR) / "var" / "fuzz" / "report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "max_examples": EXAMPLES,
        "examples": dict(sorted(REPORT["examples"].items())),
        "total": sum(REPORT["examples"].values()),
        "server_errors": REPORT["server_errors"],
    }
    out.write_text(json.dumps(report, indent=2) + "\n")


@pytest.mark.parametrize("persona", ["participant", "clinician"])
def test_forms_take_hostile_input_without_5xx_or_changes_when_rejected(world, client_for, persona):
    user = getattr(world, persona)
    client = client_for(user)
    client.raise_request_exception = False  # a 500 is an answer to record and report, with its request
    cohort_conversation(world)
    forms = _forms_for(world, client)
    assert len(forms) >= (15 if persona == "participant" else 30), [f.key for f in forms]

    def fuzz(form: Form):
        @FUZZ
        @given(data=_field_values(form))
        def post(data):
            REPORT["examples"][f"form {persona} {form.key}"] += 1
            cache.clear()  # rate limits would otherwise answer 429 before the view runs
            before = _table_counts()
            response = client.post(form.action, data=data)
            _check(response, f"POST {form.action} as {persona} with {str(data)[:300]!r}", before)
            client.force_login(user)  # a changed password or e-mail would sign the fuzzer out

        post()

    for form in forms:
        fuzz(form)


def _id_routes():
    return [route for route in routes() if route.kwargs]


@pytest.mark.parametrize("persona", ["participant", "clinician"])
def test_hostile_ids_in_every_url_never_5xx(world, client_for, persona):
    client = client_for(getattr(world, persona))
    client.raise_request_exception = False
    id_routes = _id_routes()
    assert len(id_routes) > 40

    def fuzz(route, valid: dict):
        @settings(FUZZ, max_examples=max(2, EXAMPLES // 2))
        @given(name=st.sampled_from(route.kwargs), value=hostile_ids, method=st.sampled_from(["get", "post"]))
        def request(name, value, method):
            REPORT["examples"][f"url-id {route.name}"] += 1
            values = {k: valid.get(k, "1") for k in route.kwargs}
            values[name] = value
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route.template)
            url = url.replace("%", "%25").replace("\x00", "%00").replace("?", "%3F").replace("#", "%23")
            before = _table_counts() if method == "post" else None
            response = getattr(client, method)(url)
            _check(response, f"{method.upper()} {url[:200]!r} as {persona}", before)

        request()

    for route in id_routes:
        access = RULES.get(route.name)
        fuzz(route, {k: str(v) for k, v in (access.kwargs(world) if access and access.kwargs else {}).items()})


# --- the chat socket ---------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
FRAME_FIELDS = {
    "send": ("conversation", "client_msg_id", "body"),
    "edit": ("conversation", "seq", "body"),
    "delete": ("conversation", "seq"),
    "reaction": ("conversation", "seq", "emoji"),
    "read": ("conversation", "seq"),
    "resume": ("conversation", "after_seq", "after_change"),
}


def _frames(frame_type: str, conversation_id: int):
    plausible = {
        "conversation": st.sampled_from([conversation_id, conversation_id + 1000, 0, -1, 2**53, 2**63]),
        "seq": st.integers(min_value=-2, max_value=5) | st.just(2**63),
        "after_seq": st.integers(min_value=-2, max_value=5),
        "after_change": st.integers(min_value=-2, max_value=5),
        "client_msg_id": st.text(min_size=0, max_size=70),
        "body": hostile_text,
        "emoji": st.sampled_from(["👍", "❤️", "", "x" * 20, "<b>"]) | hostile_text,
    }
    fields = {name: st.one_of(plausible[name], json_values) for name in FRAME_FIELDS[frame_type]}
    optional = {"v": st.sampled_from([1, 2, "1", None]), "id": st.text(max_size=70) | json_values, "extra": json_values}
    frame = st.fixed_dictionaries({"type": st.just(frame_type), **fields}, optional=optional).map(json.dumps)
    # Also raw text that is not a frame: not JSON, a bare value, a NUL, a huge string.
    raw = st.one_of(hostile_text, json_values.map(json.dumps), st.binary(max_size=32))
    return st.one_of(frame, frame, frame, raw)


@pytest.mark.django_db(transaction=True)
def test_chat_frames_never_break_the_socket_or_change_rows_when_refused(world):
    from hearth.messaging.tests.test_consumers import cookie_for

    conversation = cohort_conversation(world)
    loop = asyncio.new_event_loop()
    headers = [(b"origin", b"http://localhost"), (b"cookie", cookie_for(world.participant).encode())]
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, _ = loop.run_until_complete(communicator.connect(timeout=10))
    assert connected
    assert loop.run_until_complete(communicator.receive_json_from(timeout=10))["type"] == "hello"

    async def exchange(frame: str | bytes) -> list[dict]:
        # send_input, not send_to: an empty text frame is a frame too.
        key = "bytes" if isinstance(frame, bytes) else "text"
        await communicator.send_input({"type": "websocket.receive", key: frame})
        replies = [await communicator.receive_json_from(timeout=10)]
        while not await communicator.receive_nothing(timeout=0.02, interval=0.005):
            replies.append(await communicator.receive_json_from(timeout=10))
        return replies

    try:
        for frame_type in FRAME_TYPES:
            _fuzz_frames(frame_type, conversation, loop, exchange)
        # Still the same working socket.
        ok = loop.run_until_complete(exchange(json.dumps({"type": "read", "conversation": conversation.pk, "seq": 0})))
        assert ok[0]["type"] == "read", ok
    finally:
        loop.run_until_complete(communicator.disconnect())
        loop.close()


def _fuzz_frames(frame_type, conversation, loop, exchange):
    @settings(FUZZ, max_examples=FRAME_EXAMPLES)
    @given(text=_frames(frame_type, conversation.pk))
    def send(text):
        REPORT["examples"][f"frame {frame_type}"] += 1
        cache.clear()
        before = _table_counts()
        replies = loop.run_until_complete(exchange(text))
        codes = [reply.get("code") for reply in replies if reply.get("type") == "error"]
        if "internal_error" in codes:
            REPORT["server_errors"].append(f"chat frame {text[:300]!r}")
        assert "internal_error" not in codes, f"{text[:300]!r} -> {replies}"
        if codes:
            assert _table_counts() == before, f"refused frame changed rows: {text[:300]!r} -> {codes}"

    send()


def test_a_signed_in_client_is_what_the_fuzzer_uses(world):
    # The form fuzzer only means something if it reaches the views signed in.
    client = Client()
    client.force_login(world.participant)
    assert client.get(reverse("profile")).status_code == 200
