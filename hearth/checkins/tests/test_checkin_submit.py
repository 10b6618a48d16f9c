import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn
from hearth.checkins.services import checkin_submit, local_today
from hearth.safety.models import SafetySignal

pytestmark = pytest.mark.django_db

# 23:30 in Chicago on 10 March 2026 is already 11 March in UTC.
LATE_EVENING = datetime.datetime(2026, 3, 11, 4, 30, tzinfo=datetime.UTC)


def answers(**overrides) -> dict:
    values = {
        "mood": 6,
        "craving": 3,
        "sleep_hours": "7.5",
        "sleep_quality": "good",
        "used": False,
        "triggers": ["stress"],
        "connections": ["peer"],
        "note": "",
    }
    values.update(overrides)
    return values


def submit(world, person=None, actor=None, **overrides):
    person = person or world.participant
    day = overrides.pop("local_date", None) or local_today(person)
    return checkin_submit(actor=actor or person, person=person, local_date=day, **answers(**overrides))


def test_one_per_local_day_in_the_persons_zone(world):
    with time_machine.travel(LATE_EVENING, tick=False):
        checkin = submit(world)
    assert checkin.local_date == datetime.date(2026, 3, 10)
    assert checkin.sleep_hours == Decimal("7.5")
    assert AuditEntry.objects.filter(action="checkins.checkin.submitted", subject=world.participant).count() == 1


def test_the_same_day_can_be_edited_and_a_stale_form_is_refused(world):
    first = submit(world)
    edited = checkin_submit(
        actor=world.participant,
        person=world.participant,
        local_date=first.local_date,
        expected_version=1,
        **answers(mood=8),
    )
    assert (edited.pk, edited.mood, edited.version) == (first.pk, 8, 2)
    # A second "new" form for the same day (opened before the first was saved):
    with pytest.raises(ValidationError, match="already checked in"):
        submit(world, mood=2)
    # An edit form opened at version 1, after the version-2 edit:
    with pytest.raises(ValidationError):
        checkin_submit(
            actor=world.participant,
            person=world.participant,
            local_date=first.local_date,
            expected_version=1,
            **answers(mood=1),
        )
    checkin = CheckIn.objects.get()
    assert (checkin.mood, checkin.version) == (8, 2)


@pytest.mark.parametrize(
    "bad",
    [
        {"mood": 0},
        {"mood": 11},
        {"craving": -1},
        {"craving": 11},
        {"sleep_hours": "25"},
        {"sleep_hours": "-1"},
        {"sleep_hours": "lots"},
        {"sleep_quality": "amazing"},
        {"triggers": ["moon"]},
        {"connections": ["no_one", "peer"]},
        {"connections": ["cat"]},
        {"used": False, "used_what": "alcohol"},
    ],
)
def test_out_of_range_values_change_nothing(world, bad):
    with pytest.raises(ValidationError):
        submit(world, **bad)
    assert not CheckIn.objects.exists()


def test_future_and_too_old_days_are_refused(world):
    today = local_today(world.participant)
    with pytest.raises(ValidationError, match="not come yet"):
        submit(world, local_date=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="too long ago"):
        submit(world, local_date=today - datetime.timedelta(days=10))
    assert not CheckIn.objects.exists()
    submit(world, local_date=today - datetime.timedelta(days=1))  # yesterday, late: fine


def test_nobody_checks_in_for_someone_else(world):
    for actor in (world.other_participant, world.clinician, world.family_with_consent):
        with pytest.raises(PermissionDenied):
            submit(world, actor=actor)
    with pytest.raises(PermissionDenied):
        submit(world, person=world.clinician)  # staff are not participants
    assert not CheckIn.objects.exists()


def test_reported_use_raises_one_high_signal_and_editing_does_not_repeat_it(world):
    before = SafetySignal.objects.count()
    checkin = submit(world, used=True, used_what="alcohol")
    signals = SafetySignal.objects.filter(source="checkins.use_reported")
    assert signals.count() == 1 and signals.get().severity == "high"
    checkin_submit(
        actor=world.participant,
        person=world.participant,
        local_date=checkin.local_date,
        expected_version=1,
        **answers(used=True, used_what="alcohol", mood=4),
    )
    assert SafetySignal.objects.count() == before + 1


def test_crisis_words_in_the_note_raise_an_urgent_signal_through_safety_detection(world):
    submit(world, note="Honestly I want to die some days")
    signal = SafetySignal.objects.get(source="checkins.note.active_ideation")
    assert signal.severity == "urgent"
    assert "want to die" in signal.evidence


def test_a_negated_statement_is_kept_on_the_timeline_and_alerts_no_one(world):
    from hearth.notifications.models import Notification

    before = Notification.objects.filter(kind="safety.signal").count()
    checkin = submit(world, note="I'm not going to hurt myself, I just needed to say it")
    assert checkin.pk is not None and "not going to hurt" in checkin.note
    signal = SafetySignal.objects.get(person=world.participant, source__startswith="checkins.note")
    assert signal.severity == "low" and signal.next_escalation_at is None
    assert Notification.objects.filter(kind="safety.signal").count() == before


def test_note_and_what_was_used_are_encrypted_at_rest(world):
    from django.db import connection

    submit(world, used=True, used_what="pills", note="a private thought")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note, used_what FROM checkins_checkin")
        note, used_what = cursor.fetchone()
    assert "private" not in note and "pills" not in used_what
