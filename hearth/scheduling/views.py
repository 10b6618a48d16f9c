import csv
import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record, audit_record_many
from hearth.consent.selectors import discloses_outside_care_team
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error

from . import permissions  # noqa: F401  (registers the rules)
from .feeds import calendar_for_person
from .forms import (
    STATUS_CHOICES,
    CapacityForm,
    MoveForm,
    NoteForm,
    OneOffForm,
    SeriesEditForm,
    SeriesEndForm,
    SeriesForm,
)
from .selectors import (
    active_feed_token,
    agenda_for_viewer,
    attendance_for_occurrence,
    attendance_for_person,
    calendar_line_for_viewer,
    double_bookings_for_host,
    feed_token_for_raw,
    hosts_for_occurrence,
    is_on_roster,
    local_week_bounds,
    monday_of,
    notes_for_occurrence,
    occurrence_for_staff,
    occurrence_for_viewer,
    person_for_attendance,
    program_for_staff,
    programs_for_staff,
    roster_for_occurrence,
    roster_in_care_of,
    rsvps_for_staff,
    seats_taken,
    series_for_staff,
    series_for_staff_member,
    staff_program_ids,
    week_for_viewer,
    weekly_hours_report,
)
from .services import (
    attendance_mark,
    feed_token_create,
    feed_token_revoke,
    note_write,
    occurrence_cancel,
    occurrence_move,
    occurrence_schedule,
    occurrence_set_capacity,
    rsvp_cancel,
    rsvp_create,
    series_create,
    series_end,
    series_update,
)


def _viewer_zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def render(request, template: str, context: dict, status: int = 200):
    """Render with the viewer's time zone active, so every time on the page is in their zone."""
    tz = _viewer_zone(request.user) if request.user.is_authenticated else zoneinfo.ZoneInfo("UTC")
    with timezone.override(tz):
        return django_render(request, template, context, status=status)


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        return default
    # Far-off dates would overflow when the page links the weeks around them.
    return value if EARLIEST_DATE <= value <= LATEST_DATE else default


# --- personal calendar ------------------------------------------------------------------------


@login_required
def calendar_agenda(request):
    tz = _viewer_zone(request.user)
    now = timezone.now()
    today_start = datetime.datetime.combine(now.astimezone(tz).date(), datetime.time(0, 0), tzinfo=tz)
    items = agenda_for_viewer(viewer=request.user, start=today_start, days=14)
    return render(
        request,
        "scheduling/agenda.html",
        {"occurrences": items, "time_zone": request.user.time_zone, "now": now},
    )


def _clash_messages(host, pairs) -> list[str]:
    tz = _viewer_zone(host)
    return [
        _("%(host)s is already hosting “%(title)s” at %(when)s.")
        % {
            "host": host.display_name,
            "title": first.title,
            "when": formats.date_format(second.starts_at.astimezone(tz), "D j M Y H:i"),
        }
        for first, second in pairs
    ]


@login_required
def calendar_week(request):
    tz = _viewer_zone(request.user)
    today = timezone.now().astimezone(tz).date()
    week_start = monday_of(_date_param(request, "start", today))
    days = week_for_viewer(viewer=request.user, week_start=week_start)
    start, end = local_week_bounds(week_start, request.user.time_zone)
    context = {
        "clashes": _clash_messages(request.user, double_bookings_for_host(host=request.user, start=start, end=end)),
        "days": days,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "today": today,
        "time_zone": request.user.time_zone,
    }
    template = "scheduling/_week.html" if getattr(request, "htmx", False) else "scheduling/week.html"
    return render(request, template, context)


@login_required
def occurrence_detail(request, occurrence_id: int):
    viewer = request.user
    occurrence = occurrence_for_viewer(viewer=viewer, occurrence_id=occurrence_id)
    tz = _viewer_zone(viewer)
    is_staff = occurrence.program_id in staff_program_ids(viewer)
    roster = list(roster_for_occurrence(occurrence)) if is_staff else []
    my_rsvp = occurrence.rsvps.filter(person=viewer).first()
    my_attendance = occurrence.attendance.filter(person=viewer).first()
    context = {
        "occurrence": occurrence,
        "local_start": occurrence.starts_at.astimezone(tz),
        "local_end": occurrence.ends_at.astimezone(tz),
        "time_zone": viewer.time_zone,
        "is_staff": is_staff,
        "on_roster": any(p.pk == viewer.pk for p in roster) if is_staff else None,
        "roster": roster,
        "hosts": list(hosts_for_occurrence(occurrence)),
        "rsvps": list(rsvps_for_staff(viewer=viewer, occurrence=occurrence)) if is_staff else [],
        "my_rsvp": my_rsvp if my_rsvp and my_rsvp.status != "cancelled" else None,
        "my_attendance": my_attendance,
        "seats_taken": seats_taken(occurrence) if occurrence.capacity else None,
        "upcoming": occurrence.starts_at > timezone.now() and not occurrence.is_cancelled,
    }
    if is_staff:
        # Who is on a treatment group is itself protected information.
        audit_record_many(
            actor=viewer,
            action="scheduling.roster.viewed",
            subjects=roster,
            obj=occurrence,
            program=occurrence.program_id,
            data={"people": [p.pk for p in roster]},
        )
    else:
        context["on_roster"] = is_on_roster(occurrence, viewer)
    return render(request, "scheduling/occurrence_detail.html", context)


def _calendar_line(request, occurrence_id: int, error: str = ""):
    """htmx: the calendar line of one session, re-read after a reply."""
    line = calendar_line_for_viewer(viewer=request.user, occurrence_id=occurrence_id)
    return render(
        request, "scheduling/_session_item.html", {"o": line, "rsvp_error": error}, status=400 if error else 200
    )


@login_required
@require_POST
def occurrence_rsvp(request, occurrence_id: int):
    occurrence = occurrence_for_viewer(viewer=request.user, occurrence_id=occurrence_id)
    htmx = getattr(request, "htmx", False)
    try:
        rsvp = rsvp_create(actor=request.user, occurrence=occurrence, join_waitlist=True)
    except ValidationError as exc:
        if htmx:
            return _calendar_line(request, occurrence.pk, " ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("scheduling:occurrence_detail", occurrence.pk)
    if htmx:
        return _calendar_line(request, occurrence.pk)
    if rsvp.status == "waitlisted":
        messages.success(
            request,
            _("The session is full. You are number %(position)s on the wait-list; we will tell you if a seat frees.")
            % {"position": rsvp.waitlist_position},
        )
    else:
        messages.success(request, _("You are going. See you there."))
    return redirect("scheduling:occurrence_detail", occurrence.pk)


@login_required
@require_POST
def occurrence_rsvp_cancel(request, occurrence_id: int):
    occurrence = occurrence_for_viewer(viewer=request.user, occurrence_id=occurrence_id)
    htmx = getattr(request, "htmx", False)
    try:
        rsvp_cancel(actor=request.user, occurrence=occurrence)
    except ValidationError as exc:
        if htmx:
            return _calendar_line(request, occurrence.pk, " ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
    else:
        if htmx:
            return _calendar_line(request, occurrence.pk)
        messages.success(request, _("Your reply was withdrawn."))
    return redirect("scheduling:occurrence_detail", occurrence.pk)


# --- staff: series, moves, cancellations ------------------------------------------------------


@permission_required("scheduling.manage_sessions")
def series_new(request):
    form = SeriesForm(request.POST or None, programs=programs_for_staff(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = series_create(
                actor=request.user,
                program=data["program"],
                kind=data["kind"],
                title=data["title"],
                time_zone=data["time_zone"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                rrule=data["rrule"],
                dtstart=data["dtstart"],
                until=data["until"],
                count=data["count"],
                capacity=data["capacity"],
                hosts=data["hosts"],
                cohort=data["cohort"],
                people=data["people"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, field_map={"duration_minutes": "duration_minutes"})
        except PermissionDenied:
            form.add_error("program", _("You do not schedule sessions for this program."))
        else:
            messages.success(request, _("The series was created."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(f"{reverse('scheduling:calendar_week')}?start={data['dtstart'].isoformat()}")
    return render(request, "scheduling/series_form.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("scheduling.manage_sessions")
def occurrence_new(request):
    tz = _viewer_zone(request.user)
    with timezone.override(tz):
        form = OneOffForm(request.POST or None, programs=programs_for_staff(viewer=request.user))
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            result = occurrence_schedule(
                actor=request.user,
                program=data["program"],
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["starts_at"] + datetime.timedelta(minutes=data["duration_minutes"]),
                capacity=data["capacity"],
                hosts=data["hosts"],
                cohort=data["cohort"],
                people=data["people"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, field_map={"ends_at": "duration_minutes"})
        except PermissionDenied:
            form.add_error("program", _("You do not schedule sessions for this program."))
        else:
            messages.success(request, _("Saved."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("scheduling:occurrence_detail", result.obj.pk)
    return render(request, "scheduling/occurrence_form.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("scheduling.manage_sessions")
def series_list(request):
    return render(request, "scheduling/series_list.html", {"series_list": list(series_for_staff(viewer=request.user))})


@permission_required("scheduling.manage_sessions")
def series_edit(request, series_id: int):
    series = series_for_staff_member(viewer=request.user, series_id=series_id)
    initial = {
        "title": series.title,
        "capacity": series.capacity,
        "hosts": list(series.hosts.all()),
        "cohort": series.cohort,
        "people": list(series.people.all()),
    }
    form = SeriesEditForm(request.POST or None, initial=initial, program=series.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = series_update(
                actor=request.user,
                series=series,
                title=data["title"],
                capacity=data["capacity"],
                hosts=data["hosts"],
                cohort=data["cohort"],
                people=data["people"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("scheduling:series_list")
    return render(
        request, "scheduling/series_edit.html", {"form": form, "series": series}, status=400 if form.errors else 200
    )


@permission_required("scheduling.manage_sessions")
@require_POST
def series_end_view(request, series_id: int):
    series = series_for_staff_member(viewer=request.user, series_id=series_id)
    _save_posted(
        request,
        SeriesEndForm(request.POST),
        lambda data: series_end(actor=request.user, series=series, last_date=data["last_date"]),
    )
    return redirect("scheduling:series_list")


@permission_required("scheduling.manage_sessions")
@require_POST
def occurrence_capacity_view(request, occurrence_id: int):
    occurrence = occurrence_for_staff(viewer=request.user, occurrence_id=occurrence_id)
    _save_posted(
        request,
        CapacityForm(request.POST),
        lambda data: occurrence_set_capacity(actor=request.user, occurrence=occurrence, capacity=data["capacity"]),
    )
    return redirect("scheduling:occurrence_detail", occurrence.pk)


def _save_posted(request, form, save) -> None:
    """A one-field form posted from a page: save it, and say what happened as a message."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))


@permission_required("scheduling.manage_sessions")
def occurrence_move_view(request, occurrence_id: int):
    occurrence = occurrence_for_staff(viewer=request.user, occurrence_id=occurrence_id)
    tz = _viewer_zone(request.user)
    initial = {
        "starts_at": occurrence.starts_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": occurrence.duration_minutes,
    }
    with timezone.override(tz):
        form = MoveForm(request.POST or None, initial=initial)
        valid = request.method == "POST" and form.is_valid()
    if valid:
        starts_at = form.cleaned_data["starts_at"]
        try:
            result = occurrence_move(
                actor=request.user,
                occurrence=occurrence,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=form.cleaned_data["duration_minutes"]),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, field_map={"ends_at": "duration_minutes"})
        else:
            messages.success(request, _("The session was moved. The rest of the series is unchanged."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("scheduling:occurrence_detail", occurrence.pk)
    return render(
        request,
        "scheduling/move_form.html",
        {"form": form, "occurrence": occurrence, "time_zone": request.user.time_zone},
        status=400 if form.errors else 200,
    )


@permission_required("scheduling.manage_sessions")
@require_POST
def occurrence_cancel_view(request, occurrence_id: int):
    occurrence = occurrence_for_staff(viewer=request.user, occurrence_id=occurrence_id)
    try:
        occurrence_cancel(actor=request.user, occurrence=occurrence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The session was cancelled. The rest of the series is unchanged."))
    return redirect("scheduling:occurrence_detail", occurrence.pk)


# --- staff: attendance and notes --------------------------------------------------------------


@permission_required("scheduling.manage_sessions")
def attendance_sheet(request, occurrence_id: int):
    occurrence = occurrence_for_staff(viewer=request.user, occurrence_id=occurrence_id)
    roster = list(roster_for_occurrence(occurrence))
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            with transaction.atomic():
                for person in roster:
                    status = request.POST.get(f"status_{person.pk}", "")
                    raw_minutes = request.POST.get(f"minutes_{person.pk}", "").strip()
                    if not status:
                        continue
                    try:
                        minutes = int(raw_minutes) if raw_minutes else None
                        attendance_mark(
                            actor=request.user, occurrence=occurrence, person=person, status=status, minutes=minutes
                        )
                    except ValueError:
                        errors[person.pk] = _("Minutes must be a whole number.")
                    except ValidationError as exc:
                        errors[person.pk] = " ".join(exc.messages)
                if errors:
                    raise ValidationError("rollback")
        except ValidationError:
            messages.error(request, _("Nothing was saved: correct the rows marked below."))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("scheduling:attendance_sheet", occurrence.pk)
    recorded = attendance_for_occurrence(viewer=request.user, occurrence=occurrence)
    audit_record_many(
        actor=request.user,
        action="scheduling.attendance_sheet.viewed",
        subjects=roster,
        obj=occurrence,
        program=occurrence.program_id,
        data={"people": [p.pk for p in roster]},
    )
    rows = []
    for person in roster:
        record = recorded.get(person.pk)
        rows.append(
            {
                "person": person,
                "status": request.POST.get(f"status_{person.pk}") if errors else (record.status if record else ""),
                "minutes": request.POST.get(f"minutes_{person.pk}") if errors else (record.minutes if record else ""),
                "source": record.get_source_display() if record else "",
                "error": errors.get(person.pk, ""),
            }
        )
    tz = _viewer_zone(request.user)
    return render(
        request,
        "scheduling/attendance_sheet.html",
        {
            "occurrence": occurrence,
            "local_start": occurrence.starts_at.astimezone(tz),
            "rows": rows,
            "status_choices": STATUS_CHOICES,
        },
        status=400 if errors else 200,
    )


@permission_required("scheduling.manage_sessions")
def session_notes(request, occurrence_id: int):
    occurrence = occurrence_for_staff(viewer=request.user, occurrence_id=occurrence_id)
    form = NoteForm(request.POST or None)
    error_for = None
    if request.method == "POST" and form.is_valid():
        person = None
        person_id = form.cleaned_data.get("person")
        if person_id:
            person = roster_in_care_of(viewer=request.user, occurrence=occurrence).filter(pk=person_id).first()
            if person is None:
                raise Http404
        try:
            note_write(actor=request.user, occurrence=occurrence, body=form.cleaned_data["body"], person=person)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            apply_validation_error(form, exc)
            error_for = person_id
        else:
            messages.success(request, _("Note saved."))
            return redirect("scheduling:session_notes", occurrence.pk)
    elif request.method == "POST":
        error_for = request.POST.get("person")
    group_note, person_notes = notes_for_occurrence(viewer=request.user, occurrence=occurrence)
    in_care = list(roster_in_care_of(viewer=request.user, occurrence=occurrence))
    # The page lists everyone on the roster in the viewer's care, beside their notes.
    audit_record_many(
        actor=request.user,
        action="scheduling.note.viewed",
        subjects=[n.person_id for n in person_notes] + [p.pk for p in in_care],
        obj=occurrence,
        program=occurrence.program_id,
        data={"people": [n.person_id for n in person_notes], "group_note": group_note is not None},
    )
    by_person = {n.person_id: n for n in person_notes}
    participants = [{"person": p, "note": by_person.get(p.pk)} for p in in_care]
    tz = _viewer_zone(request.user)
    return render(
        request,
        "scheduling/notes.html",
        {
            "occurrence": occurrence,
            "local_start": occurrence.starts_at.astimezone(tz),
            "group_note": group_note,
            "participants": participants,
            "form": form,
            "error_for": str(error_for or ""),
        },
        status=400 if form.errors else 200,
    )


# --- staff: weekly hours report ---------------------------------------------------------------


def _report_context(request):
    programs = list(programs_for_staff(viewer=request.user))
    if not programs:
        raise PermissionDenied
    program_id = request.GET.get("program") or programs[0].pk
    program = program_for_staff(viewer=request.user, program_id=program_id)
    tz = zoneinfo.ZoneInfo(program.time_zone)
    this_week = monday_of(timezone.now().astimezone(tz).date())
    week_start = monday_of(_date_param(request, "week", this_week - datetime.timedelta(days=7)))
    rows = weekly_hours_report(viewer=request.user, program=program, week_start=week_start)
    return programs, program, week_start, rows


@permission_required("scheduling.manage_sessions")
def hours_report(request):
    programs, program, week_start, rows = _report_context(request)
    audit_record_many(
        actor=request.user,
        action="scheduling.hours_report.viewed",
        subjects=[row.person for row in rows],
        program=program,
        obj=program,
        data={"week": week_start.isoformat(), "people": len(rows)},
    )
    return render(
        request,
        "scheduling/hours_report.html",
        {
            "programs": programs,
            "program": program,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "previous_week": week_start - datetime.timedelta(days=7),
            "next_week": week_start + datetime.timedelta(days=7),
            "rows": rows,
            "below_count": sum(1 for r in rows if r.below_target),
        },
    )


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@permission_required("scheduling.manage_sessions")
def hours_report_csv(request):
    _programs, program, week_start, rows = _report_context(request)
    audit_record_many(
        actor=request.user,
        action="scheduling.hours_report.exported",
        subjects=[row.person for row in rows],
        program=program,
        obj=program,
        data={"week": week_start.isoformat(), "people": len(rows)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hours-{program.slug}-{week_start.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["person_id", "display_name", "week_start", "hours", "target_hours", "sessions", "below_target"])
    for row in rows:
        writer.writerow(
            [
                row.person.pk,
                _csv_safe(row.person.display_name),
                week_start.isoformat(),
                f"{row.hours:.2f}",
                f"{row.target_hours:.2f}",
                row.sessions,
                "yes" if row.below_target else "no",
            ]
        )
    return response


# --- attendance of one person -----------------------------------------------------------------


@login_required
def person_attendance(request, person_id: int):
    viewer = request.user
    person = person_for_attendance(viewer=viewer, person_id=person_id)
    records = list(attendance_for_person(viewer=viewer, person=person)[:200])
    tz = _viewer_zone(viewer)
    for record in records:
        record.local_start = record.occurrence.starts_at.astimezone(tz)
    if viewer.pk != person.pk:
        audit_record(actor=viewer, action="scheduling.attendance.viewed", subject=person, obj=person)
    return render(
        request,
        "scheduling/person_attendance.html",
        {
            "person": person,
            "records": records,
            "is_self": viewer.pk == person.pk,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=person),
        },
    )


# --- private calendar feed --------------------------------------------------------------------


@login_required
def feed_settings(request):
    raw = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            _token, raw = feed_token_create(actor=request.user)
            messages.success(request, _("Your private calendar address is ready. Copy it now: it is shown only once."))
        elif action == "revoke":
            token = active_feed_token(viewer=request.user)
            if token is not None:
                feed_token_revoke(actor=request.user, token=token)
                messages.success(request, _("Your calendar address was turned off. Calendars using it stop updating."))
            return redirect("scheduling:feed_settings")
        else:
            return HttpResponse(status=400)
    token = active_feed_token(viewer=request.user)
    feed_url = request.build_absolute_uri(reverse("scheduling:feed_ics", args=[raw])) if raw else None
    return render(request, "scheduling/feed_settings.html", {"token": token, "feed_url": feed_url})


def feed_ics(request, token: str):
    """The private ICS feed. The token is the only credential; anything wrong answers 404."""
    feed_token = feed_token_for_raw(token)
    person = feed_token.person
    body = calendar_for_person(person=person, now=timezone.now())
    audit_record(actor=None, action="scheduling.feed.viewed", subject=person, obj=feed_token)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
