"""The report's tables as rows of cells, shared by the page, the CSV exports and the PDF.

A cell that is a ``Figure`` knows how many people it is about; an export shared outside the care
team shows "suppressed" for any figure about 1-4 people (small numbers can name a person).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import radar
from .outcomes import SMALL_GROUP
from .selectors import Figure, RadarRow, Report

SUPPRESSED = "suppressed"
ENGAGEMENT_LABELS = {
    "sessions": gettext_lazy("Sessions attended"),
    "messages": gettext_lazy("Messages sent"),
    "posts": gettext_lazy("Community posts and replies"),
    "mentor": gettext_lazy("Mentor contacts"),
}
# On the chart's narrow axis (the table under it has the full names).
ENGAGEMENT_SHORT = {
    "sessions": gettext_lazy("Sessions"),
    "messages": gettext_lazy("Messages"),
    "posts": gettext_lazy("Posts"),
    "mentor": gettext_lazy("Mentor"),
}


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list]
    per_person: bool = False


def _percent(figure: Figure) -> Figure:
    return Figure(figure.percent, figure.n)


def _count(value: int) -> Figure:
    return Figure(value, value)


def report_tables(report: Report) -> dict[str, Table]:
    census = Table(
        "census",
        _("Census by week"),
        [_("Week of"), _("Admissions"), _("Completions"), _("Discharges"), _("Drop-outs"), _("In care")],
        [
            [
                w.week.isoformat(),
                *(_count(v) for v in (w.admissions, w.completions, w.discharges, w.dropouts, w.in_care)),
            ]
            for w in report.census
        ],
    )
    attendance = Table(
        "attendance",
        _("Attendance by week"),
        [_("Week of"), _("Sessions attended"), _("Sessions expected"), _("Attendance rate (%)")],
        [
            [w.week.isoformat(), Figure(w.numerator, w.rate.n), Figure(w.denominator, w.rate.n), _percent(w.rate)]
            for w in report.attendance
        ],
    )
    adherence = Table(
        "adherence",
        _("Check-in adherence by week"),
        [_("Week of"), _("Days checked in"), _("Days in care"), _("Adherence (%)")],
        [
            [w.week.isoformat(), Figure(w.numerator, w.rate.n), Figure(w.denominator, w.rate.n), _percent(w.rate)]
            for w in report.adherence
        ],
    )
    retention = Table(
        "retention",
        _("Retention after admission"),
        [
            _("Days after admission"),
            _("People admitted long enough ago"),
            _("Still in care or completed"),
            _("Retention (%)"),
        ],
        [[r.days, _count(r.eligible), _count(r.retained), _percent(r.rate)] for r in report.retention],
    )
    measures = Table(
        "measures",
        _("Change from first answer"),
        [
            _("Measure"),
            _("People with an answer"),
            _("People with two or more"),
            _("Mean first score"),
            _("Mean latest score"),
            _("Mean change"),
            _("Threshold (points)"),
            _("Reliably improved (%)"),
        ],
        [
            [
                str(m.rule.measure.name),
                _count(m.answered),
                _count(m.compared),
                Figure(m.mean_first, m.compared),
                Figure(m.mean_latest, m.compared),
                Figure(m.mean_change, m.compared),
                m.rule.points,
                _percent(m.improved_share),
            ]
            for m in report.measures
        ],
    )
    engagement = Table(
        "engagement",
        _("Engagement per person per week in care"),
        [
            _("Activity"),
            _("People"),
            _("Lower quartile"),
            _("Median"),
            _("Upper quartile"),
            _("Most"),
            _("Total in range"),
        ],
        [
            [
                str(ENGAGEMENT_LABELS[e.name]),
                _count(e.people),
                e.figure(e.low),
                e.figure(e.median),
                e.figure(e.high),
                e.figure(e.most),
                e.figure(e.total),
            ]
            for e in report.engagement
        ],
    )
    return {t.name: t for t in (census, attendance, adherence, retention, measures, engagement)}


def radar_table(rows: list[RadarRow]) -> Table:
    columns = [_("Rank"), _("Person"), _("Days with contact (4 weeks)"), _("Days since last contact")]
    columns += [f"{radar.CHANNEL_LABELS[c]} ({_('per week')})" for c in radar.CHANNELS]
    columns += [_("Latest UCLA-3"), _("Why")]
    return Table(
        "radar",
        _("Isolation radar"),
        columns,
        [
            [
                rank,
                row.person.display_name,
                row.contact_days,
                "" if row.days_since_contact is None else row.days_since_contact,
                *(" ".join(str(n) for n in row.weeks[c]) for c in radar.CHANNELS),
                "" if row.ucla_total is None else row.ucla_total,
                radar.summary(row),
            ]
            for rank, row in enumerate(rows, start=1)
        ],
        per_person=True,
    )


def cell_text(cell, *, shared: bool) -> str:
    """What a cell says in an export; ``shared`` hides figures about fewer than five people."""
    if isinstance(cell, Figure):
        if shared and 0 < cell.n < SMALL_GROUP:
            return SUPPRESSED
        if cell.value is None:
            return ""
        return f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)
    return str(cell)
