"""A logging filter that takes secrets out of every log line before any handler writes it.

Some links carry a live credential in the path or the query string: invitation links
(``/invite/<token>/``), private calendar feeds (``/calendar/feed/<token>.ics``), allauth's
password-reset and e-mail confirmation keys, and any ``?token=`` / ``?key=`` parameter. Django's
request logger writes the path of every 4xx and 5xx answer, so without this filter a failed
invitation form would put a usable token into the log.

The filter rewrites the message template, each string argument (keeping the arguments' shape,
so formatters that read ``record.args`` keep working), the formatted traceback and the stack.
It is installed on every handler in ``settings.LOGGING``.
"""

import logging
import re

REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # /invite/<token>/  (accounts.invitation_accept)
    (re.compile(r"(/invite/)[^/?#\s\"']+"), rf"\1{REDACTED}"),
    # /calendar/feed/<token>.ics  (scheduling.feed_ics)
    (re.compile(r"(/calendar/feed/)[^/?#\s\"']+?(\.ics)"), rf"\1{REDACTED}\2"),
    (re.compile(r"(/calendar/feed/)[^/?#\s\"'.]+"), rf"\1{REDACTED}"),
    # allauth: /accounts/password/reset/key/<uidb36>-<key>/ and /accounts/confirm-email/<key>/
    (re.compile(r"(/password/reset/key/)[^/?#\s\"']+"), rf"\1{REDACTED}"),
    (re.compile(r"(/confirm-email/)[^/?#\s\"']+"), rf"\1{REDACTED}"),
    # Any query-string or form-style secret: token=…, key=…, code=…, secret=…
    (
        re.compile(r"(?i)\b((?:[a-z_]*token|key|code|secret|signature)=)[^&\s\"'#]+"),
        rf"\1{REDACTED}",
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_arg(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(_redact_arg(v) for v in value)
    if isinstance(value, list):
        return [_redact_arg(v) for v in value]
    if isinstance(value, dict):
        return {k: _redact_arg(v) for k, v in value.items()}
    return value


class RedactSecretsFilter(logging.Filter):
    """Rewrite the record in place; never drop it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
            else:
                record.msg = redact(str(record.msg))
            if record.args:
                record.args = _redact_arg(record.args)
            if record.exc_info and not record.exc_text:
                record.exc_text = self._formatter.formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
        except Exception:  # noqa: BLE001 - a log line must never break the request that wrote it
            record.msg, record.args = "log record withheld: it could not be redacted", ()
        return True
