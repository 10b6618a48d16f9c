"""Matching people who ask for a mentor with mentors: pure functions on plain data (no ORM).

A *seeker* (a participant asking for a mentor) has hard preferences that are never broken:
the mentor speaks one of their languages (when they named any) and has the gender they asked
for (when they asked). Everything else is soft and adds to a score: a shared recovery pathway,
shared lived experience, shared interests, and hours of the week both are free. Each point of
the score comes from a ``Reason`` that names what is shared, so the explanation a person reads
("speaks Spanish · also a parent · both free Tuesday evenings") is the score, in words.

Availability is a set of hours of the week in UTC (0 = Monday 00:00 UTC … 167), built from each
person's weekly windows in their own zone by ``hours_of_week``; a seeker's ``utc_offset_minutes``
turns shared hours back into their local days and parts of the day for the explanation.

``match_batch`` is a participant-proposing deferred acceptance (Gale–Shapley with capacities):
no seeker and mentor would both rather have each other than what they got, and no mentor gets
more mentees than the places they have. Both sides rank by the same score; ties are broken by
the lower id, so the preferences are strict and the result is deterministic.
"""

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- Vocabulary (also the choices of the models and forms) -----------------------------------

LANGUAGES = {
    "en": _("English"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
    "fr": _("French"),
    "vi": _("Vietnamese"),
    "zh": _("Chinese"),
    "ar": _("Arabic"),
    "asl": _("American Sign Language"),
}
GENDERS = {"woman": _("Woman"), "man": _("Man"), "nonbinary": _("Non-binary")}
PATHWAYS = {
    "twelve_step": _("12-step"),
    "smart": _("SMART Recovery"),
    "faith": _("Faith-based"),
    "mat": _("Medication-assisted"),
    "harm_reduction": _("Harm reduction"),
    "secular": _("Secular"),
    "other": _("Other"),
}
LIVED_EXPERIENCE = {
    "parent": _("Parent"),
    "veteran": _("Veteran"),
    "lgbtq": _("LGBTQ+"),
    "justice": _("Justice-involved"),
    "grief": _("Lost someone close"),
    "chronic_pain": _("Lives with chronic pain"),
    "healthcare_worker": _("Works in health care"),
    "immigrant": _("Immigrant"),
}
INTERESTS = {
    "hiking": _("hiking"),
    "cooking": _("cooking"),
    "music": _("music"),
    "art": _("art"),
    "sports": _("sports"),
    "gaming": _("gaming"),
    "reading": _("reading"),
    "gardening": _("gardening"),
    "fitness": _("fitness"),
    "faith": _("faith community"),
}
AGE_RANGES = {
    "18-25": "18–25",
    "26-35": "26–35",
    "36-45": "36–45",
    "46-55": "46–55",
    "56+": "56+",
}

# Phrases for the explanation, written from the seeker's side.
_LIVED_PHRASES = {
    "parent": _("also a parent"),
    "veteran": _("also a veteran"),
    "lgbtq": _("also LGBTQ+"),
    "justice": _("has also been through the justice system"),
    "grief": _("has also lost someone close"),
    "chronic_pain": _("also lives with chronic pain"),
    "healthcare_worker": _("also works in health care"),
    "immigrant": _("also an immigrant"),
}
_GENDER_PHRASES = {
    "woman": _("a woman, as requested"),
    "man": _("a man, as requested"),
    "nonbinary": _("non-binary, as requested"),
}
_WEEKDAYS = (
    pgettext_lazy("as in 'both free Tuesday evenings'", "Monday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Tuesday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Wednesday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Thursday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Friday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Saturday"),
    pgettext_lazy("as in 'both free Tuesday evenings'", "Sunday"),
)
# Local hours [start, end) of each part of the day; night hours count for the score but are not named.
PARTS_OF_DAY = (
    ("morning", 6, 12, pgettext_lazy("as in 'both free Tuesday evenings'", "mornings")),
    ("afternoon", 12, 17, pgettext_lazy("as in 'both free Tuesday evenings'", "afternoons")),
    ("evening", 17, 23, pgettext_lazy("as in 'both free Tuesday evenings'", "evenings")),
)

HOURS_IN_WEEK = 168

# Points: a shared pathway 3; each shared lived experience 2 (up to 3 of them); each shared
# interest 1 (up to 3); every 2 hours of shared free time 1 (up to 3).
PATHWAY_POINTS = 3
LIVED_POINTS, LIVED_CAP = 2, 3
INTEREST_POINTS, INTEREST_CAP = 1, 3
HOURS_PER_POINT, AVAILABILITY_CAP = 2, 3


class MatchingError(ValueError):
    """Input that cannot be matched (a window that ends before it starts, a negative capacity…)."""


@dataclass(frozen=True)
class Seeker:
    id: int
    languages: frozenset = frozenset()  # hard: the mentor speaks one of these (empty: any)
    gender: str = ""  # hard: the mentor's gender (empty: no preference)
    pathways: frozenset = frozenset()
    lived_experience: frozenset = frozenset()
    interests: frozenset = frozenset()
    availability: frozenset = frozenset()  # hours of the week, UTC
    utc_offset_minutes: int = 0
    person_id: int | None = None  # the account; a mentor is never matched with themself


@dataclass(frozen=True)
class Mentor:
    id: int
    languages: frozenset = frozenset()
    gender: str = ""
    pathways: frozenset = frozenset()
    lived_experience: frozenset = frozenset()
    interests: frozenset = frozenset()
    availability: frozenset = frozenset()
    capacity: int = 1  # places still open
    person_id: int | None = None


@dataclass(frozen=True)
class Reason:
    kind: str  # language | gender | pathway | lived | interests | availability
    values: tuple = ()
    points: int = 0


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    score: int
    reasons: tuple = field(default_factory=tuple)


# --- Availability ---------------------------------------------------------------------------


def hours_of_week(windows: Iterable[tuple[int, int, int]], utc_offset_minutes: int) -> frozenset:
    """Weekly windows ``(weekday 0=Monday, start minute, end minute)`` in local time → the UTC hours
    of the week they cover (an hour counts when the window covers all of it)."""
    hours = set()
    for weekday, start, end in windows:
        if not 0 <= weekday <= 6:
            raise MatchingError(_("A day of the week is between Monday and Sunday."))
        if not (0 <= start < end <= 24 * 60):
            raise MatchingError(_("A time window must end after it starts, on the same day."))
        first = -(-start // 60)  # the first whole hour inside the window
        for hour in range(first, end // 60):
            local = weekday * 24 * 60 + hour * 60
            hours.add(((local - utc_offset_minutes) // 60) % HOURS_IN_WEEK)
    return frozenset(hours)


def local_slots(hours: Iterable[int], utc_offset_minutes: int) -> list[tuple[int, str]]:
    """UTC hours of the week → the (weekday, part of day) slots they touch in local time, in week order."""
    slots = set()
    for hour in hours:
        local = (hour * 60 + utc_offset_minutes) // 60 % HOURS_IN_WEEK
        weekday, local_hour = divmod(local, 24)
        for name, start, end, _label in PARTS_OF_DAY:
            if start <= local_hour < end:
                slots.add((weekday, name))
    order = {name: i for i, (name, *_rest) in enumerate(PARTS_OF_DAY)}
    return sorted(slots, key=lambda s: (s[0], order[s[1]]))


# --- One pair -------------------------------------------------------------------------------


def hard_preferences_met(seeker: Seeker, mentor: Mentor) -> bool:
    if seeker.person_id is not None and seeker.person_id == mentor.person_id:
        return False
    if seeker.languages and not seeker.languages & mentor.languages:
        return False
    return not (seeker.gender and seeker.gender != mentor.gender)


def _availability_points(shared_hours: int) -> int:
    return min(shared_hours // HOURS_PER_POINT, AVAILABILITY_CAP)


def score(seeker: Seeker, mentor: Mentor) -> Suggestion | None:
    """The score of this mentor for this seeker and its reasons; None when a hard preference fails."""
    if not hard_preferences_met(seeker, mentor):
        return None
    reasons = []
    if seeker.languages:
        reasons.append(Reason("language", tuple(sorted(seeker.languages & mentor.languages))))
    if seeker.gender:
        reasons.append(Reason("gender", (seeker.gender,)))
    pathways = seeker.pathways & mentor.pathways
    if pathways:
        reasons.append(Reason("pathway", tuple(sorted(pathways)), PATHWAY_POINTS))
    lived = sorted(seeker.lived_experience & mentor.lived_experience)[:LIVED_CAP]
    if lived:
        reasons.append(Reason("lived", tuple(lived), LIVED_POINTS * len(lived)))
    interests = sorted(seeker.interests & mentor.interests)[:INTEREST_CAP]
    if interests:
        reasons.append(Reason("interests", tuple(interests), INTEREST_POINTS * len(interests)))
    shared = seeker.availability & mentor.availability
    points = _availability_points(len(shared))
    if points:
        slots = local_slots(shared, seeker.utc_offset_minutes)
        # Shared hours only at night name no day part: the reason still says when ("at night").
        named = tuple(f"{day}:{part}" for day, part in slots) or ("night",)
        reasons.append(Reason("availability", named, points))
    return Suggestion(mentor_id=mentor.id, score=sum(r.points for r in reasons), reasons=tuple(reasons))


def pair_points(seeker: Seeker, mentor: Mentor) -> int | None:
    """``score(...).score`` without building the reasons (for checking a whole batch quickly)."""
    if not hard_preferences_met(seeker, mentor):
        return None
    points = PATHWAY_POINTS if seeker.pathways & mentor.pathways else 0
    points += LIVED_POINTS * min(len(seeker.lived_experience & mentor.lived_experience), LIVED_CAP)
    points += INTEREST_POINTS * min(len(seeker.interests & mentor.interests), INTEREST_CAP)
    return points + _availability_points(len(seeker.availability & mentor.availability))


def suggest(seeker: Seeker, mentors: Iterable[Mentor], *, limit: int = 5) -> list[Suggestion]:
    """The best mentors with open places for one seeker, best first (ties: lower id first)."""
    found = [s for m in mentors if m.capacity > 0 and (s := score(seeker, m)) is not None]
    found.sort(key=lambda s: (-s.score, s.mentor_id))
    return found[:limit]


def explain(reasons: Sequence[Reason]) -> str:
    """The reasons in plain words, joined by " · "."""
    parts = []
    for reason in reasons:
        if reason.kind == "language":
            names = ", ".join(str(LANGUAGES.get(code, code)) for code in reason.values)
            parts.append(str(_("speaks %(languages)s")) % {"languages": names})
        elif reason.kind == "gender":
            parts.append(str(_GENDER_PHRASES.get(reason.values[0], GENDERS.get(reason.values[0], ""))))
        elif reason.kind == "pathway":
            names = ", ".join(str(PATHWAYS.get(code, code)) for code in reason.values)
            parts.append(str(_("also on a %(pathway)s path")) % {"pathway": names})
        elif reason.kind == "lived":
            parts.extend(str(_LIVED_PHRASES.get(tag, _("also %(tag)s") % {"tag": tag})) for tag in reason.values)
        elif reason.kind == "interests":
            names = ", ".join(str(INTERESTS.get(code, code)) for code in reason.values)
            parts.append(str(_("both like %(interests)s")) % {"interests": names})
        elif reason.kind == "availability":
            parts.append(str(_("both free %(when)s")) % {"when": _when(reason.values)})
    return " · ".join(parts)


def _when(slots: Sequence[str], most: int = 2) -> str:
    labels = {name: label for name, _start, _end, label in PARTS_OF_DAY}
    named = []
    for slot in slots[:most]:
        if ":" not in slot:
            continue
        day, part = slot.split(":")
        named.append(str(_("%(day)s %(part)s")) % {"day": _WEEKDAYS[int(day)], "part": labels[part]})
    if not named:
        return str(_("at night"))
    text = str(_(" and ")).join(named)
    return text + (" …" if len(slots) > most else "")


# --- A batch ----------------------------------------------------------------------------------


class _Bits:
    """Interns strings as bits so a set intersection is one AND and a count is ``int.bit_count``."""

    def __init__(self):
        self.bits: dict = {}

    def mask(self, values: Iterable) -> int:
        mask = 0
        for value in values:
            bit = self.bits.get(value)
            if bit is None:
                bit = self.bits[value] = 1 << len(self.bits)
            mask |= bit
        return mask


def _hours_mask(hours: Iterable[int]) -> int:
    mask = 0
    for hour in hours:
        mask |= 1 << hour
    return mask


# A pair is ranked as one int, ((MAX_POINTS - points) << SHIFT) | mentor index: sorting the ints puts
# the best score first and, among equal scores, the lower mentor index (mentors come in id order).
# Ints sort and compare much faster than tuples, which keeps a 5,000 × 300 batch well under 2 s.
SHIFT = 24
INDEX_MASK = (1 << SHIFT) - 1
MAX_POINTS = PATHWAY_POINTS + LIVED_POINTS * LIVED_CAP + INTEREST_POINTS * INTEREST_CAP + AVAILABILITY_CAP


def ranked_pairs(seekers: Sequence[Seeker], mentors: Sequence[Mentor]) -> list[list[int]]:
    """For each seeker, its acceptable mentors with places, best first, as ranked ints (see SHIFT).
    The same points ``score`` gives, computed on bit masks for speed."""
    if len(mentors) > INDEX_MASK or len(seekers) > INDEX_MASK:
        raise MatchingError(_("Too many people for one batch."))
    languages, pathways, lived, interests = _Bits(), _Bits(), _Bits(), _Bits()
    rows = [
        (
            i,
            languages.mask(m.languages),
            m.gender,
            pathways.mask(m.pathways),
            lived.mask(m.lived_experience),
            interests.mask(m.interests),
            _hours_mask(m.availability),
            m.person_id,
        )
        for i, m in enumerate(mentors)
        if m.capacity > 0
    ]
    # Mentors grouped by gender once, so a seeker who asked for a gender only looks at those.
    by_gender: dict = {}
    for row in rows:
        by_gender.setdefault(row[2], []).append(row)
    ranked = []
    for seeker in seekers:
        s_lang = languages.mask(seeker.languages)
        s_path = pathways.mask(seeker.pathways)
        s_lived = lived.mask(seeker.lived_experience)
        s_int = interests.mask(seeker.interests)
        s_hours = _hours_mask(seeker.availability)
        person = seeker.person_id
        candidates = by_gender.get(seeker.gender, ()) if seeker.gender else rows
        codes = []
        for i, m_lang, _g, m_path, m_lived, m_int, m_hours, m_person in candidates:
            if s_lang and not s_lang & m_lang:
                continue
            if person is not None and person == m_person:
                continue
            points = PATHWAY_POINTS if s_path & m_path else 0
            shared = (s_lived & m_lived).bit_count()
            if shared:
                points += LIVED_POINTS * (shared if shared < LIVED_CAP else LIVED_CAP)
            shared = (s_int & m_int).bit_count()
            if shared:
                points += INTEREST_POINTS * (shared if shared < INTEREST_CAP else INTEREST_CAP)
            shared = (s_hours & m_hours).bit_count() // HOURS_PER_POINT
            if shared:
                points += shared if shared < AVAILABILITY_CAP else AVAILABILITY_CAP
            codes.append(((MAX_POINTS - points) << SHIFT) | i)
        codes.sort()
        ranked.append(codes)
    return ranked


def match_batch(seekers: Sequence[Seeker], mentors: Sequence[Mentor]) -> dict[int, Suggestion]:
    """Stable matching, seekers proposing (deferred acceptance with capacities).

    Returns seeker id → Suggestion (mentor id, score, reasons). Seekers left out had no acceptable
    mentor with a place left. Mentors are compared in id order for ties; seekers likewise."""
    mentors = sorted(mentors, key=lambda m: m.id)
    seekers = sorted(seekers, key=lambda s: s.id)
    if any(m.capacity < 0 for m in mentors):
        raise MatchingError(_("A mentor's capacity cannot be negative."))
    if len({m.id for m in mentors}) != len(mentors) or len({s.id for s in seekers}) != len(seekers):
        raise MatchingError(_("Each seeker and each mentor appears once."))
    ranked = ranked_pairs(seekers, mentors)
    # How a mentor ranks a proposal: (points << SHIFT) | (INDEX_MASK - seeker index), higher is better
    # (the lower seeker index wins a tie). Each mentor holds its proposals in a min-heap, worst on
    # top; ``floor`` is that worst while the mentor is full (−1 while a place is open).
    held: list[list[int]] = [[] for _m in mentors]
    capacity = [m.capacity for m in mentors]
    floor = [-1 if c > 0 else 1 << 62 for c in capacity]
    next_choice = [0] * len(seekers)
    free = list(range(len(seekers) - 1, -1, -1))
    while free:
        s = free.pop()
        codes = ranked[s]
        k = next_choice[s]
        own = INDEX_MASK - s
        for code in codes[k:] if k else codes:
            k += 1
            m = code & INDEX_MASK
            key = ((MAX_POINTS - (code >> SHIFT)) << SHIFT) | own
            if key <= floor[m]:
                continue
            heap = held[m]
            if len(heap) < capacity[m]:
                heapq.heappush(heap, key)
                if len(heap) == capacity[m]:
                    floor[m] = heap[0]
            else:
                rejected = heapq.heapreplace(heap, key)
                floor[m] = heap[0]
                free.append(INDEX_MASK - (rejected & INDEX_MASK))
            break
        next_choice[s] = k
    result = {}
    for m, heap in enumerate(held):
        for key in heap:
            seeker = seekers[INDEX_MASK - (key & INDEX_MASK)]
            result[seeker.id] = score(seeker, mentors[m])
    return result


# --- Checks on a result (used by the property tests and the benchmark) ------------------------


def capacity_respected(result: dict[int, Suggestion], mentors: Sequence[Mentor]) -> bool:
    taken: dict = {}
    for suggestion in result.values():
        taken[suggestion.mentor_id] = taken.get(suggestion.mentor_id, 0) + 1
    capacity = {m.id: m.capacity for m in mentors}
    return all(count <= capacity.get(mentor_id, 0) for mentor_id, count in taken.items())


def hard_preferences_respected(
    result: dict[int, Suggestion], seekers: Sequence[Seeker], mentors: Sequence[Mentor]
) -> bool:
    seeker_by_id = {s.id: s for s in seekers}
    mentor_by_id = {m.id: m for m in mentors}
    return all(hard_preferences_met(seeker_by_id[sid], mentor_by_id[s.mentor_id]) for sid, s in result.items())


def blocking_pairs(
    result: dict[int, Suggestion], seekers: Sequence[Seeker], mentors: Sequence[Mentor], *, limit: int = 10
) -> list[tuple[int, int]]:
    """Pairs (seeker id, mentor id) who would both rather have each other than what they got.
    Recomputes every pair's score with ``pair_points`` (not the batch's fast path)."""
    mentor_by_id = {m.id: m for m in mentors}
    # Each mentor's worst held mentee, as (score, -seeker id); None while a place is free.
    holding: dict = {m.id: [] for m in mentors}
    for sid, suggestion in result.items():
        holding[suggestion.mentor_id].append((suggestion.score, -sid))
    worst = {
        mid: (min(keys) if keys and len(keys) >= mentor_by_id[mid].capacity else None) for mid, keys in holding.items()
    }
    found = []
    for seeker in seekers:
        current = result.get(seeker.id)
        current_key = (current.score, -current.mentor_id) if current else None
        for mentor in mentors:
            if mentor.capacity <= 0 or (current and current.mentor_id == mentor.id):
                continue
            points = pair_points(seeker, mentor)
            if points is None:
                continue
            if current_key is not None and (points, -mentor.id) <= current_key:
                continue  # the seeker does not prefer this mentor
            threshold = worst[mentor.id]
            if threshold is None or (points, -seeker.id) > threshold:
                found.append((seeker.id, mentor.id))
                if len(found) >= limit:
                    return found
    return found
