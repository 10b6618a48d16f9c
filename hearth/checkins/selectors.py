"""Reads of check-ins and questionnaire results, scoped by the viewer through consent_allows."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from hearth.consent.models import Category
from hearth.consent.selectors import consent_allows, consent_program_ids

from .measures import MEASURES, Measure
from .models import CheckIn, MeasureResponse, MeasureSchedule
from .services import current_instance, local_today

User = get_user_model()


def person_for_category(*, viewer, person_id, category: str):
    """The person whose check-ins (or measures) the viewer may read, else 404 (never say who exists)."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not consent_allows(viewer=viewer, subject=person, category=category):
        raise Http404
    return person


def checkins_for_viewer(*, viewer, person) -> QuerySet[CheckIn]:
    """The person's check-ins of the programs the viewer may see them in (the care team is per
    program; a consent is given to one program); all of them for the person themself."""
    programs = consent_program_ids(viewer=viewer, subject=person, category=Category.CHECKINS)
    if programs is not None and not programs:
        raise Http404
    checkins = CheckIn.objects.filter(person=person)
    if programs is not None:
        # Null: made before the person took part in any program (no program to hold it to).
        checkins = checkins.filter(Q(program_id__in=programs) | Q(program__isnull=True))
    return checkins.order_by("-local_date")


def measures_for_viewer(*, viewer, person) -> QuerySet[MeasureResponse]:
    """The person's questionnaire answers of the programs the viewer may see them in (as check-ins)."""
    programs = consent_program_ids(viewer=viewer, subject=person, category=Category.MEASURES)
    if programs is not None and not programs:
        raise Http404
    responses = MeasureResponse.objects.filter(person=person)
    if programs is not None:
        responses = responses.filter(Q(program_id__in=programs) | Q(program__isnull=True))
    return responses.order_by("-submitted_at")


def own_checkin_for_day(*, viewer, day: datetime.date) -> CheckIn | None:
    return CheckIn.objects.filter(person=viewer, local_date=day).first()


def own_measure_response(*, viewer, response_id) -> MeasureResponse:
    try:
        return MeasureResponse.objects.get(pk=response_id, person=viewer)
    except (MeasureResponse.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class DueMeasure:
    measure: Measure
    instance_date: datetime.date
    scheduled: bool


def measures_due_for(*, viewer, now=None) -> list[DueMeasure]:
    """Scheduled questionnaires whose current instance the viewer has not answered yet."""
    today = local_today(viewer, now)
    schedules = list(MeasureSchedule.objects.filter(person=viewer, ended_at__isnull=True))
    instances = {s.measure: current_instance(s, today) for s in schedules}
    answered = set(
        MeasureResponse.objects.filter(
            person=viewer, instance_date__in=[d for d in instances.values() if d]
        ).values_list("measure", "instance_date")
    )
    return [
        DueMeasure(measure=MEASURES[code], instance_date=day, scheduled=True)
        for code, day in sorted(instances.items())
        if day is not None and (code, day) not in answered
    ]


def streak_for(*, person, today: datetime.date, days: list[datetime.date] | None = None) -> dict:
    """Encouraging counts only: the current run of days (a missed today does not break it yet),
    the best run and days checked in over the last 30. Never a 'lost streak' message."""
    if days is None:
        days = list(CheckIn.objects.filter(person=person).order_by("-local_date").values_list("local_date", flat=True))
    present = set(days)
    current = 0
    cursor = today if today in present else today - datetime.timedelta(days=1)
    while cursor in present:
        current += 1
        cursor -= datetime.timedelta(days=1)
    best = run = 0
    previous = None
    for day in sorted(present):
        run = run + 1 if previous is not None and day - previous == datetime.timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    last_30 = sum(1 for day in present if today - datetime.timedelta(days=29) <= day <= today)
    return {"current": current, "best": best, "last_30": last_30, "total": len(present)}
