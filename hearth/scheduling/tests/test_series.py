import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.audit.models import AuditEntry
from hearth.scheduling.models import Occurrence, SessionKind, SessionSeries
from hearth.scheduling.services import (
    EXPANSION_HORIZON_DAYS,
    occurrence_cancel,
    occurrence_move,
    occurrence_schedule,
    series_expand,
)
from hearth.scheduling.tasks import extend_series_nightly

from .helpers import evening_group

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
UTC = datetime.UTC


def _occurrence_on(series, day: datetime.date) -> Occurrence:
    for occurrence in series.occurrences.order_by("starts_at"):
        if occurrence.starts_at.astimezone(CHICAGO).date() == day:
            return occurrence
    raise AssertionError(f"no occurrence on {day}")


def test_expansion_keeps_local_time_across_both_2026_dst_changes(world):
    series = evening_group(world).obj
    # Thu 5 Mar (CST, UTC-6) and Mon 9 Mar (CDT, UTC-5) around the 8 March change;
    # Thu 29 Oct (CDT) and Mon 2 Nov (CST) around the 1 November change.
    expected_utc = {
        datetime.date(2026, 3, 5): datetime.datetime(2026, 3, 6, 0, 0, tzinfo=UTC),
        datetime.date(2026, 3, 9): datetime.datetime(2026, 3, 9, 23, 0, tzinfo=UTC),
        datetime.date(2026, 10, 29): datetime.datetime(2026, 10, 29, 23, 0, tzinfo=UTC),
        datetime.date(2026, 11, 2): datetime.datetime(2026, 11, 3, 0, 0, tzinfo=UTC),
    }
    for day, utc in expected_utc.items():
        occurrence = _occurrence_on(series, day)
        assert occurrence.starts_at == utc
        assert occurrence.ends_at - occurrence.starts_at == datetime.timedelta(hours=3)
    for occurrence in series.occurrences.all():
        local = occurrence.starts_at.astimezone(CHICAGO)
        assert (local.hour, local.minute) == (18, 0)
        assert local.weekday() in (0, 2, 3)
        # Someone in Los Angeles sees 16:00 on both sides of each change.
        assert occurrence.starts_at.astimezone(LOS_ANGELES).hour == 16


def test_expansion_count_and_idempotence(world):
    series = evening_group(world, until=None, count=6, dtstart=datetime.date(2026, 3, 2)).obj
    assert series.occurrences.count() == 6
    assert series_expand(series=series, through=datetime.date(2026, 12, 31)) == 0
    assert AuditEntry.objects.filter(action="scheduling.series.created", object_id=str(series.pk)).exists()


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=SOMETIMES;BYDAY=MO", "FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "not valid"),
        ("BYDAY=MO", "FREQ"),
        ("FREQ=WEEKLY;BYDAY", "NAME=VALUE"),
        ("FREQ=HOURLY", "FREQ"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "UNTIL"),
        ("", "Enter a recurrence rule"),
    ],
)
def test_invalid_rule_is_refused_and_nothing_is_created(world, rule, fragment):
    with pytest.raises(ValidationError) as exc:
        evening_group(world, rrule=rule)
    assert fragment in " ".join(exc.value.messages)
    assert not SessionSeries.objects.exists()
    assert not Occurrence.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="scheduling.").exists()


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        evening_group(world, dtstart=datetime.date(2026, 5, 1), until=datetime.date(2026, 4, 1))
    assert "before the first date" in " ".join(exc.value.messages)
    assert not SessionSeries.objects.exists()

    start = datetime.datetime(2026, 5, 4, 18, tzinfo=CHICAGO)
    with pytest.raises(ValidationError):
        occurrence_schedule(
            actor=world.clinician,
            program=world.program,
            kind=SessionKind.INDIVIDUAL_COUNSELLING,
            title="One to one",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            people=[world.participant],
        )
    assert not Occurrence.objects.exists()


def test_only_staff_of_the_program_can_schedule(world):
    for outsider in (world.participant, world.mentor, world.other_clinician):
        with pytest.raises(PermissionDenied):
            evening_group(world, actor=outsider)
    assert not SessionSeries.objects.exists()


def test_move_and_cancel_one_occurrence_leaves_the_series_alone(world):
    series = evening_group(world).obj
    total = series.occurrences.count()
    first, second = series.occurrences.order_by("starts_at")[:2]
    new_start = first.starts_at + datetime.timedelta(days=1)
    moved = occurrence_move(actor=world.clinician, occurrence=first, starts_at=new_start).obj
    assert moved.starts_at == new_start and moved.original_start != new_start and moved.was_moved
    assert moved.ends_at - moved.starts_at == datetime.timedelta(hours=3)
    occurrence_cancel(actor=world.clinician, occurrence=second)
    # Expanding again neither duplicates the moved one nor revives the cancelled one.
    assert series_expand(series=series, through=datetime.date(2026, 11, 30)) == 0
    assert series.occurrences.count() == total
    second.refresh_from_db()
    assert second.is_cancelled
    with pytest.raises(ValidationError):
        occurrence_cancel(actor=world.clinician, occurrence=second)
    with pytest.raises(PermissionDenied):
        occurrence_move(actor=world.other_clinician, occurrence=first, starts_at=new_start)
    assert AuditEntry.objects.filter(action="scheduling.occurrence.moved").count() == 1
    assert AuditEntry.objects.filter(action="scheduling.occurrence.cancelled").count() == 1


def test_double_booked_clinician_gets_a_warning(world):
    evening_group(world)
    result = evening_group(
        world,
        title="Relapse prevention",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        start_time=datetime.time(20, 0),
        duration_minutes=60,
    )
    assert result.warnings
    assert "Clinician" in result.warnings[0] and "Evening group" in result.warnings[0]
    no_clash = evening_group(world, title="Morning", start_time=datetime.time(9, 0), duration_minutes=60)
    assert no_clash.warnings == []


def test_nightly_job_extends_open_ended_series_to_the_horizon(world):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
        series = evening_group(world, until=None, expand_through=None).obj
        first_batch = series.occurrences.count()
        assert series.expanded_through == datetime.date(2026, 3, 1) + datetime.timedelta(days=EXPANSION_HORIZON_DAYS)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=UTC), tick=False):
        extend_series_nightly.call_local()
        series.refresh_from_db()
        assert series.occurrences.count() > first_batch
        assert series.expanded_through == datetime.date(2026, 4, 1) + datetime.timedelta(days=EXPANSION_HORIZON_DAYS)
        # Running again writes nothing new.
        assert extend_series_nightly.call_local() == 0
    assert AuditEntry.objects.filter(action="scheduling.series.extended", object_id=str(series.pk)).exists()


def test_a_long_running_daily_series_keeps_extending_past_the_per_run_cap(world):
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=UTC), tick=False):
        series = evening_group(
            world, rrule="FREQ=DAILY", dtstart=datetime.date(2026, 1, 1), until=None, expand_through=None
        ).obj
        assert series.occurrences.count() == 183  # 1 Jan through the 182-day horizon
    with time_machine.travel(datetime.datetime(2028, 1, 1, 12, tzinfo=UTC), tick=False):
        for _night in range(5):
            extend_series_nightly.call_local()
        latest = series.occurrences.order_by("-starts_at").first()
        assert latest.starts_at.astimezone(CHICAGO).date() == datetime.date(2028, 1, 1) + datetime.timedelta(
            days=EXPANSION_HORIZON_DAYS
        )
        assert series.occurrences.count() == series.occurrences.values("original_start").distinct().count()
