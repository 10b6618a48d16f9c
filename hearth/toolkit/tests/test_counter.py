"""The sober-days counter: local days in the person's zone, across lapses, DST and time zones."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hearth.toolkit.counter import counter_stats
from hearth.toolkit.models import Lapse, SoberCounter
from hearth.toolkit.selectors import counter_for_owner
from hearth.toolkit.services import counter_start, counter_turn_off, lapse_record

D = datetime.date
UTC = datetime.UTC


def test_first_day_is_day_zero_and_24_hours_is_the_next_local_day():
    stats = counter_stats(start=D(2026, 1, 10), lapse_days=[], today=D(2026, 1, 10))
    assert (stats.current, stats.total, stats.longest, stats.reached) == (0, 0, 0, None)
    assert stats.next.key == "1d" and stats.days_to_next == 1
    stats = counter_stats(start=D(2026, 1, 10), lapse_days=[], today=D(2026, 1, 11))
    assert stats.current == 1 and stats.reached.key == "1d" and stats.celebrate_today


@pytest.mark.parametrize(
    ("today", "key"),
    [
        (D(2026, 1, 8), "7d"),
        (D(2026, 1, 31), "30d"),
        (D(2026, 3, 2), "60d"),
        (D(2026, 4, 1), "90d"),
        (D(2026, 7, 1), "6m"),
        (D(2027, 1, 1), "1y"),
    ],
)
def test_milestones_are_celebrated_on_their_day(today, key):
    stats = counter_stats(start=D(2026, 1, 1), lapse_days=[], today=today)
    assert stats.reached.key == key and stats.celebrate_today
    day_after = counter_stats(start=D(2026, 1, 1), lapse_days=[], today=today + datetime.timedelta(days=1))
    assert day_after.reached.key == key and not day_after.celebrate_today


def test_a_lapse_keeps_total_and_longest_run():
    # 1 Jan → lapse on 11 Jan (10 days), then from 12 Jan → lapse 15 Jan (3 days), then 16 → 20 Jan (4 days).
    stats = counter_stats(start=D(2026, 1, 1), lapse_days=[D(2026, 1, 15), D(2026, 1, 11)], today=D(2026, 1, 20))
    assert stats.current == 4
    assert stats.run_start == D(2026, 1, 16)
    assert stats.total == 17
    assert stats.longest == 10
    assert stats.lapses == 2
    assert stats.reached.key == "1d" and stats.next.key == "7d" and stats.days_to_next == 3


def test_a_lapse_today_starts_again_tomorrow_without_negative_days():
    stats = counter_stats(start=D(2026, 1, 1), lapse_days=[D(2026, 1, 5)], today=D(2026, 1, 5))
    assert stats.current == 0 and stats.total == 4 and stats.longest == 4


@pytest.fixture
def person(world):
    return world.participant


def test_counter_is_off_by_default(person):
    assert counter_for_owner(viewer=person) == (None, None)


def test_days_are_local_days_in_the_persons_zone(person):
    person.time_zone = "America/Chicago"
    person.save(update_fields=["time_zone"])
    with time_machine.travel(datetime.datetime(2026, 1, 10, 18, 0, tzinfo=UTC), tick=False):  # noon in Chicago
        counter_start(actor=person, start_date=D(2026, 1, 10))
    # 05:59 UTC on 11 Jan is still 23:59 on 10 Jan in Chicago: day 0.
    with time_machine.travel(datetime.datetime(2026, 1, 11, 5, 59, tzinfo=UTC), tick=False):
        assert counter_for_owner(viewer=person)[1].current == 0
    with time_machine.travel(datetime.datetime(2026, 1, 11, 6, 1, tzinfo=UTC), tick=False):
        assert counter_for_owner(viewer=person)[1].current == 1
    # The same instant is already 11 Jan in Tokyo; the count follows the zone the person lives in.
    person.time_zone = "Asia/Tokyo"
    person.save(update_fields=["time_zone"])
    with time_machine.travel(datetime.datetime(2026, 1, 10, 15, 1, tzinfo=UTC), tick=False):  # 00:01 11 Jan in Tokyo
        assert counter_for_owner(viewer=person)[1].current == 1


def test_a_short_dst_night_still_counts_as_a_whole_day(person):
    person.time_zone = "America/Chicago"
    person.save(update_fields=["time_zone"])
    # Clocks spring forward at 02:00 on 8 Mar 2026: the local day is 23 hours long.
    with time_machine.travel(datetime.datetime(2026, 3, 8, 6, 30, tzinfo=UTC), tick=False):  # 00:30 CST
        counter_start(actor=person, start_date=D(2026, 3, 8))
    with time_machine.travel(datetime.datetime(2026, 3, 9, 5, 1, tzinfo=UTC), tick=False):  # 00:01 CDT on 9 Mar
        stats = counter_for_owner(viewer=person)[1]
    assert stats.current == 1 and stats.reached.key == "1d"
    # And falling back (1 Nov 2026, a 25-hour day) does not count an extra day.
    with time_machine.travel(datetime.datetime(2026, 11, 2, 5, 59, tzinfo=UTC), tick=False):  # 23:59 CST on 1 Nov
        assert counter_for_owner(viewer=person)[1].current == (D(2026, 11, 1) - D(2026, 3, 8)).days


def test_lapse_across_time_zones_and_turning_off_keeps_everything(person):
    person.time_zone = "America/Los_Angeles"
    person.save(update_fields=["time_zone"])
    with time_machine.travel(datetime.datetime(2026, 2, 1, 20, 0, tzinfo=UTC), tick=False):
        counter_start(actor=person, start_date=D(2026, 1, 1))
        lapse_record(actor=person, local_date=D(2026, 1, 21), note="A hard weekend", share=False)
        stats = counter_for_owner(viewer=person)[1]
    assert (stats.current, stats.total, stats.longest) == (10, 30, 20)
    counter_turn_off(actor=person)
    assert counter_for_owner(viewer=person)[1] is None
    assert Lapse.objects.filter(person=person).count() == 1
    with time_machine.travel(datetime.datetime(2026, 2, 1, 20, 0, tzinfo=UTC), tick=False):
        counter_start(actor=person, start_date=D(2026, 1, 1))
        assert counter_for_owner(viewer=person)[1].total == 30


def test_start_date_in_the_future_is_refused_and_changes_nothing(person):
    person.time_zone = "America/Chicago"
    person.save(update_fields=["time_zone"])
    # 03:00 UTC on 11 Jan is still 10 Jan in Chicago: 11 Jan is the future there.
    with time_machine.travel(datetime.datetime(2026, 1, 11, 3, 0, tzinfo=UTC), tick=False):
        with pytest.raises(ValidationError) as error:
            counter_start(actor=person, start_date=D(2026, 1, 11))
    assert "start_date" in error.value.message_dict
    assert not SoberCounter.objects.filter(person=person).exists()


def test_lapse_before_the_start_or_in_the_future_is_refused(person):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 18, 0, tzinfo=UTC), tick=False):
        counter_start(actor=person, start_date=D(2026, 1, 10))
        for day in (D(2026, 1, 9), D(2026, 2, 3)):
            with pytest.raises(ValidationError) as error:
                lapse_record(actor=person, local_date=day)
            assert "local_date" in error.value.message_dict
    assert not Lapse.objects.exists()


def test_lapse_without_a_counter_is_refused(person):
    with pytest.raises(ValidationError):
        lapse_record(actor=person, local_date=datetime.date.today())
    assert not Lapse.objects.exists()


def test_moving_the_start_after_a_recorded_lapse_is_refused(person):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 18, 0, tzinfo=UTC), tick=False):
        counter_start(actor=person, start_date=D(2026, 1, 1))
        lapse_record(actor=person, local_date=D(2026, 1, 15))
        with pytest.raises(ValidationError):
            counter_start(actor=person, start_date=D(2026, 1, 20))
    assert SoberCounter.objects.get(person=person).start_date == D(2026, 1, 1)
