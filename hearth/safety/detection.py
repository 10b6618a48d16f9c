"""Crisis and relapse detection: the one function every free-text path calls (chat, check-in notes,
forum posts, journals, mentor notes). The lexicon itself is data: detection_lexicon.json.

A rule engine rather than a model: it must answer in well under a millisecond on the send path and
say which words it acted on. Each match is then read in its clause:

- a negation just before it about oneself ("I'm not going to hurt myself", "no voy a consumir")
  gives ``low``: recorded on the person's timeline, no alert;
- someone else as the subject ("my brother relapsed"), fiction, songs, quotes of what someone said,
  clinical or class vocabulary give nothing, except for an overdose, a weapon or pills in reach and
  farewells, which count whoever the subject is ("my roommate turned blue");
- a past kept at a distance ("years ago", "used to", "hace años", "when I was using") gives nothing
  for use and overdoses and ``low`` for ideation and self-harm, unless the clause also says it is
  recent ("again", "last night", "anoche").
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("detection_lexicon.json")

PASSIVE_IDEATION = "passive_ideation"
ACTIVE_IDEATION = "active_ideation"
PLAN_METHOD = "plan_method"
MEANS_ACCESS = "means_access"
PREPARATION_FAREWELL = "preparation_farewell"
SELF_HARM = "self_harm"
BURDEN_HOPELESSNESS = "burden_hopelessness"
OVERDOSE_EMERGENCY = "overdose_emergency"
IMMINENT_USE = "imminent_use"
RECENT_USE = "recent_use"
CATEGORIES = (
    OVERDOSE_EMERGENCY,
    PLAN_METHOD,
    ACTIVE_IDEATION,
    MEANS_ACCESS,
    PREPARATION_FAREWELL,
    PASSIVE_IDEATION,
    SELF_HARM,
    IMMINENT_USE,
    RECENT_USE,
    BURDEN_HOPELESSNESS,
)

URGENT, HIGH, MODERATE, LOW = "urgent", "high", "moderate", "low"
SEVERITY_ORDER = {URGENT: 0, HIGH: 1, MODERATE: 2, LOW: 3}
ALERTING = frozenset({URGENT, HIGH, MODERATE})
# A past at a distance means nothing for these (a relapse or an overdose years ago is history).
_DISTANT_PAST_IS_NOTHING = frozenset({RECENT_USE, IMMINENT_USE, OVERDOSE_EMERGENCY})

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_QUOTES.update({ord("\u00ab"): '"', ord("\u00bb"): '"', ord("\u201e"): '"'})
_REPEATS = re.compile(r"(\D)\1{2,}")
_NOT_TEXT = re.compile(r"[^a-z0-9'\"\s.!?;:,\n]+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_JOINERS = re.compile(r"\s(?:but|pero|though|although|aunque|because|porque|cuz|cause|bc|except|excepto)\s")
_CLAUSE = re.compile(r"[^.!?;:,\n]+")
_QUOTED = re.compile(r'"[^"]*"')
_TOKEN = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Detection:
    category: str
    severity: str
    evidence: str  # the words that matched, as the person wrote them (normalised)
    language: str

    @property
    def raises_signal(self) -> bool:
        """``low`` is recorded on the person's timeline without alerting anyone."""
        return self.severity in ALERTING


@dataclass(frozen=True)
class _Rule:
    category: str
    severity: str
    language: str
    pattern: re.Pattern
    subject_check: bool
    rank: tuple[int, int]


@dataclass(frozen=True)
class _Lexicon:
    rules: tuple[_Rule, ...]
    negators: dict[str, re.Pattern]
    glue: frozenset[str]
    neutral: re.Pattern
    third_party: re.Pattern
    first_person: re.Pattern
    distance: re.Pattern
    recent: re.Pattern
    reported: re.Pattern
    speech: re.Pattern


def normalise(text: str) -> str:
    """Case-folded, accents removed, curly quotes straightened, a letter typed three or more times
    once ("Recaí" matches "recai", "diiiie" matches "die")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _REPEATS.sub(r"\1", plain)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    # People drop apostrophes: "don't" in the lexicon also matches "dont".
    return pattern.replace("'", "'?")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    macros = {name: _expand(value, {}) for name, value in data["macros"].items()}
    rules = []
    for category in data["categories"]:
        for language, patterns in category["patterns"].items():
            joined = "|".join(f"(?:{_expand(pattern, macros)})" for pattern in patterns)
            rules.append(
                _Rule(
                    category=category["name"],
                    severity=category["severity"],
                    language=language,
                    pattern=re.compile(joined),
                    subject_check=bool(category.get("subject_check")),
                    rank=(SEVERITY_ORDER[category["severity"]], CATEGORIES.index(category["name"])),
                )
            )
    rules.sort(key=lambda rule: rule.rank)
    context = data["context"]

    def compiled(name: str) -> re.Pattern:
        return re.compile(_expand(context[name], {}))

    glue = frozenset(word.replace("'", "") for word in context["glue"].split())
    return _Lexicon(
        rules=tuple(rules),
        negators={language: re.compile(_expand(p, {})) for language, p in context["negators"].items()},
        glue=glue,
        neutral=compiled("neutral"),
        third_party=compiled("third_party"),
        first_person=compiled("first_person"),
        distance=compiled("distance"),
        recent=compiled("recent"),
        reported=compiled("reported"),
        speech=compiled("speech"),
    )


def detection_loaded() -> None:
    """Compile the lexicon now (once per process) rather than while a message waits on it."""
    _lexicon()


def _negated(lexicon: _Lexicon, prefix: str, language: str) -> bool:
    """A negator close before the match, with only small words between ("not going to", "no me voy a")."""
    prefix = lexicon.neutral.sub(" ", prefix)
    last = None
    for last in lexicon.negators[language].finditer(prefix):  # noqa: B007
        pass
    if last is None:
        return False
    between = [token.replace("'", "") for token in _TOKEN.findall(prefix[last.end() :])]
    return len(between) <= 5 and all(token in lexicon.glue for token in between)


def _someone_else(lexicon: _Lexicon, prefix: str) -> bool:
    """The nearest subject before the match is another person, not the writer."""
    other = None
    for other in lexicon.third_party.finditer(prefix):  # noqa: B007
        pass
    if other is None:
        return False
    return lexicon.first_person.search(prefix, other.end()) is None


def _severity_in_clause(lexicon: _Lexicon, rule: _Rule, clause: str, start: int) -> str | None:
    """The severity a match keeps once read in its clause, or None when it is not about the writer now."""
    prefix = clause[:start]
    if lexicon.reported.search(clause):
        return None
    if rule.subject_check and _someone_else(lexicon, prefix):
        return None
    if lexicon.distance.search(clause) and not lexicon.recent.search(clause):
        return None if rule.category in _DISTANT_PAST_IS_NOTHING else LOW
    if _negated(lexicon, prefix, rule.language):
        return LOW
    return rule.severity


def detect(text: str, *, language: str | None = None) -> Detection | None:
    """The most severe crisis or relapse signal in the text (``low`` for a negated one), or None."""
    lexicon = _lexicon()
    normalised = _SPACES.sub(" ", _NOT_TEXT.sub(" ", normalise(text)))
    normalised = _JOINERS.sub(" , ", normalised)
    quoted = []
    if '"' in normalised and (lexicon.speech.search(normalised) or lexicon.reported.search(normalised)):
        quoted = [(span.start(), span.end()) for span in _QUOTED.finditer(normalised)]
    best: tuple[tuple[int, int], Detection] | None = None
    for clause_match in _CLAUSE.finditer(normalised):
        clause = clause_match.group(0)
        for rule in lexicon.rules:
            if best is not None and best[0] < rule.rank:
                break  # rules run most severe first: none left in this clause can do better
            for found in rule.pattern.finditer(clause):
                at = clause_match.start() + found.start()
                if any(start <= at < end for start, end in quoted):
                    continue
                severity = _severity_in_clause(lexicon, rule, clause, found.start())
                if severity is None:
                    continue
                rank = (SEVERITY_ORDER[severity], CATEGORIES.index(rule.category))
                if best is None or rank < best[0]:
                    best = (
                        rank,
                        Detection(
                            category=rule.category,
                            severity=severity,
                            evidence=found.group(0).strip(),
                            language=language or rule.language,
                        ),
                    )
                if severity != LOW:
                    break
    return None if best is None else best[1]
