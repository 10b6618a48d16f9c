"""The CSP reporting endpoint: reports from browsers are logged without paths' queries or tokens;
junk, oversize and floods get clear answers and change nothing."""

import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LEGACY = {
    "csp-report": {
        "document-uri": "https://hearth.example/invite/SECRETTOKEN123/?next=/x",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://cdn.evil.example/lib.js?k=abc",
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "body": {
            "documentURL": "https://hearth.example/dashboard/",
            "effectiveDirective": "img-src",
            "blockedURL": "inline",
        },
    }
]


def _post(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(reverse("csp_report"), data=data, content_type=content_type)


def test_every_page_names_the_report_endpoint_in_its_policy(client):
    response = client.get(reverse("account_login"))
    assert "report-uri /csp-report/" in response["Content-Security-Policy"]


def test_a_legacy_report_is_logged_with_the_origin_only(client, caplog):
    with caplog.at_level(logging.WARNING, logger="hearth.home.views"):
        response = _post(client, LEGACY)
    assert response.status_code == 204
    line = " ".join(r.getMessage() for r in caplog.records)
    assert "script-src-elem" in line and "https://cdn.evil.example" in line
    assert "abc" not in line and "next=" not in line


def test_a_reporting_api_report_is_read(client, caplog):
    with caplog.at_level(logging.WARNING, logger="hearth.home.views"):
        response = _post(client, REPORTING_API, content_type="application/reports+json")
    assert response.status_code == 204
    assert "img-src blocked inline on /dashboard/" in caplog.records[-1].getMessage()


@pytest.mark.parametrize("body", [b"not json", b"{}", b"[]", b'{"csp-report": 3}', b'[{"type": "other"}]', b"\xff\xfe"])
def test_junk_is_refused_with_400(client, body):
    assert _post(client, body).status_code == 400


def test_an_oversize_report_is_refused(client):
    assert _post(client, {"csp-report": {"blocked-uri": "x" * 20000}}).status_code == 413


def test_a_flood_is_cut_off(client):
    codes = [_post(client, LEGACY).status_code for _ in range(35)]
    assert codes[:30] == [204] * 30 and set(codes[30:]) == {429}


def test_only_post_is_accepted(client):
    assert client.get(reverse("csp_report")).status_code == 405
