"""Reads of outreach tasks and the clinician's "today" view, scoped by the viewer."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.checkins.charts import sparkline
from hearth.checkins.models import CheckIn
from hearth.programs.models import STAFF_ROLES, Membership, Role
from hearth.programs.selectors import care_program_ids, is_care_team_of, program_ids_where
from hearth.safety.models import ALERTING_SEVERITIES, SafetySignal
from hearth.scheduling.models import Attendance
from hearth.scheduling.selectors import local_week_bounds, monday_of, weekly_target_minutes

from .models import OutreachTask, Status
from .rules import describe

User = get_user_model()
SPARK_DAYS = 14
CASELOAD_LIMIT = 200
QUEUE_LIMIT = 50


def _queue_q(viewer) -> Q:
    staff_programs = program_ids_where(viewer, *STAFF_ROLES)
    admin_programs = program_ids_where(viewer, Role.ADMIN)
    # Owned tasks too only while the owner is still staff of the task's program (a role ended).
    return (
        Q(owner=viewer, program_id__in=staff_programs)
        | Q(owner__isnull=True, program_id__in=staff_programs)
        | Q(escalated_at__isnull=False, program_id__in=admin_programs)
    )


def queue_for_viewer(*, viewer) -> QuerySet[OutreachTask]:
    """Open tasks the viewer should act on, most urgent and earliest due first."""
    if not viewer.is_authenticated:
        return OutreachTask.objects.none()
    return (
        OutreachTask.objects.filter(_queue_q(viewer), status=Status.OPEN)
        .select_related("person", "owner")
        .order_by("urgency", "due_at", "pk")
    )


def recent_resolved_for_viewer(*, viewer, limit: int = 20) -> list[OutreachTask]:
    return list(
        OutreachTask.objects.filter(_queue_q(viewer), status=Status.RESOLVED)
        .select_related("person", "resolved_by")
        .order_by("-resolved_at")[:limit]
    )


def tasks_about_person(*, viewer, person, limit: int = 10) -> list[OutreachTask]:
    """The person's outreach history (open and resolved, newest first) in the programs where the
    viewer is on their care team, with ``reason`` in plain words."""
    program_ids = care_program_ids(viewer, person)
    tasks = (
        OutreachTask.objects.filter(person=person, program_id__in=program_ids)
        .select_related("owner", "resolved_by")
        .order_by("-raised_at", "-pk")[:limit]
    )
    return annotate_reasons(list(tasks))


def task_for_care_team(*, viewer, task_id) -> OutreachTask:
    try:
        task = OutreachTask.objects.select_related("person", "owner", "escalated_to", "program").get(pk=task_id)
    except (OutreachTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # The care team is per program: staff of the person's other program may not see this task.
    if not is_care_team_of(viewer, task.person, program_id=task.program_id):
        raise Http404
    return task


def annotate_reasons(tasks) -> list[OutreachTask]:
    for task in tasks:
        task.reason = describe(task.rule, task.evidence.get("facts", {}))
    return tasks


@dataclass
class CaseloadRow:
    person: object
    last_checkin: datetime.date | None
    week_minutes: int
    target_minutes: int
    mood_spark: str
    craving_spark: str
    flags: list[dict] = field(default_factory=list)
    person_url: str = ""
    checkins_url: str = ""

    @property
    def attendance_ratio(self) -> int:
        return round(100 * self.week_minutes / self.target_minutes) if self.target_minutes else 0

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class Today:
    queue: list
    rows: list
    filters: dict
    total_caseload: int
    today: datetime.date


FILTERS = ("all", "flagged", "no_checkin", "low_attendance")


def clinician_today(*, viewer, show: str = "", scope: str = "", query: str = "", now=None) -> Today:
    """The clinician's outreach queue and caseload table. A fixed number of queries whatever the
    caseload: people (with last check-in and this week's minutes as subqueries), recent check-ins
    for the sparklines, open tasks and open safety signals for the flags, and the queue."""
    now = now or timezone.now()
    try:
        tz = zoneinfo.ZoneInfo(viewer.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    today = now.astimezone(tz).date()
    week_start, week_end = local_week_bounds(monday_of(today), viewer.time_zone)
    staff_programs = program_ids_where(viewer, *STAFF_ROLES)
    membership = Membership.objects.filter(program_id__in=staff_programs, role=Role.PARTICIPANT, ended_at__isnull=True)
    if scope != "program":
        membership = membership.filter(primary_clinician=viewer)
    # IN (subquery), not a correlated EXISTS (SQLite would probe the membership index once per user).
    people = User.objects.filter(pk__in=membership.values("user_id"))
    if query:
        people = people.filter(display_name__icontains=query[:80])
    # Check-ins and signals of the viewer's own programs only: the care team is per program.
    of_my_programs = Q(program_id__in=staff_programs) | Q(program__isnull=True)
    last_checkin = (
        CheckIn.objects.filter(of_my_programs, person=OuterRef("pk")).order_by("-local_date").values("local_date")[:1]
    )
    week_minutes = (
        Attendance.objects.filter(
            person=OuterRef("pk"),
            occurrence__starts_at__gte=week_start,
            occurrence__starts_at__lt=week_end,
            occurrence__cancelled_at__isnull=True,
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    people = list(
        people.select_related("clinical_identity")
        .annotate(
            last_checkin=Subquery(last_checkin),
            week_minutes=Coalesce(Subquery(week_minutes, output_field=IntegerField()), Value(0)),
        )
        .order_by("display_name", "pk")[:CASELOAD_LIMIT]
    )
    ids = [p.pk for p in people]
    spark_start = today - datetime.timedelta(days=SPARK_DAYS - 1)
    by_person: dict[int, dict[datetime.date, tuple[int, int]]] = {}
    for person_id, day, mood, craving in CheckIn.objects.filter(
        of_my_programs, person_id__in=ids, local_date__gte=spark_start, local_date__lte=today
    ).values_list("person_id", "local_date", "mood", "craving"):
        by_person.setdefault(person_id, {})[day] = (mood, craving)
    flags: dict[int, list[dict]] = {}
    for task in OutreachTask.objects.filter(person_id__in=ids, status=Status.OPEN).order_by("urgency", "due_at"):
        flags.setdefault(task.person_id, []).append(
            {
                "label": task.get_rule_display(),
                "reason": describe(task.rule, task.evidence.get("facts", {})),
                "level": "urgent" if task.urgency == 0 else "task",
                "task_id": task.pk,
                "url": "",
            }
        )
    for signal in SafetySignal.objects.filter(
        of_my_programs, person_id__in=ids, acknowledged_at__isnull=True, severity__in=ALERTING_SEVERITIES
    ).order_by("-raised_at"):
        flags.setdefault(signal.person_id, []).append(
            {
                "label": signal.get_severity_display(),
                "reason": signal.source_label,
                "level": "urgent" if signal.severity == "urgent" else "signal",
                "task_id": None,
                "url": "",
            }
        )
    days = [spark_start + datetime.timedelta(days=i) for i in range(SPARK_DAYS)]
    # Reversed once, filled per row: a caseload of hundreds would otherwise reverse hundreds of times.
    person_url = reverse("person_detail", args=[0]).replace("/0/", "/{}/")
    checkins_url = reverse("checkins:person_checkins", args=[0]).replace("/0/", "/{}/")
    task_url = reverse("outreach:task_detail", args=[0]).replace("/0/", "/{}/")
    rows = []
    for person in people:
        values = by_person.get(person.pk, {})
        identity = getattr(person, "clinical_identity", None)
        rows.append(
            CaseloadRow(
                person=person,
                last_checkin=person.last_checkin,
                week_minutes=person.week_minutes,
                target_minutes=weekly_target_minutes(born=identity.date_of_birth if identity else None, on=today),
                mood_spark=sparkline(
                    [values[d][0] if d in values else None for d in days],
                    low=1,
                    high=10,
                    label=_("Mood, last %(days)d days") % {"days": SPARK_DAYS},
                    kind="mood",
                ),
                craving_spark=sparkline(
                    [values[d][1] if d in values else None for d in days],
                    low=0,
                    high=10,
                    label=_("Craving, last %(days)d days") % {"days": SPARK_DAYS},
                    kind="craving",
                ),
                flags=flags.get(person.pk, []),
                person_url=person_url.format(person.pk),
                checkins_url=checkins_url.format(person.pk),
            )
        )
    for row in rows:
        for flag in row.flags:
            if flag["task_id"]:
                flag["url"] = task_url.format(flag["task_id"])
    total = len(rows)
    if show == "flagged":
        rows = [r for r in rows if r.flagged]
    elif show == "no_checkin":
        rows = [r for r in rows if r.last_checkin is None or (today - r.last_checkin).days >= 2]
    elif show == "low_attendance":
        rows = [r for r in rows if r.week_minutes < r.target_minutes]
    rows.sort(
        key=lambda r: (not r.flagged, min((0 if f["level"] == "urgent" else 1) for f in r.flags) if r.flags else 2)
    )
    queue = annotate_reasons(list(queue_for_viewer(viewer=viewer)[:QUEUE_LIMIT]))
    return Today(
        queue=queue,
        rows=rows,
        filters={"show": show if show in FILTERS else "all", "scope": scope or "mine", "q": query},
        total_caseload=total,
        today=today,
    )
