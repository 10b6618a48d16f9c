"""Words of a post as blind-index digests (decision 34). The same normalisation runs on a post when it
is written and on a search query, so "Recaída" finds "recaida" and "CRAVINGS" finds "cravings"."""

import re
import unicodedata

from hearth.core.encryption import keyed_hash

PURPOSE = "community.search"
MIN_WORD = 2
# A post's distinct words past this many are not indexed (a 10,000-character post stays cheap).
MAX_TERMS_PER_POST = 400
MAX_QUERY_WORDS = 6
WORD = re.compile(r"\w+")


def normalise(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word).casefold()
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Distinct normalised words in order: case folded, accents dropped, very short words skipped."""
    return [plain for _typed, plain in query_words(text, limit=None)]


def query_words(text: str, *, limit: int | None = MAX_QUERY_WORDS) -> list[tuple[str, str]]:
    """(as typed, normalised) for each distinct word: titles are matched as typed or normalised,
    bodies by the digest of the normalised word."""
    seen: dict[str, str] = {}
    for typed in WORD.findall(text or ""):
        plain = normalise(typed)
        if len(plain) >= MIN_WORD and plain not in seen:
            seen[plain] = typed
    pairs = [(typed, plain) for plain, typed in seen.items()]
    return pairs if limit is None else pairs[:limit]


def digest(word: str) -> str:
    return keyed_hash(word, purpose=PURPOSE)


def digests(text: str, *, limit: int = MAX_TERMS_PER_POST) -> list[str]:
    return [digest(word) for word in words(text)[:limit]]
