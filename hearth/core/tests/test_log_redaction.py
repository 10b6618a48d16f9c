import logging

import pytest

from hearth.accounts.services import invitation_create
from hearth.core.log_redaction import REDACTED, RedactSecretsFilter, redact
from hearth.programs.models import Role


@pytest.mark.django_db
def test_failed_invitation_form_logs_no_token(world, client, caplog):
    _invitation, token = invitation_create(
        actor=world.admin, program=world.program, role=Role.PARTICIPANT, email="someone@hearth.test"
    )
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(f"/invite/{token}/", {"display_name": "", "password1": "x", "password2": "y"})
    assert response.status_code == 400
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert lines, "Django's request logger wrote nothing for the 400"
    assert token not in caplog.text
    assert all(token not in r.getMessage() for r in caplog.records)
    assert REDACTED in caplog.text


def test_handler_output_has_no_token(capsys):
    logger = logging.getLogger("hearth.tests.redaction")
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecretsFilter())
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Bad Request: %s", "/calendar/feed/AbC-123_x.ics?token=s3cret&x=1")
        try:
            raise ValueError("/invite/deadbeefcafe/ failed")
        except ValueError:
            logger.exception("while reading %s", "/accounts/password/reset/key/1a-abc123/")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    err = capsys.readouterr().err
    for secret in ("AbC-123_x", "s3cret", "deadbeefcafe", "1a-abc123"):
        assert secret not in err
    assert "x=1" in err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"POST /invite/tok_en-1/ HTTP/1.1" 400', f'"POST /invite/{REDACTED}/ HTTP/1.1" 400'),
        ("/calendar/feed/abc.ics", f"/calendar/feed/{REDACTED}.ics"),
        ("/x/?token=abc&y=2", f"/x/?token={REDACTED}&y=2"),
        ("/x/?join_token=abc", f"/x/?join_token={REDACTED}"),
        ("/people/12/", "/people/12/"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected
