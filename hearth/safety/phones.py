"""Phone numbers on a safety plan: checked when saved, turned into tel:/sms: links when shown."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Digits with the usual separators, an optional leading "+": 3 digits (988, 911) to 15 (E.164).
PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-]+$")


def phone_normalize(value: str) -> str:
    """A phone number as a person may type it, checked; returns it trimmed. Raises ValidationError."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS.match(value) or not 3 <= len(digits) <= 15:
        raise ValidationError(_("Enter a phone number with digits only, like 312 555 0100 or +1 312 555 0100."))
    return value


def phone_href(value: str) -> str:
    """The number as a tel:/sms: link target: digits, with a leading + kept."""
    value = (value or "").strip()
    return ("+" if value.startswith("+") else "") + re.sub(r"\D", "", value)
