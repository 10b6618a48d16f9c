"""AUDIT-C and DAST-10 scored by their published rules (PHQ-9 and GAD-7: hearth/checkins/tests)."""

import pytest
from django.core.exceptions import ValidationError

from hearth.checkins.measures import AUDITC, DAST10, GAD7, PHQ9, SCREENERS, score

YES, NO = 1, 0


@pytest.mark.parametrize(
    ("answers", "sex", "total", "positive", "band"),
    [
        ([0, 0, 0], "male", 0, False, "Low risk"),
        ([1, 1, 1], "male", 3, False, "Low risk"),  # men: positive from 4
        ([1, 1, 1], "female", 3, True, "Low risk"),  # women: positive from 3
        ([1, 1, 1], "", 3, True, "Low risk"),  # sex not given: the lower cut-off
        ([2, 1, 1], "male", 4, True, "Moderate risk"),
        ([3, 2, 2], "male", 7, True, "High risk"),
        ([4, 4, 4], "female", 12, True, "Severe risk"),
    ],
)
def test_audit_c(answers, sex, total, positive, band):
    result = score(AUDITC, answers, sex=sex)
    assert result.total == total
    assert result.positive is positive
    assert str(result.band.label) == band


def test_audit_c_items_have_their_own_published_choices():
    assert [label for _v, label in AUDITC.options_for(0)][-1] == "4 or more times a week"
    assert AUDITC.options_for(1)[0][1] == "1 or 2"
    assert AUDITC.min_total == 0 and AUDITC.max_total == 12


def test_dast_10_item_3_scores_for_no():
    # Answering "no" to everything scores 1: "no" to "always able to stop" is the one point.
    assert score(DAST10, [NO] * 10).total == 1
    # "Yes" to everything scores 9: "yes" to item 3 scores 0.
    assert score(DAST10, [YES] * 10).total == 9
    no_problems = [NO, NO, YES, NO, NO, NO, NO, NO, NO, NO]
    assert score(DAST10, no_problems).total == 0
    assert str(score(DAST10, no_problems).band.label) == "No problems reported"


@pytest.mark.parametrize(
    ("yes_items", "able_to_stop", "total", "band"),
    [
        ({1}, True, 1, "Low level"),
        ({1, 2}, True, 2, "Low level"),
        ({1, 2}, False, 3, "Moderate level"),
        ({1, 2, 4, 5, 6}, False, 6, "Substantial level"),
        ({1, 2, 4, 5, 6, 7, 8, 9, 10}, False, 10, "Severe level"),
    ],
)
def test_dast_10_bands(yes_items, able_to_stop, total, band):
    answers = [YES if i in yes_items else NO for i in range(1, 11)]
    answers[2] = YES if able_to_stop else NO
    result = score(DAST10, answers)
    assert (result.total, str(result.band.label)) == (total, band)
    assert result.positive is None


@pytest.mark.parametrize("measure", list(SCREENERS.values()))
def test_every_total_has_exactly_one_band(measure):
    for total in range(measure.min_total, measure.max_total + 1):
        assert sum(b.low <= total <= b.high for b in measure.bands) == 1


@pytest.mark.parametrize(
    ("measure", "answers"),
    [(AUDITC, [5, 0, 0]), (AUDITC, [0, 0]), (DAST10, [2] + [0] * 9), (DAST10, [True] * 10), (GAD7, [0] * 9)],
)
def test_out_of_range_answers_are_refused(measure, answers):
    with pytest.raises(ValidationError):
        score(measure, answers)


def test_phq9_and_gad7_are_the_check_in_definitions():
    assert SCREENERS["phq9"] is PHQ9 and SCREENERS["gad7"] is GAD7
    assert score(PHQ9, [0] * 8 + [1]).item9_positive
