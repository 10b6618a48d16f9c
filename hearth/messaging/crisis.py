"""Recognising crisis and relapse language in messages. The list itself is data: crisis_signals.json."""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SIGNALS_PATH = Path(__file__).with_name("crisis_signals.json")
SEVERITY_ORDER = {"urgent": 0, "high": 1, "moderate": 2}


@dataclass(frozen=True)
class CrisisMatch:
    category: str
    severity: str
    phrase: str
    language: str


def normalise(text: str) -> str:
    """Case-folded, accents removed, curly apostrophes straightened: "Recaí" matches "recai"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, str, str, re.Pattern], ...]:
    data = json.loads(SIGNALS_PATH.read_text(encoding="utf-8"))
    compiled = []
    for category in data["categories"]:
        for language, patterns in category["patterns"].items():
            for pattern in patterns:
                compiled.append((category["name"], category["severity"], language, re.compile(pattern)))
    compiled.sort(key=lambda item: SEVERITY_ORDER[item[1]])
    return tuple(compiled)


def crisis_signals_loaded() -> None:
    """Compile the list now (≈25 ms, once per process) rather than while a message waits on it."""
    _compiled()


def crisis_match(text: str) -> CrisisMatch | None:
    """The most severe signal the text matches, or None."""
    normalised = normalise(text)
    for category, severity, language, pattern in _compiled():
        found = pattern.search(normalised)
        if found:
            return CrisisMatch(category=category, severity=severity, phrase=found.group(0), language=language)
    return None
