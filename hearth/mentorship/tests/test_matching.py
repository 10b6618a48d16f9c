"""Matching on plain data: examples, bad input, and Hypothesis properties of the batch."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.mentorship.matching import (
    HOURS_IN_WEEK,
    MatchingError,
    Mentor,
    Seeker,
    blocking_pairs,
    capacity_respected,
    explain,
    hard_preferences_met,
    hard_preferences_respected,
    hours_of_week,
    match_batch,
    pair_points,
    score,
    suggest,
)

CHICAGO = -6 * 60
TUESDAY_EVENING = (1, 18 * 60, 21 * 60)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_explanation_names_language_lived_experience_and_time():
    seeker = Seeker(
        id=1,
        languages=frozenset({"es"}),
        lived_experience=frozenset({"parent"}),
        availability=hours_of_week([TUESDAY_EVENING], CHICAGO),
        utc_offset_minutes=CHICAGO,
    )
    mentor = Mentor(
        id=7,
        languages=frozenset({"en", "es"}),
        lived_experience=frozenset({"parent", "veteran"}),
        availability=hours_of_week([TUESDAY_EVENING, (3, 9 * 60, 11 * 60)], CHICAGO),
    )
    suggestion = score(seeker, mentor)
    assert explain(suggestion.reasons) == "speaks Spanish · also a parent · both free Tuesday evenings"
    assert suggestion.score == 2 + 1  # a shared lived experience, 3 shared hours


def test_explanation_in_spanish():
    seeker = Seeker(id=1, languages=frozenset({"es"}), lived_experience=frozenset({"parent"}))
    mentor = Mentor(id=2, languages=frozenset({"es"}), lived_experience=frozenset({"parent"}))
    with translation.override("es"):
        text = explain(score(seeker, mentor).reasons)
    assert "español" in text.lower()


def test_availability_in_another_zone_is_compared_in_utc():
    # 19:00–21:00 in Chicago (UTC−6) is 20:00–22:00 in New York (UTC−5): the same hours.
    chicago = hours_of_week([(1, 19 * 60, 21 * 60)], CHICAGO)
    new_york = hours_of_week([(1, 20 * 60, 22 * 60)], -5 * 60)
    assert chicago == new_york and len(chicago) == 2


@pytest.mark.parametrize("window", [(1, 20 * 60, 18 * 60), (1, 600, 600), (7, 60, 120), (1, -5, 60)])
def test_a_window_that_ends_before_it_starts_is_refused(window):
    with pytest.raises(MatchingError):
        hours_of_week([window], 0)


def test_hard_preferences_language_gender_and_self():
    mentor = Mentor(id=1, person_id=10, languages=frozenset({"en"}), gender="man")
    assert not hard_preferences_met(Seeker(id=1, languages=frozenset({"es"})), mentor)
    assert not hard_preferences_met(Seeker(id=1, gender="woman"), mentor)
    assert not hard_preferences_met(Seeker(id=1, person_id=10), mentor)
    assert hard_preferences_met(Seeker(id=1, languages=frozenset({"en", "es"}), gender="man"), mentor)


def test_suggest_skips_full_mentors_and_ranks_by_score():
    seeker = Seeker(id=1, pathways=frozenset({"smart"}))
    full = Mentor(id=1, pathways=frozenset({"smart"}), capacity=0)
    good = Mentor(id=2, pathways=frozenset({"smart"}))
    plain = Mentor(id=3)
    assert [s.mentor_id for s in suggest(seeker, [full, good, plain])] == [2, 3]


def test_negative_capacity_and_duplicates_are_refused():
    with pytest.raises(MatchingError):
        match_batch([Seeker(id=1)], [Mentor(id=1, capacity=-1)])
    with pytest.raises(MatchingError):
        match_batch([Seeker(id=1), Seeker(id=1)], [Mentor(id=1)])


def test_batch_gives_the_contested_mentor_to_the_better_fit():
    mentor = Mentor(id=1, capacity=1, lived_experience=frozenset({"veteran"}))
    fallback = Mentor(id=2, capacity=1)
    veteran = Seeker(id=2, lived_experience=frozenset({"veteran"}))
    other = Seeker(id=1)
    result = match_batch([other, veteran], [mentor, fallback])
    assert result[2].mentor_id == 1 and result[1].mentor_id == 2


# --- Properties -----------------------------------------------------------------------------

LANGS = st.frozensets(st.sampled_from(["en", "es", "vi"]), max_size=2)
TAGS = st.frozensets(st.sampled_from(["parent", "veteran", "lgbtq", "justice"]), max_size=3)
PATHS = st.frozensets(st.sampled_from(["twelve_step", "smart", "faith", "mat"]), max_size=2)
INTERESTS = st.frozensets(st.sampled_from(["hiking", "cooking", "music", "art", "sports"]), max_size=4)
HOURS = st.frozensets(st.integers(0, HOURS_IN_WEEK - 1), max_size=12)
GENDER = st.sampled_from(["", "woman", "man", "nonbinary"])


@st.composite
def instances(draw):
    n_mentors = draw(st.integers(1, 6))
    n_seekers = draw(st.integers(0, 14))
    mentors = [
        Mentor(
            id=i + 1,
            person_id=100 + i,
            languages=draw(LANGS),
            gender=draw(st.sampled_from(["woman", "man", "nonbinary"])),
            pathways=draw(PATHS),
            lived_experience=draw(TAGS),
            interests=draw(INTERESTS),
            availability=draw(HOURS),
            capacity=draw(st.integers(0, 3)),
        )
        for i in range(n_mentors)
    ]
    seekers = [
        Seeker(
            id=j + 1,
            # Now and then a seeker is also a mentor's account: never matched with themself.
            person_id=draw(st.sampled_from([200 + j, 100, 101])),
            languages=draw(LANGS),
            gender=draw(GENDER),
            pathways=draw(PATHS),
            lived_experience=draw(TAGS),
            interests=draw(INTERESTS),
            availability=draw(HOURS),
            utc_offset_minutes=draw(st.sampled_from([CHICAGO, 0, 330])),
        )
        for j in range(n_seekers)
    ]
    return seekers, mentors


@settings(max_examples=300, deadline=None)
@given(instances())
def test_batch_keeps_capacity_and_hard_preferences_and_is_stable(instance):
    seekers, mentors = instance
    result = match_batch(seekers, mentors)
    assert capacity_respected(result, mentors)
    assert hard_preferences_respected(result, seekers, mentors)
    assert blocking_pairs(result, seekers, mentors) == []
    # Nobody is left out while an acceptable mentor still has a place.
    taken = {}
    for suggestion in result.values():
        taken[suggestion.mentor_id] = taken.get(suggestion.mentor_id, 0) + 1
    for seeker in seekers:
        if seeker.id not in result:
            for mentor in mentors:
                assert not (hard_preferences_met(seeker, mentor) and taken.get(mentor.id, 0) < mentor.capacity)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_explanations_name_real_reasons_and_add_up_to_the_score(instance):
    seekers, mentors = instance
    for seeker in seekers:
        for mentor in mentors:
            suggestion = score(seeker, mentor)
            if suggestion is None:
                assert not hard_preferences_met(seeker, mentor)
                continue
            assert suggestion.score == sum(r.points for r in suggestion.reasons) == pair_points(seeker, mentor)
            for reason in suggestion.reasons:
                assert reason.values, reason
                if reason.kind == "language":
                    assert set(reason.values) <= seeker.languages & mentor.languages
                elif reason.kind == "gender":
                    assert reason.values == (seeker.gender,) == (mentor.gender,)
                elif reason.kind == "pathway":
                    assert set(reason.values) <= seeker.pathways & mentor.pathways
                elif reason.kind == "lived":
                    assert set(reason.values) <= seeker.lived_experience & mentor.lived_experience
                elif reason.kind == "interests":
                    assert set(reason.values) <= seeker.interests & mentor.interests
                elif reason.kind == "availability":
                    assert len(seeker.availability & mentor.availability) >= 2
            text = explain(suggestion.reasons)
            assert bool(text) == bool(suggestion.reasons)
            if any(r.kind == "lived" and "parent" in r.values for r in suggestion.reasons):
                assert "also a parent" in text
