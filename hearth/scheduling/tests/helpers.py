"""Builders shared by the scheduling tests."""

import datetime

from hearth.scheduling.models import SessionKind
from hearth.scheduling.services import series_create

EVENING_RULE = "FREQ=WEEKLY;BYDAY=MO,WE,TH"


def evening_group(world, **overrides):
    """The Mon/Wed/Thu 18:00–21:00 America/Chicago group of the world's cohort, hosted by its clinician."""
    options = {
        "actor": world.admin,
        "program": world.program,
        "kind": SessionKind.GROUP_THERAPY,
        "title": "Evening group",
        "time_zone": "America/Chicago",
        "start_time": datetime.time(18, 0),
        "duration_minutes": 180,
        "rrule": EVENING_RULE,
        "dtstart": datetime.date(2026, 3, 2),
        "until": datetime.date(2026, 11, 30),
        "hosts": [world.clinician],
        "cohort": world.cohort,
        "expand_through": datetime.date(2026, 11, 30),
    }
    options.update(overrides)
    return series_create(**options)
