"""Crisis and relapse detection: the one function every free-text path calls (chat, check-in notes,
forum posts, journals, mentor notes). The lexicon itself is data: detection_lexicon.json."""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("detection_lexicon.json")
SEVERITY_ORDER = {"urgent": 0, "high": 1, "moderate": 2}


@dataclass(frozen=True)
class Detection:
    category: str
    severity: str
    evidence: str  # the words that matched, as the person wrote them (normalised)
    language: str


def normalise(text: str) -> str:
    """Case-folded, accents removed, curly apostrophes straightened: "Recaí" matches "recai"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, str, str, re.Pattern], ...]:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    compiled = []
    for category in data["categories"]:
        for language, patterns in category["patterns"].items():
            for pattern in patterns:
                compiled.append((category["name"], category["severity"], language, re.compile(pattern)))
    compiled.sort(key=lambda item: SEVERITY_ORDER[item[1]])
    return tuple(compiled)


def detection_loaded() -> None:
    """Compile the lexicon now (≈25 ms, once per process) rather than while a message waits on it."""
    _compiled()


def detect(text: str, *, language: str | None = None) -> Detection | None:
    """The most severe crisis or relapse signal in the text, or None."""
    normalised = normalise(text)
    for category, severity, pattern_language, pattern in _compiled():
        found = pattern.search(normalised)
        if found:
            return Detection(category=category, severity=severity, evidence=found.group(0), language=pattern_language)
    return None
