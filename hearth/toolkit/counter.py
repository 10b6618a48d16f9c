"""Sober days as local calendar days: pure arithmetic on dates, no clock and no database.

A run starts on the start date or on the day after a lapse and ends the day before the next
lapse (or today). Days in a run = full local days since it began, so the first day is day 0 and
the 24-hour milestone is reached on the next local day, whatever DST does to the clock."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

# (key, label, how far from the run's first day)
MILESTONES = [
    ("1d", _("24 hours"), relativedelta(days=1)),
    ("7d", _("7 days"), relativedelta(days=7)),
    ("30d", _("30 days"), relativedelta(days=30)),
    ("60d", _("60 days"), relativedelta(days=60)),
    ("90d", _("90 days"), relativedelta(days=90)),
    ("6m", _("6 months"), relativedelta(months=6)),
    ("1y", _("1 year"), relativedelta(years=1)),
]


@dataclass(frozen=True)
class Milestone:
    key: str
    label: object
    day: datetime.date


@dataclass(frozen=True)
class CounterStats:
    current: int  # days in the current run
    run_start: datetime.date
    total: int  # sober days over the whole journey, every run added up
    longest: int
    lapses: int
    reached: Milestone | None  # the latest milestone of the current run
    next: Milestone | None
    days_to_next: int | None
    celebrate_today: bool  # a milestone falls on today


def counter_stats(*, start: datetime.date, lapse_days: list[datetime.date], today: datetime.date) -> CounterStats:
    runs = []
    run_start = start
    for lapse in sorted(d for d in lapse_days if start <= d <= today):
        runs.append(max(0, (lapse - run_start).days))
        run_start = max(run_start, lapse + datetime.timedelta(days=1))
    current = max(0, (today - run_start).days)
    runs.append(current)
    reached = upcoming = None
    for key, label, delta in MILESTONES:
        milestone = Milestone(key=key, label=label, day=run_start + delta)
        if milestone.day <= today:
            reached = milestone
        elif upcoming is None:
            upcoming = milestone
    return CounterStats(
        current=current,
        run_start=run_start,
        total=sum(runs),
        longest=max(runs),
        lapses=len(runs) - 1,
        reached=reached,
        next=upcoming,
        days_to_next=(upcoming.day - today).days if upcoming else None,
        celebrate_today=reached is not None and reached.day == today,
    )
