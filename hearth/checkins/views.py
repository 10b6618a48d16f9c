import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.consent.models import Category
from hearth.consent.selectors import discloses_outside_care_team
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.selectors import is_care_team_of, person_for_care_team

from . import permissions  # noqa: F401  (registers the rules)
from .charts import daily_series, line_chart
from .coping import coping_labels, coping_used_on
from .forms import CheckInForm, MeasureForm, MeasureScheduleForm
from .measures import MEASURES, measure_for
from .models import Connection, Trigger
from .selectors import (
    checkins_for_viewer,
    measures_due_for,
    measures_for_viewer,
    own_checkin_for_day,
    own_measure_response,
    person_for_category,
    streak_for,
)
from .services import checkin_submit, local_today, measure_schedule_set, measure_submit

CHART_DAYS = 30


def _zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@permission_required("checkins.check_in")
def checkin_today(request):
    """Today's check-in on one screen: a new one, or today's to edit."""
    user = request.user
    today = local_today(user)
    existing = own_checkin_for_day(viewer=user, day=today)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                checkin_submit(
                    actor=user,
                    person=user,
                    local_date=data["local_date"],
                    mood=data["mood"],
                    craving=data["craving"],
                    sleep_hours=data["sleep_hours"],
                    sleep_quality=data["sleep_quality"],
                    used=data["used"] == "yes",
                    used_what=data["used_what"],
                    triggers=data["triggers"],
                    trigger_other=data["trigger_other"],
                    connections=data["connections"],
                    coping=data["coping"],
                    note=data["note"],
                    expected_version=data["version"],
                )
            except ValidationError as error:
                apply_validation_error(form, error, {"local_date": "__all__"})
            else:
                messages.success(request, _("Thank you for checking in."))
                return redirect("checkins:progress")
        return render(request, "checkins/checkin_form.html", {"form": form, "existing": existing}, status=400)
    # What the person already did in Hearth today is ticked for them (they can untick it).
    initial = {"local_date": today, "version": 0, "used": "no", "coping": coping_used_on(user, today)}
    if existing is not None:
        initial.update(
            version=existing.version,
            mood=existing.mood,
            craving=existing.craving,
            sleep_hours=existing.sleep_hours,
            sleep_quality=existing.sleep_quality,
            used="yes" if existing.used else "no",
            used_what=existing.used_what,
            triggers=existing.triggers,
            trigger_other=existing.trigger_other,
            connections=existing.connections,
            coping=sorted(set(existing.coping) | set(coping_used_on(user, today))),
            note=existing.note,
        )
    form = CheckInForm(initial=initial)
    return render(request, "checkins/checkin_form.html", {"form": form, "existing": existing})


def _checkin_charts(checkins, today: datetime.date) -> list[dict]:
    recent = [c for c in checkins if c.local_date > today - datetime.timedelta(days=CHART_DAYS)]
    charts = []
    for field, title, low, high in (
        ("mood", _("Mood"), 1, 10),
        ("craving", _("Craving"), 0, 10),
        ("sleep_hours", _("Hours of sleep"), 0, 12),
    ):
        series = daily_series([(c.local_date, float(getattr(c, field))) for c in recent], end=today, days=CHART_DAYS)
        charts.append({"title": title, "svg": line_chart(series, low=low, high=high, title=title, kind=field)})
    return charts


def _measure_charts(responses) -> list[dict]:
    charts = []
    for code, measure in MEASURES.items():
        points = sorted((r.submitted_at.date(), r.total) for r in responses if r.measure == code)
        if not points:
            continue
        title = str(measure.name)
        bands = [(b.low, b.high, b.level) for b in measure.bands]
        charts.append(
            {
                "title": title,
                "latest": points[-1][1],
                "svg": line_chart(
                    points, low=measure.min_total, high=measure.max_total, title=title, kind=code, bands=bands
                ),
            }
        )
    return charts


def _history_rows(checkins) -> list:
    for checkin in checkins:
        checkin.connected_labels = [Connection(c).label for c in checkin.connections if c in Connection.values]
        checkin.trigger_labels = [Trigger(t).label for t in checkin.triggers if t in Trigger.values]
        checkin.coping_labels = coping_labels(checkin.coping)
    return checkins


@login_required
def progress(request):
    """The participant's own history, trends and streaks."""
    user = request.user
    today = local_today(user)
    checkins = list(checkins_for_viewer(viewer=user, person=user)[:90])
    responses = list(measures_for_viewer(viewer=user, person=user)[:100])
    context = {
        "today": today,
        "checked_in_today": bool(checkins) and checkins[0].local_date == today,
        "streak": streak_for(person=user, today=today),
        "checkin_charts": _checkin_charts(checkins, today),
        "measure_charts": _measure_charts(responses),
        "history": _history_rows(checkins[:14]),
        "show_notes": True,
        "responses": responses[:20],
        "due": measures_due_for(viewer=user),
    }
    return render(request, "checkins/progress.html", context)


@login_required
def person_checkins(request, person_id: int):
    viewer = request.user
    person = person_for_category(viewer=viewer, person_id=person_id, category=Category.CHECKINS)
    checkins = list(checkins_for_viewer(viewer=viewer, person=person)[:90])
    if viewer.pk != person.pk:
        audit_record(actor=viewer, action="checkins.checkin.viewed", subject=person, obj=person)
    today = local_today(person)
    return render(
        request,
        "checkins/person_checkins.html",
        {
            "person": person,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=person),
            # Notes and what was used stay with the person and their care team, whatever a consent says.
            "show_notes": viewer.pk == person.pk or is_care_team_of(viewer, person),
            "charts": _checkin_charts(checkins, today),
            "history": _history_rows(checkins[:30]),
            "streak": streak_for(person=person, today=today, days=[c.local_date for c in checkins]),
        },
    )


@login_required
def person_measures(request, person_id: int):
    viewer = request.user
    person = person_for_category(viewer=viewer, person_id=person_id, category=Category.MEASURES)
    responses = list(measures_for_viewer(viewer=viewer, person=person)[:200])
    if viewer.pk != person.pk:
        audit_record(actor=viewer, action="checkins.measure.viewed", subject=person, obj=person)
    can_schedule = viewer.has_perm("checkins.schedule_measures") and viewer.pk != person.pk
    return render(
        request,
        "checkins/person_measures.html",
        {
            "person": person,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=person),
            "charts": _measure_charts(responses),
            "responses": responses[:50],
            "schedule_form": MeasureScheduleForm(initial={"starts_on": local_today(person)}) if can_schedule else None,
        },
    )


@require_POST
@permission_required("checkins.schedule_measures")
def measure_schedule(request, person_id: int):
    person = person_for_care_team(viewer=request.user, person_id=person_id)
    form = MeasureScheduleForm(request.POST)
    if form.is_valid():
        try:
            measure_schedule_set(
                actor=request.user,
                person=person,
                measure=form.cleaned_data["measure"],
                every_days=form.cleaned_data["every_days"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Questionnaire schedule saved."))
    else:
        messages.error(request, _("Please check the schedule: choose a questionnaire, a number of days and a date."))
    return redirect("checkins:person_measures", person_id=person.pk)


@permission_required("checkins.answer_measure")
def measure_answer(request, code: str):
    try:
        measure = measure_for(code)
    except ValidationError:
        raise Http404 from None
    user = request.user
    due = {d.measure.code: d.instance_date for d in measures_due_for(viewer=user)}
    instance_date = due.get(code, local_today(user))
    if request.method == "POST":
        form = MeasureForm(request.POST, measure=measure)
        if form.is_valid():
            try:
                response = measure_submit(
                    actor=user,
                    person=user,
                    measure=code,
                    answers=form.answers(),
                    instance_date=form.cleaned_data["instance_date"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("checkins:measure_result", response_id=response.pk)
        return render(request, "checkins/measure_form.html", {"form": form, "measure": measure}, status=400)
    form = MeasureForm(initial={"instance_date": instance_date}, measure=measure)
    return render(request, "checkins/measure_form.html", {"form": form, "measure": measure})


@login_required
def measure_result(request, response_id: int):
    response = own_measure_response(viewer=request.user, response_id=response_id)
    measure = MEASURES[response.measure]
    return render(
        request,
        "checkins/measure_result.html",
        {
            "response": response,
            "measure": measure,
            "band": measure.band_for(response.total),
            "crisis_url": reverse("crisis"),
            "now": timezone.now(),
        },
    )
