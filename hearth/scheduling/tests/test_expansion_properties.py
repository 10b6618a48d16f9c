"""Property: whatever the zone, start time and weekly rule, every occurrence starts at the
series' local time in the series' zone (except a start that falls in a spring-forward gap,
which does not exist that day and lands an hour later)."""

import datetime
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.scheduling.models import SessionSeries
from hearth.scheduling.services import local_to_utc, series_instants

ZONES = ["America/Chicago", "America/Los_Angeles", "America/New_York", "Europe/Madrid", "Australia/Sydney", "UTC"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.sampled_from([0, 15, 30, 45]),
    days=st.sets(st.sampled_from(DAYS), min_size=1, max_size=7),
    interval=st.integers(min_value=1, max_value=3),
    first=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31)),
)
def test_occurrences_hold_their_local_time(zone, hour, minute, days, interval, first):
    series = SessionSeries(
        time_zone=zone,
        start_time=datetime.time(hour, minute),
        duration_minutes=60,
        rrule=f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(sorted(days))}",
        dtstart=first,
    )
    tz = zoneinfo.ZoneInfo(zone)
    instants = series_instants(series, through=first + datetime.timedelta(days=400))
    assert instants, "a weekly rule always gives sessions within 400 days"
    assert instants == sorted(set(instants))
    for instant in instants:
        local = instant.astimezone(tz)
        assert local.strftime("%a")[:2].upper() in days
        if (local.hour, local.minute) != (hour, minute):
            # Only a non-existent wall time may move, and then by the size of the gap.
            wall = datetime.datetime.combine(local.date(), datetime.time(hour, minute))
            assert local_to_utc(wall, tz).astimezone(tz).replace(tzinfo=None) != wall
