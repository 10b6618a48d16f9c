"""The program report as a PDF, drawn by ReportLab on the server (no browser needed)."""

import io
import math
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .outcomes import SMALL_GROUP
from .selectors import Figure, Report
from .tables import ENGAGEMENT_LABELS, SUPPRESSED, cell_text, report_tables

# DejaVu covers Spanish and typographic marks; where it is missing, ReportLab's Helvetica will do.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PALETTE = [colors.HexColor(c) for c in ("#7a3e1d", "#2f6f6a", "#b08a2e", "#5a4a78", "#8c8c8c")]


def _fonts() -> tuple[str, str]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "HearthSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("HearthSans", str(regular)))
        pdfmetrics.registerFont(TTFont("HearthSans-Bold", str(bold)))
    return "HearthSans", "HearthSans-Bold"


def _bars(labels: list[str], series: list[tuple[str, list]], *, high: float, font: str) -> Drawing:
    drawing = Drawing(170 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 115 * mm, 42 * mm
    chart.data = [[v if v is not None else 0 for v in values] for _name, values in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = high or 1
    chart.valueAxis.valueStep = 20 if high >= 100 else max(1, round((high or 1) / 4))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = 132 * mm, 48 * mm
        legend.fontName, legend.fontSize = font, 7
        legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _v) in enumerate(series)]
        drawing.add(legend)
    return drawing


def program_report_pdf(report: Report, *, shared: bool, author: str) -> bytes:
    font, bold = _fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = bold if style.name.startswith(("Heading", "Title")) else font
    small = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9)
    small_bold = ParagraphStyle("head", parent=small, fontName=bold)
    scope = report.scope
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Program report: %(program)s") % {"program": scope.program.name},
        author=author,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
    )
    story = [
        Paragraph(_("Program report: %(program)s") % {"program": scope.program.name}, styles["Title"]),
        Paragraph(
            _("%(cohort)s · %(start)s to %(end)s · made %(made)s")
            % {
                "cohort": scope.cohort.name if scope.cohort else _("All cohorts"),
                "start": scope.start.isoformat(),
                "end": scope.end.isoformat(),
                "made": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            styles["Normal"],
        ),
    ]
    if shared:
        story.append(
            Paragraph(
                _("Shared outside the care team: figures about fewer than five people say “%(word)s”.")
                % {"word": SUPPRESSED},
                styles["Italic"],
            )
        )
    else:
        story.append(Paragraph(_("For the care team only: it may describe small groups."), styles["Italic"]))
    story.append(Spacer(1, 4 * mm))

    def visible(figure):
        return None if shared and 0 < figure.n < SMALL_GROUP else figure.value

    weeks = [date_format(w.week, "M d") for w in report.census]  # month names in the reader's language
    charts = {
        "census": _bars(
            weeks,
            [
                (_("Admissions"), [visible(_n(w.admissions)) for w in report.census]),
                (_("Completions"), [visible(_n(w.completions)) for w in report.census]),
                (_("Discharges"), [visible(_n(w.discharges)) for w in report.census]),
            ],
            high=max([w.admissions for w in report.census] + [w.completions for w in report.census] + [1]) + 1,
            font=font,
        ),
        "attendance": _bars(
            weeks, [(_("Attendance (%)"), [visible(_p(w.rate)) for w in report.attendance])], high=100, font=font
        ),
        "adherence": _bars(
            weeks, [(_("Adherence (%)"), [visible(_p(w.rate)) for w in report.adherence])], high=100, font=font
        ),
        "retention": _bars(
            [_("%(days)d days") % {"days": r.days} for r in report.retention],
            [(_("Retention (%)"), [visible(_p(r.rate)) for r in report.retention])],
            high=100,
            font=font,
        ),
        "measures": _bars(
            [m.rule.short for m in report.measures],
            [(_("Reliably improved (%)"), [visible(_p(m.improved_share)) for m in report.measures])],
            high=100,
            font=font,
        ),
        "engagement": _bars(
            [str(ENGAGEMENT_LABELS[e.name]) for e in report.engagement],
            [
                (_("Lower quartile"), [visible(e.figure(e.low)) for e in report.engagement]),
                (_("Median"), [visible(e.figure(e.median)) for e in report.engagement]),
                (_("Upper quartile"), [visible(e.figure(e.high)) for e in report.engagement]),
            ],
            high=math.ceil(max([e.high or 0 for e in report.engagement] + [1])),
            font=font,
        ),
    }
    for name, table in report_tables(report).items():
        header = [Paragraph(str(column), small_bold) for column in table.columns]
        body = [
            [Paragraph(str(row[0]), small), *(cell_text(cell, shared=shared) for cell in row[1:])] for row in table.rows
        ]
        first = doc.width * 0.2
        rest = (doc.width - first) / max(len(table.columns) - 1, 1)
        grid = Table(
            [header, *body], repeatRows=1, hAlign="LEFT", colWidths=[first] + [rest] * (len(table.columns) - 1)
        )
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 7.5),
                    ("FONT", (0, 0), (-1, 0), bold, 7.5),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4efe9")]),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        story.append(KeepTogether([Paragraph(table.title, styles["Heading2"]), charts[name], grid]))
        story.append(Spacer(1, 5 * mm))
    doc.build(story)
    return buffer.getvalue()


def _n(count: int) -> Figure:
    return Figure(count, count)


def _p(figure: Figure) -> Figure:
    return Figure(figure.percent, figure.n)
