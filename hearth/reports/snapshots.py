"""A program report as JSON and back, for the snapshot the periodic job stores (figures only)."""

import datetime

from .outcomes import RELIABLE_CHANGE
from .selectors import CensusWeek, Figure, MeasureChange, RateWeek, Report, Retention, Scope, Spread

RULES = {rule.measure.code: rule for rule in RELIABLE_CHANGE}
CENSUS_FIELDS = ("admissions", "completions", "discharges", "dropouts", "in_care")


def _figure(figure: Figure) -> list:
    return [figure.value, figure.n]


def _census(week: CensusWeek) -> list:
    return [week.week.isoformat(), *(getattr(week, name) for name in CENSUS_FIELDS)]


def _rates(series: list[RateWeek]) -> list:
    return [[w.week.isoformat(), _figure(w.rate), w.numerator, w.denominator] for w in series]


def encode(report: Report) -> dict:
    return {
        "people_in_care": report.people_in_care,
        "census": [_census(w) for w in report.census],
        "totals": _census(report.totals),
        "attendance": _rates(report.attendance),
        "attendance_total": _figure(report.attendance_total),
        "adherence": _rates(report.adherence),
        "adherence_total": _figure(report.adherence_total),
        "retention": [[r.days, r.eligible, r.retained] for r in report.retention],
        "measures": [
            [m.rule.measure.code, m.answered, m.compared, m.mean_first, m.mean_latest, m.mean_change, m.improved]
            for m in report.measures
        ],
        "engagement": [[e.name, e.people, e.total, e.low, e.median, e.high, e.most] for e in report.engagement],
    }


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def decode(data: dict, *, scope: Scope) -> Report:
    def census(row) -> CensusWeek:
        return CensusWeek(_day(row[0]), *row[1:])

    def rates(rows) -> list[RateWeek]:
        return [RateWeek(_day(week), Figure(*figure), numerator, den) for week, figure, numerator, den in rows]

    return Report(
        scope=scope,
        people_in_care=data["people_in_care"],
        census=[census(row) for row in data["census"]],
        totals=census(data["totals"]),
        attendance=rates(data["attendance"]),
        attendance_total=Figure(*data["attendance_total"]),
        adherence=rates(data["adherence"]),
        adherence_total=Figure(*data["adherence_total"]),
        retention=[Retention(*row) for row in data["retention"]],
        measures=[MeasureChange(RULES[code], *rest) for code, *rest in data["measures"] if code in RULES],
        engagement=[Spread(*row) for row in data["engagement"]],
    )
