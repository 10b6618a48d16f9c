"""Every read of toolkit data, scoped by the viewer. Journals, thought records and lapses are the
author's alone; the care team sees only the ones the author shared. Homework is seen by the
participant and their care team. A record outside the viewer's reach is a 404."""

import datetime
import zoneinfo

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from hearth.checkins.services import local_today
from hearth.consent.models import Category
from hearth.consent.selectors import consent_allows
from hearth.programs.models import Cohort, Program, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where, roles_of

from .counter import CounterStats, counter_stats
from .models import (
    SHAREABLE,
    Assignment,
    Goal,
    GoalStep,
    JournalEntry,
    Lapse,
    Resource,
    ResourceFavourite,
    ResourceOpenCount,
    SoberCounter,
    ThoughtRecord,
)


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _private_records(model, *, viewer, person) -> QuerySet:
    if viewer.is_authenticated and viewer.pk == person.pk:
        return model.objects.filter(person=person)
    if is_care_team_of(viewer, person):
        return model.objects.filter(person=person, shared_with_care_team=True)
    raise Http404


# --- counter ---------------------------------------------------------------------------------


def counter_for_owner(*, viewer, now=None) -> tuple[SoberCounter | None, CounterStats | None]:
    counter = SoberCounter.objects.filter(person=viewer).first()
    if counter is None or not counter.enabled:
        return counter, None
    days = list(Lapse.objects.filter(person=viewer).values_list("local_date", flat=True))
    return counter, counter_stats(start=counter.start_date, lapse_days=days, today=local_today(viewer, now))


def lapses_for_viewer(*, viewer, person) -> QuerySet[Lapse]:
    return _private_records(Lapse, viewer=viewer, person=person).order_by("-local_date", "-pk")


# --- goals -----------------------------------------------------------------------------------


def goals_for_viewer(*, viewer, person) -> QuerySet[Goal]:
    """The person's own goals: for them, their care team, or someone they share progress with."""
    if not consent_allows(viewer=viewer, subject=person, category=Category.PROGRESS):
        raise Http404
    return Goal.objects.filter(person=person).prefetch_related("steps")


def goal_for_care_team(*, viewer, person, goal_id) -> Goal:
    if not is_care_team_of(viewer, person):
        raise Http404
    return _get(Goal.objects.filter(person=person), pk=goal_id)


def goals_linked_to_plans(*, viewer, person, plan_ids) -> dict[int, list[dict]]:
    """For the plan page (registered with plans): the person's own goals linked to each plan, for
    whoever may see their progress; nothing for anyone else."""
    if not plan_ids or not consent_allows(viewer=viewer, subject=person, category=Category.PROGRESS):
        return {}
    links: dict[int, list[dict]] = {}
    for goal in Goal.objects.filter(person=person, plan_id__in=plan_ids).order_by("completed_at", "created_at"):
        links.setdefault(goal.plan_id, []).append(
            {"title": goal.title, "plan_goal": goal.plan_goal, "done": goal.completed_at is not None}
        )
    return links


def goal_for_owner(*, viewer, goal_id) -> Goal:
    return _get(Goal.objects.filter(person=viewer).prefetch_related("steps"), pk=goal_id)


def step_for_owner(*, viewer, goal_id, step_id) -> GoalStep:
    return _get(GoalStep.objects.select_related("goal").filter(goal__person=viewer, goal_id=goal_id), pk=step_id)


def current_goal_step(*, viewer) -> GoalStep | None:
    """The first open step of the open goal due soonest."""
    return (
        GoalStep.objects.select_related("goal")
        .filter(goal__person=viewer, goal__completed_at__isnull=True, done_at__isnull=True)
        .order_by("goal__target_date", "goal__created_at", "order", "pk")
        .first()
    )


# --- library ---------------------------------------------------------------------------------


def resources_for_viewer(*, viewer, language: str | None = None) -> QuerySet[Resource]:
    """Hearth's starter library plus the resources of the programs the viewer belongs to."""
    programs = {program_id for program_id, _role in roles_of(viewer)}
    queryset = Resource.objects.filter(Q(program__isnull=True) | Q(program_id__in=programs))
    if language:
        queryset = queryset.filter(language=language)
    return queryset.order_by("title")


def resources_on_topic(resources, topic: str | None) -> list[Resource]:
    # Topics are a JSON list; SQLite cannot filter on list membership, and the library is small.
    return [r for r in resources if not topic or topic in r.topics]


def resource_for_viewer(*, viewer, resource_id) -> Resource:
    return _get(resources_for_viewer(viewer=viewer), pk=resource_id)


def favourite_ids_for(*, viewer) -> set[int]:
    return set(ResourceFavourite.objects.filter(person=viewer).values_list("resource_id", flat=True))


def open_counts_for_staff(*, viewer, days: int = 30, today: datetime.date | None = None) -> dict[int, int]:
    """Openings per resource over the last days in the programs the viewer works in (no people)."""
    programs = program_ids_where(viewer, Role.CLINICIAN, Role.ADMIN)
    if not programs:
        return {}
    since = (today or local_today(viewer)) - datetime.timedelta(days=days - 1)
    rows = (
        ResourceOpenCount.objects.filter(program_id__in=programs, day__gte=since)
        .values("resource_id")
        .annotate(total=Sum("count"))
    )
    return {row["resource_id"]: row["total"] for row in rows}


# --- homework --------------------------------------------------------------------------------


def homework_for_participant(*, viewer) -> QuerySet[Assignment]:
    return Assignment.objects.filter(person=viewer).select_related("resource", "assigned_by")


def assignment_for_participant(*, viewer, assignment_id) -> Assignment:
    return _get(homework_for_participant(viewer=viewer), pk=assignment_id)


def homework_for_person(*, viewer, person) -> QuerySet[Assignment]:
    if not is_care_team_of(viewer, person):
        raise Http404
    return Assignment.objects.filter(person=person).select_related("resource", "assigned_by", "reviewed_by")


def assignment_for_care_team(*, viewer, assignment_id) -> Assignment:
    assignment = _get(Assignment.objects.select_related("resource", "person", "assigned_by"), pk=assignment_id)
    if not is_care_team_of(viewer, assignment.person):
        raise Http404
    return assignment


def programs_for_staff(*, viewer) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=program_ids_where(viewer, Role.CLINICIAN, Role.ADMIN)).order_by("name")


def cohorts_for_staff(*, viewer) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program_id__in=program_ids_where(viewer, Role.CLINICIAN, Role.ADMIN)).order_by(
        "program_id", "name"
    )


def homework_to_review(*, viewer) -> QuerySet[Assignment]:
    """Handed-in homework not reviewed yet, for people in the viewer's programs."""
    programs = program_ids_where(viewer, Role.CLINICIAN, Role.ADMIN)
    return (
        Assignment.objects.filter(program_id__in=programs, completed_at__isnull=False, reviewed_at__isnull=True)
        .select_related("resource", "person")
        .order_by("completed_at")
    )


def activity_homework_for_participant(*, viewer, kind: str) -> QuerySet[Assignment]:
    """The viewer's open homework of one activity kind (their practice scenes to play)."""
    return Assignment.objects.filter(person=viewer, activity_kind=kind, completed_at__isnull=True).order_by(
        "due_date", "pk"
    )


def activity_homework_for_person(*, viewer, person, kind: str) -> QuerySet[Assignment]:
    """A person's homework of one activity kind, for them or their care team."""
    if viewer.pk != person.pk and not is_care_team_of(viewer, person):
        raise Http404
    return Assignment.objects.filter(person=person, activity_kind=kind).order_by("completed_at", "due_date", "pk")


def next_homework(*, viewer) -> Assignment | None:
    return homework_for_participant(viewer=viewer).filter(completed_at__isnull=True).order_by("due_date", "pk").first()


# --- thought records and journal -----------------------------------------------------------


def thought_records_for_viewer(*, viewer, person) -> QuerySet[ThoughtRecord]:
    return _private_records(ThoughtRecord, viewer=viewer, person=person)


def journal_entries_for_viewer(*, viewer, person) -> QuerySet[JournalEntry]:
    return _private_records(JournalEntry, viewer=viewer, person=person)


def shareable_for_author(*, viewer, kind: str, record_id):
    model = SHAREABLE.get(kind)
    if model is None:
        raise Http404
    return _get(model.objects.filter(person=viewer), pk=record_id)


def written_tools_used_on(person, day: datetime.date) -> set[str]:
    """Which written self-help tools the person used on their local day (check-in coping keys)."""
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    window = {"person": person, "created_at__gte": start, "created_at__lt": end}
    used = {f"toolkit.{kind}" for kind in JournalEntry.objects.filter(**window).values_list("kind", flat=True)}
    if ThoughtRecord.objects.filter(**window).exists():
        used.add("toolkit.thought-record")
    return used
