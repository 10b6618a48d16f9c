"""Signals speak plain words in the reader's language, never their dotted source keys."""

import pytest
from django.utils import translation

from hearth.safety.sources import SOURCE_LABELS, source_label

pytestmark = pytest.mark.django_db


def test_every_known_source_has_words_and_a_longer_key_finds_its_prefix():
    for key in SOURCE_LABELS:
        assert "." not in source_label(key) or " " in source_label(key)
    assert source_label("checkins.note.active_ideation") == str(SOURCE_LABELS["checkins.note"])
    assert source_label("something.new") == "A safety signal"


def test_words_come_in_spanish_too():
    with translation.override("es"):
        assert source_label("intake.phq9.item9") != "PHQ-9 question 9 answered above 0 at intake"


def test_the_clinician_dashboard_shows_words_not_keys(world, client_for):
    page = client_for(world.clinician).get("/dashboard/").content.decode()
    assert "tests.world" not in page  # the world's signal source key
    assert "A safety signal" in page
