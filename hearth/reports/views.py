import csv
import datetime
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hearth.audit.services import audit_record
from hearth.checkins.charts import bar_chart, line_chart
from hearth.core.decorators import permission_required

from . import radar, selectors, snapshots
from .charts import spread_chart
from .forms import ReportFilterForm
from .outcomes import SMALL_GROUP
from .pdf import program_report_pdf as render_pdf
from .selectors import (
    RADAR_WEEKS,
    Report,
    cohorts_for_reports,
    programs_for_reports,
    scope_for_viewer,
    tracks_for_reports,
)
from .services import report_snapshot_refresh
from .tables import ENGAGEMENT_SHORT, cell_text, radar_table, report_tables

# The page lists the people most alone first; everyone is in the CSV.
RADAR_SHOWN = 50
# The periodic job counts every 15 minutes; older figures (the job stopped) are counted on request.
SNAPSHOT_MAX_AGE = datetime.timedelta(hours=1)
EXPORTABLE = ("census", "attendance", "adherence", "retention", "measures", "engagement", "radar")


def _filters(request, *, with_dates: bool = True):
    """The filter form and the scope it names; (form, None) when the input is wrong."""
    programs = list(programs_for_reports(viewer=request.user))
    if not programs:
        raise PermissionDenied
    cohorts = list(cohorts_for_reports(viewer=request.user))
    tracks = list(tracks_for_reports(viewer=request.user))
    form = ReportFilterForm(
        request.GET or None, programs=programs, cohorts=cohorts, tracks=tracks, with_dates=with_dates
    )
    if request.GET and not form.is_valid():
        # An unknown program id is one the viewer may not know of: 404, as for any object.
        if "program" in form.errors:
            raise Http404
        return form, None
    if not request.GET:
        form.cleaned_data = {"program": programs[0], "cohort": None, "track": None}
    program, cohort, track = form.cleaned_data["program"], form.cleaned_data["cohort"], form.cleaned_data["track"]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()
    start, end = form.dates(today) if with_dates else (today, today)
    scope = scope_for_viewer(viewer=request.user, program=program, cohort=cohort, track=track, start=start, end=end)
    shown = ReportFilterForm(
        initial={
            "program": program.pk,
            "cohort": cohort.pk if cohort else "",
            "track": track.pk if track else "",
            "start": start,
            "end": end,
        },
        programs=programs,
        cohorts=cohorts,
        tracks=tracks,
        with_dates=with_dates,
    )
    return shown, scope


def _query(scope, **extra) -> str:
    parts = {"program": scope.program.pk, "start": scope.start.isoformat(), "end": scope.end.isoformat()}
    if scope.cohort is not None:
        parts["cohort"] = scope.cohort.pk
    if scope.track is not None:
        parts["track"] = scope.track.pk
    parts.update(extra)
    return "&".join(f"{k}={v}" for k, v in parts.items())


def _scope_data(scope) -> dict:
    return {"cohort": scope.cohort.pk if scope.cohort else None, "track": scope.track.pk if scope.track else None}


def _charts(report: Report) -> dict:
    weeks = [date_format(w.week, "M d") for w in report.census]  # month names in the reader's language
    census_high = max([max(w.admissions, w.completions, w.discharges) for w in report.census] + [1])
    census_high += census_high % 2  # even, so the middle gridline is a whole number of people
    in_care_high = max([w.in_care for w in report.census] + [1])
    in_care_high += in_care_high % 2
    return {
        "census": bar_chart(
            weeks,
            [
                (_("Admissions"), [w.admissions for w in report.census]),
                (_("Completions"), [w.completions for w in report.census]),
                (_("Discharges"), [w.discharges for w in report.census]),
            ],
            high=census_high,
            title=_("Admissions, completions and discharges per week"),
            kind="census",
        ),
        "in_care": line_chart(
            [(w.week, w.in_care) for w in report.census],
            low=0,
            high=in_care_high,
            title=_("People in care at the end of each week"),
            kind="in-care",
        ),
        "attendance": line_chart(
            [(w.week, w.rate.percent) for w in report.attendance],
            low=0,
            high=100,
            title=_("Attendance rate per week, in percent"),
            kind="attendance",
        ),
        "adherence": line_chart(
            [(w.week, w.rate.percent) for w in report.adherence],
            low=0,
            high=100,
            title=_("Check-in adherence per week, in percent"),
            kind="adherence",
        ),
        "retention": bar_chart(
            [_("%(days)d days") % {"days": r.days} for r in report.retention],
            [(_("Retention"), [r.rate.percent for r in report.retention])],
            high=100,
            unit="%",
            title=_("Share of people still in care or completed 30, 60 and 90 days after admission"),
            kind="retention",
        ),
        "measures": bar_chart(
            [m.rule.short for m in report.measures],
            [(_("Reliably improved"), [m.improved_share.percent for m in report.measures])],
            high=100,
            unit="%",
            title=_("Share of people with a reliable improvement, per measure"),
            kind="measures",
        ),
        "engagement": spread_chart(
            [(str(ENGAGEMENT_SHORT[e.name]), e.low, e.median, e.high, e.most) for e in report.engagement],
            title=_("Engagement per person per week in care: quartiles, median and most"),
            kind="engagement",
        ),
    }


def _report_for(scope):
    """The figures computed ahead when they are for this scope and fresh, else counted now."""
    snapshot = selectors.snapshot_for_scope(scope=scope, max_age=SNAPSHOT_MAX_AGE)
    if snapshot is not None:
        return snapshots.decode(snapshot.figures, scope=scope), snapshot
    return selectors.program_report(scope=scope), None


@permission_required("reports.view_program_report")
@require_http_methods(["GET", "POST"])
def program_report(request):
    form, scope = _filters(request)
    if scope is None:
        return render(request, "reports/program_report.html", {"form": form}, status=400)
    if request.method == "POST":
        # "Count again now": the default view's figures, stored for everyone who opens the page next.
        report_snapshot_refresh(actor=request.user, program=scope.program)
        return redirect(reverse("reports:program_report") + "?" + _query(scope))
    report, snapshot = _report_for(scope)
    audit_record(
        actor=request.user,
        action="reports.program_report.viewed",
        obj=scope.program,
        data={**_scope_data(scope), "start": str(scope.start), "end": str(scope.end)},
    )
    return render(
        request,
        "reports/program_report.html",
        {
            "form": form,
            "scope": scope,
            "report": report,
            "tables": report_tables(report),
            "charts": _charts(report),
            "query": _query(scope),
            "small_group": SMALL_GROUP,
            "snapshot": snapshot,
            "default_view": scope.cohort is None and scope.track is None and scope.end == scope.today,
        },
    )


@permission_required("reports.view_program_report")
def isolation_radar(request):
    form, scope = _filters(request, with_dates=False)
    if scope is None:
        return render(request, "reports/isolation_radar.html", {"form": form}, status=400)
    rows = selectors.isolation_radar(scope=scope)
    audit_record(
        actor=request.user,
        action="reports.isolation_radar.viewed",
        obj=scope.program,
        data={**_scope_data(scope), "people": len(rows)},
    )
    shown = rows[:RADAR_SHOWN]
    for row in shown:
        row.picture = radar.picture(row)
        row.summary = radar.summary(row)
        row.channel_weeks = [row.weeks[c] for c in radar.CHANNELS]
    return render(
        request,
        "reports/isolation_radar.html",
        {
            "form": form,
            "scope": scope,
            "rows": shown,
            "more": len(rows) - len(shown),
            "weeks": RADAR_WEEKS,
            "channels": [radar.CHANNEL_LABELS[c] for c in radar.CHANNELS],
            "first_day": scope.today - datetime.timedelta(days=7 * RADAR_WEEKS - 1),
            "query": _query(scope),
        },
    )


def _shared(request) -> bool:
    return request.GET.get("shared") in ("1", "true", "yes")


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@permission_required("reports.view_program_report")
def table_csv(request, table: str):
    if table not in EXPORTABLE:
        raise Http404
    shared = _shared(request)
    if table == "radar" and shared:
        return HttpResponse(
            _("The isolation radar names people; it is for the care team only and cannot be shared."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    form, scope = _filters(request, with_dates=table != "radar")
    if scope is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    if table == "radar":
        chosen = radar_table(selectors.isolation_radar(scope=scope))
    else:
        chosen = report_tables(_report_for(scope)[0])[table]
    audit_record(
        actor=request.user,
        action=f"reports.{table}.exported",
        obj=scope.program,
        data={
            **_scope_data(scope),
            "start": str(scope.start),
            "end": str(scope.end),
            "shared": shared,
            "rows": len(chosen.rows),
        },
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = "-shared" if shared else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{scope.program.slug}-{scope.start}-{scope.end}{suffix}.csv"'
    )
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(chosen.columns)
    for row in chosen.rows:
        writer.writerow([_csv_safe(cell_text(cell, shared=shared)) for cell in row])
    return response


@permission_required("reports.view_program_report")
def program_report_pdf(request):
    form, scope = _filters(request)
    if scope is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    shared = _shared(request)
    report, _snapshot = _report_for(scope)
    audit_record(
        actor=request.user,
        action="reports.program_report.exported",
        obj=scope.program,
        data={
            **_scope_data(scope),
            "start": str(scope.start),
            "end": str(scope.end),
            "shared": shared,
            "format": "pdf",
        },
    )
    response = HttpResponse(
        render_pdf(report, shared=shared, author=str(request.user.display_name)), content_type="application/pdf"
    )
    suffix = "-shared" if shared else ""
    response["Content-Disposition"] = (
        f'attachment; filename="program-report-{scope.program.slug}-{scope.end}{suffix}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
