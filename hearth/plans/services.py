"""Every write of treatment plans: each save is a new version (the history is the plan)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.programs.models import STAFF_ROLES, Membership, Program, Role
from hearth.programs.selectors import program_ids_where
from hearth.scheduling.models import SessionSeries

from .models import PLAN_FIELDS, PlanVersion, TreatmentPlan

MIN_WEEKLY_HOURS = Decimal("1")
MAX_WEEKLY_HOURS = Decimal("40")


def plan_save(
    *,
    actor,
    person,
    program: Program,
    problems: str,
    goals: str,
    objectives: str = "",
    interventions: str = "",
    groups=(),
    weekly_hours_target: Decimal | None = None,
    next_review_on: datetime.date,
) -> PlanVersion:
    """Write a new version of the person's plan in the program (care team only). Assigned groups
    also put the person on those series' rosters, so the sessions reach their calendar."""
    if program.pk not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    if not Membership.objects.filter(
        user=person, program=program, role=Role.PARTICIPANT, ended_at__isnull=True
    ).exists():
        raise PermissionDenied
    errors = {}
    if not problems.strip():
        errors["problems"] = _("Name at least one problem the plan works on.")
    if not goals.strip():
        errors["goals"] = _("Name at least one goal.")
    if weekly_hours_target is not None and not (MIN_WEEKLY_HOURS <= weekly_hours_target <= MAX_WEEKLY_HOURS):
        errors["weekly_hours_target"] = _("The weekly target must be between 1 and 40 hours.")
    today = timezone.localdate()
    if next_review_on is None or not (today <= next_review_on <= today + datetime.timedelta(days=366)):
        errors["next_review_on"] = _("Choose a review date between today and a year from now.")
    groups = list(groups)
    if any(series.program_id != program.pk for series in groups):
        errors["groups"] = _("Choose groups of this program.")
    if errors:
        raise ValidationError(errors)
    minutes = None if weekly_hours_target is None else int(weekly_hours_target * 60)
    values = {
        "problems": problems.strip(),
        "goals": goals.strip(),
        "objectives": objectives.strip(),
        "interventions": interventions.strip(),
        "weekly_minutes_target": minutes,
        "next_review_on": next_review_on,
    }
    group_ids = sorted(series.pk for series in groups)
    with transaction.atomic():
        plan, _created = TreatmentPlan.objects.get_or_create(person=person, program=program)
        plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        previous = plan.versions.order_by("-number").first()
        if previous is None:
            changed = list(PLAN_FIELDS)
        else:
            changed = [name for name, value in values.items() if getattr(previous, name) != value]
            if sorted(previous.groups.values_list("pk", flat=True)) != group_ids:
                changed.append("groups")
            if not changed:
                raise ValidationError(_("Nothing changed, so no new version was saved."))
        version = PlanVersion.objects.create(
            plan=plan,
            number=(previous.number + 1) if previous else 1,
            author=actor,
            changed_fields=changed,
            **values,
        )
        version.groups.set(group_ids)
        for series in SessionSeries.objects.filter(pk__in=group_ids).exclude(people=person):
            series.people.add(person)
        audit_record(
            actor=actor,
            action="plans.plan.saved",
            subject=person,
            obj=version,
            data={"version": version.number, "fields": changed},
        )
    return version
