"""The one way an app screens what a person wrote: the most severe finding becomes a signal after
the write commits; a failure to raise never reaches the writer."""

import pytest
from django.db import transaction

from hearth.safety.models import SafetySignal
from hearth.safety.services import free_text_screen

pytestmark = pytest.mark.django_db(transaction=True)


def _signals(person):
    return list(SafetySignal.objects.filter(person=person, source="tests.screen").values_list("severity", flat=True))


def test_the_most_severe_finding_is_raised_once_after_commit(world):
    with transaction.atomic():
        found = free_text_screen(
            person=world.participant,
            source="tests.screen",
            texts=["used this morning", "", "i have the pills saved up and im taking them all tonight"],
        )
        assert _signals(world.participant) == []  # nothing before the write commits
    assert found.severity == "urgent"
    assert _signals(world.participant) == ["urgent"]


def test_a_negated_statement_goes_on_the_timeline_unless_only_alerts_are_wanted(world):
    text = "I'm not going to hurt myself"
    assert free_text_screen(person=world.participant, source="tests.screen", texts=[text], alerting_only=True) is None
    assert _signals(world.participant) == []
    assert free_text_screen(person=world.participant, source="tests.screen", texts=[text]).severity == "low"
    assert _signals(world.participant) == ["low"]


def test_plain_words_raise_nothing(world):
    assert free_text_screen(person=world.participant, source="tests.screen", texts=["Good group tonight!"]) is None
    assert _signals(world.participant) == []


def test_a_failure_to_raise_is_logged_and_the_write_stands(world, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("the notification service is down")

    monkeypatch.setattr("hearth.safety.services.safety_signal_raise", broken)
    with transaction.atomic():
        free_text_screen(person=world.participant, source="tests.screen", texts=["kms"])
    assert "raising a signal from tests.screen failed" in caplog.text
