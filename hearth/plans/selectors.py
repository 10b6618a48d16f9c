"""Reads of treatment plans: the person, their care team, or someone holding a consent in force
for the treatment plan. Anyone else: 404."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from hearth.consent.models import Category
from hearth.consent.selectors import consent_allows, consent_program_ids
from hearth.core.forms import is_valid_id
from hearth.programs.models import STAFF_ROLES, Program
from hearth.programs.selectors import is_care_team_of, program_ids_where

from .models import PlanVersion, TreatmentPlan

User = get_user_model()


@dataclass
class PlanView:
    plan: TreatmentPlan
    current: PlanVersion | None
    can_edit: bool
    linked: list | None = None  # items other apps linked to this plan's goals (plan_goal_links)


def _program_ids_visible(viewer, person) -> set[int] | None:
    """Programs whose plan the viewer may read (None: every program of the person): the care team
    of each program, and consents given to that program."""
    return consent_program_ids(viewer=viewer, subject=person, category=Category.TREATMENT_PLAN)


def person_for_plan(*, viewer, person_id: int):
    if not viewer.is_authenticated:
        raise Http404
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not consent_allows(viewer=viewer, subject=person, category=Category.TREATMENT_PLAN):
        raise Http404
    return person


def plans_for_viewer(*, viewer, person) -> list[PlanView]:
    visible = _program_ids_visible(viewer, person)
    plans = TreatmentPlan.objects.filter(person=person).select_related("program").order_by("program__name")
    if visible is not None:
        plans = plans.filter(program_id__in=visible)
    staff_programs = program_ids_where(viewer, *STAFF_ROLES) if viewer.pk != person.pk else set()
    result = []
    for plan in plans:
        current = plan.versions.select_related("author").prefetch_related("groups").order_by("-number").first()
        result.append(PlanView(plan=plan, current=current, can_edit=plan.program_id in staff_programs))
    links = plan_goal_links(viewer=viewer, person=person, plan_ids=[view.plan.pk for view in result]) if result else {}
    for view in result:
        view.linked = links.get(view.plan.pk, [])
    return result


def plan_history_for_viewer(*, viewer, person, program_id: int) -> tuple[TreatmentPlan, QuerySet[PlanVersion]]:
    visible = _program_ids_visible(viewer, person)
    if visible is not None and program_id not in visible:
        raise Http404
    if not is_valid_id(program_id):  # past the database's integer: no such program, not an overflow
        raise Http404
    try:
        plan = TreatmentPlan.objects.select_related("program").get(person=person, program_id=program_id)
    except TreatmentPlan.DoesNotExist:
        raise Http404 from None
    return plan, plan.versions.select_related("author").prefetch_related("groups")


def program_for_plan_editor(*, viewer, person, program_id: int) -> Program:
    """A program the viewer staffs where the person takes part, for writing their plan."""
    if not is_care_team_of(viewer, person, program_id=program_id):
        raise Http404
    program = (
        Program.objects.filter(
            pk=program_id, memberships__user=person, memberships__role="participant", memberships__ended_at__isnull=True
        )
        .distinct()
        .first()
    )
    if program is None:
        raise Http404
    return program


def current_version(*, plan: TreatmentPlan) -> PlanVersion | None:
    return plan.versions.prefetch_related("groups").order_by("-number").first()


def plan_target_minutes_subquery(*, program_id_ref, person_ref):
    """The weekly target of the person's current plan in the program, for annotating a report."""
    return Subquery(
        PlanVersion.objects.filter(plan__person_id=person_ref, plan__program_id=program_id_ref)
        .order_by("-number")
        .values("weekly_minutes_target")[:1]
    )


def weekly_target_for_attendance(*, viewer, person) -> int | None:
    """The weekly minutes target of the person's current plan, for someone who may see the person's
    attendance (this week against target): only the number, never the plan. Where the plan of more
    than one visible program sets one, the highest; None when no visible plan sets one."""
    visible = consent_program_ids(viewer=viewer, subject=person, category=Category.ATTENDANCE)
    plans = TreatmentPlan.objects.filter(person=person)
    if visible is not None:
        plans = plans.filter(program_id__in=visible)
    targets = plans.annotate(
        target=Subquery(
            PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number").values("weekly_minutes_target")[:1]
        )
    ).values_list("target", flat=True)
    return max((t for t in targets if t), default=None)


def programs_missing_plan(*, viewer, person) -> QuerySet[Program]:
    """Programs the viewer staffs where the person takes part but has no plan yet."""
    if not is_care_team_of(viewer, person):
        return Program.objects.none()
    return (
        Program.objects.filter(
            pk__in=program_ids_where(viewer, *STAFF_ROLES),
            memberships__user=person,
            memberships__role="participant",
            memberships__ended_at__isnull=True,
        )
        .exclude(treatment_plans__person=person)
        .distinct()
    )


def plan_goal_lines(version: PlanVersion | None) -> list[str]:
    """The plan's goals one per line, without the bullets or numbers people type in front."""
    if version is None:
        return []
    lines = (re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in version.goals.splitlines())
    return [line for line in lines if line]


def plan_goals_for_care_team(*, viewer, person) -> list[tuple[TreatmentPlan, PlanVersion, list[str]]]:
    """The person's current plan goals in the programs where the viewer is on their care team."""
    if not is_care_team_of(viewer, person):
        return []
    plans = TreatmentPlan.objects.filter(person=person, program_id__in=program_ids_where(viewer, *STAFF_ROLES))
    result = []
    for plan in plans.select_related("program").order_by("program__name"):
        version = plan.versions.order_by("-number").first()
        if version is not None:
            result.append((plan, version, plan_goal_lines(version)))
    return result


# Apps above plans that link their own items to a plan's goals (the toolkit's personal goals)
# register a callable (viewer, person, plan ids) -> {plan id: [item, ...]}; each item is a dict
# with "title", "plan_goal" and "done". Plans shows them and knows none of those apps.
_goal_link_sources: list[Callable] = []


def plan_goal_links_register(callback: Callable) -> None:
    if callback not in _goal_link_sources:
        _goal_link_sources.append(callback)


def plan_goal_links(*, viewer, person, plan_ids) -> dict[int, list[dict]]:
    links: dict[int, list[dict]] = {}
    for source in _goal_link_sources:
        for plan_id, items in source(viewer=viewer, person=person, plan_ids=list(plan_ids)).items():
            links.setdefault(plan_id, []).extend(items)
    return links
