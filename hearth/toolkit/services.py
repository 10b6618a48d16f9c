"""Every write of the toolkit. Free text a person writes is encrypted and still read by safety's
detection: crisis language raises a signal for the care team once the row is committed (the
person's writing is never blocked or hidden)."""

import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.checkins.services import local_today
from hearth.notifications.reminders import reminders_replace
from hearth.notifications.services import local_to_utc, notify, person_zone
from hearth.plans.selectors import plan_goals_for_care_team
from hearth.programs.models import Membership, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where
from hearth.safety.services import free_text_screen

from .activities import activity_kind
from .models import (
    GOAL_STEPS_MAX,
    Assignment,
    Goal,
    GoalStep,
    JournalEntry,
    JournalKind,
    Lapse,
    Phase,
    Resource,
    ResourceFavourite,
    ResourceKind,
    ResourceOpenCount,
    SoberCounter,
    ThoughtRecord,
    Topic,
)

TEXT_MAX = 4000
SHORT_TEXT_MAX = 200


def _require_participant(actor) -> None:
    if actor is None or not actor.is_authenticated or not program_ids_where(actor, Role.PARTICIPANT):
        raise PermissionDenied(_("The toolkit is for participants."))


def _screen(*, person, source: str, texts) -> None:
    """Read what the person wrote for crisis language; alert the care team after commit."""
    free_text_screen(person=person, source=source, texts=texts, alerting_only=True)


# --- sober-days counter -------------------------------------------------------------------


def counter_start(*, actor, start_date: datetime.date, now: datetime.datetime | None = None) -> SoberCounter:
    """Turn the counter on from a day the person chooses (today or earlier, in their own zone)."""
    _require_participant(actor)
    if start_date > local_today(actor, now):
        raise ValidationError({"start_date": _("The start date cannot be in the future.")})
    if Lapse.objects.filter(person=actor, local_date__lt=start_date).exists():
        raise ValidationError(
            {"start_date": _("You recorded a return to use before this date. Choose a date on or before it.")}
        )
    with transaction.atomic():
        counter, created = SoberCounter.objects.select_for_update().get_or_create(
            person=actor, defaults={"start_date": start_date, "enabled": True}
        )
        if not created:
            counter.start_date = start_date
            counter.enabled = True
            counter.updated_at = timezone.now()
            counter.save(update_fields=["start_date", "enabled", "updated_at"])
        audit_record(actor=actor, action="toolkit.counter.started", subject=actor, obj=counter)
    return counter


def counter_turn_off(*, actor) -> None:
    """Hide the counter; its days and lapses are kept in case the person turns it on again."""
    _require_participant(actor)
    with transaction.atomic():
        updated = SoberCounter.objects.filter(person=actor, enabled=True).update(
            enabled=False, updated_at=timezone.now()
        )
        if updated:
            audit_record(actor=actor, action="toolkit.counter.turned_off", subject=actor)


def lapse_record(
    *, actor, local_date: datetime.date, note: str = "", share: bool = False, now: datetime.datetime | None = None
) -> Lapse:
    _require_participant(actor)
    counter = SoberCounter.objects.filter(person=actor, enabled=True).first()
    if counter is None:
        raise ValidationError(_("Turn on your days counter first."))
    if local_date > local_today(actor, now):
        raise ValidationError({"local_date": _("This day has not come yet.")})
    if local_date < counter.start_date:
        raise ValidationError({"local_date": _("This day is before your start date.")})
    note = note.strip()
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("Please keep the note under 4000 characters.")})
    with transaction.atomic():
        lapse = Lapse.objects.create(person=actor, local_date=local_date, note=note, shared_with_care_team=share)
        audit_record(
            actor=actor, action="toolkit.lapse.recorded", subject=actor, obj=lapse, data={"shared": bool(share)}
        )
        _screen(person=actor, source="toolkit.lapse", texts=[note])
    return lapse


# --- goals ---------------------------------------------------------------------------------


def goal_create(*, actor, title: str, steps: list[str], target_date: datetime.date | None = None, now=None) -> Goal:
    _require_participant(actor)
    title = (title or "").strip()
    steps = [s.strip() for s in steps if s and s.strip()]
    errors = {}
    if not title:
        errors["title"] = _("Name your goal in a few words.")
    elif len(title) > SHORT_TEXT_MAX:
        errors["title"] = _("Please keep the goal under 200 characters.")
    if not steps:
        errors["steps"] = _("Add at least one small step.")
    elif len(steps) > GOAL_STEPS_MAX:
        errors["steps"] = _("A goal can have up to %(max)d steps. Small goals are easier to reach.") % {
            "max": GOAL_STEPS_MAX
        }
    elif any(len(s) > SHORT_TEXT_MAX for s in steps):
        errors["steps"] = _("Please keep each step under 200 characters.")
    if target_date is not None and target_date < local_today(actor, now):
        errors["target_date"] = _("The target date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal = Goal.objects.create(person=actor, title=title, target_date=target_date)
        GoalStep.objects.bulk_create(GoalStep(goal=goal, text=text, order=i) for i, text in enumerate(steps))
        audit_record(actor=actor, action="toolkit.goal.created", subject=actor, obj=goal, data={"steps": len(steps)})
        _screen(person=actor, source="toolkit.goal", texts=[title, *steps])
    return goal


def goal_step_toggle(*, actor, step: GoalStep) -> bool:
    """Check a step off (or back on). Returns True when this completed the whole goal."""
    goal = step.goal
    if actor is None or goal.person_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        step.done_at = None if step.done_at else now
        step.save(update_fields=["done_at"])
        all_done = not goal.steps.filter(done_at__isnull=True).exists()
        just_completed = all_done and goal.completed_at is None
        goal.completed_at = (goal.completed_at or now) if all_done else None
        goal.save(update_fields=["completed_at"])
        audit_record(
            actor=actor,
            action="toolkit.goal_step.checked" if step.done_at else "toolkit.goal_step.unchecked",
            subject=actor,
            obj=step,
        )
        if just_completed:
            audit_record(actor=actor, action="toolkit.goal.completed", subject=actor, obj=goal)
    return just_completed


def goal_plan_link(
    *, actor, goal: Goal, plan_id: int | None, line: int | None = None, version: int | None = None
) -> Goal:
    """The clinician links the person's own goal to one goal of their current treatment plan (line
    ``line`` of plan version ``version``, as shown on the form), or unlinks it (``plan_id`` None)."""
    if not is_care_team_of(actor, goal.person):
        raise PermissionDenied
    if plan_id is None:
        plan, text = None, ""
    else:
        found = next(
            (
                (p, v, lines)
                for p, v, lines in plan_goals_for_care_team(viewer=actor, person=goal.person)
                if p.pk == plan_id
            ),
            None,
        )
        if found is None:
            raise ValidationError({"plan_goal": _("Choose a goal from this person's plan.")})
        plan, current, lines = found
        if version != current.number:
            raise ValidationError({"plan_goal": _("The plan changed since this page was opened. Please choose again.")})
        if line is None or not 0 <= line < len(lines):
            raise ValidationError({"plan_goal": _("Choose a goal from this person's plan.")})
        text = lines[line]
    with transaction.atomic():
        goal.plan, goal.plan_goal = plan, text
        goal.linked_by, goal.linked_at = (actor, timezone.now()) if plan else (None, None)
        goal.save(update_fields=["plan", "plan_goal", "linked_by", "linked_at"])
        audit_record(
            actor=actor,
            action="toolkit.goal.linked" if plan else "toolkit.goal.unlinked",
            subject=goal.person,
            obj=goal,
            data={"plan": plan.pk if plan else None},
        )
    return goal


# --- library ---------------------------------------------------------------------------------


def resource_favourite_toggle(*, actor, resource: Resource) -> bool:
    """Save or unsave a resource; returns whether it is saved now."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = ResourceFavourite.objects.filter(person=actor, resource=resource).delete()
        if not deleted:
            ResourceFavourite.objects.create(person=actor, resource=resource)
        audit_record(
            actor=actor,
            action="toolkit.favourite.removed" if deleted else "toolkit.favourite.added",
            subject=actor,
            obj=resource,
        )
    return not deleted


RESOURCE_PROMPTS_MAX = 10


def resource_create(
    *,
    actor,
    program,
    title: str,
    kind: str,
    language: str,
    summary: str,
    topics=(),
    phase: str = Phase.ANY,
    body: str = "",
    url: str = "",
    prompts=(),
) -> Resource:
    """A program's own resource, written or linked by its staff."""
    if program is None or program.pk not in program_ids_where(actor, Role.CLINICIAN, Role.ADMIN):
        raise PermissionDenied
    title, summary, body, url = (v.strip() for v in (title or "", summary or "", body or "", url or ""))
    prompts = [p.strip() for p in prompts if p and p.strip()]
    errors = {}
    if not title or len(title) > SHORT_TEXT_MAX:
        errors["title"] = _("Give a title of up to 200 characters.")
    if not summary or len(summary) > 300:
        errors["summary"] = _("Give a one-line summary of up to 300 characters.")
    if kind not in ResourceKind.values:
        errors["kind"] = _("Choose a kind.")
    if language not in ("en", "es"):
        errors["language"] = _("Choose a language.")
    if any(t not in Topic.values for t in topics):
        errors["topics"] = _("Choose topics from the list.")
    if phase not in Phase.values:
        errors["phase"] = _("Choose a phase.")
    if url and not url.startswith(("https://", "http://")):
        errors["url"] = _("A link starts with https://")
    if kind in (ResourceKind.AUDIO, ResourceKind.VIDEO) and not url:
        errors["url"] = _("Audio and video need a link.")
    if kind in (ResourceKind.ARTICLE, ResourceKind.WORKSHEET) and not (body or url):
        errors["body"] = _("Write the text, or give a link.")
    if len(body) > 20000:
        errors["body"] = _("Please keep the text under 20000 characters.")
    if len(prompts) > RESOURCE_PROMPTS_MAX or any(len(p) > 300 for p in prompts):
        errors["prompts"] = _("Up to 10 questions of up to 300 characters each.")
    if errors:
        raise ValidationError(errors)
    base = slugify(title)[:60] or "resource"
    slug, n = base, 1
    while Resource.objects.filter(program=program, slug=slug, language=language).exists():
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        resource = Resource.objects.create(
            program=program,
            slug=slug,
            title=title,
            kind=kind,
            language=language,
            topics=sorted(set(topics)),
            phase=phase,
            summary=summary,
            body=body,
            url=url,
            prompts=prompts,
        )
        audit_record(actor=actor, action="toolkit.resource.created", obj=resource, data={"program": program.pk})
    return resource


def resource_open_count(*, resource: Resource, program_ids, day: datetime.date) -> None:
    """Count an opening per program and day. No person and no audit entry on purpose: staff see
    what is useful to people, never who read what (an audit row would say exactly that)."""
    for program_id in program_ids:
        with transaction.atomic():
            row, _created = ResourceOpenCount.objects.get_or_create(resource=resource, program_id=program_id, day=day)
            ResourceOpenCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


# --- homework --------------------------------------------------------------------------------


def _resource_in_program(resource: Resource, program_id: int) -> bool:
    return resource.program_id is None or resource.program_id == program_id


HOMEWORK_KIND = "toolkit.homework"
HOMEWORK_REMINDER_KIND = "toolkit.homework_reminder"
# The gentle reminder comes the morning after the due day, in the person's own zone.
REMINDER_TIME = datetime.time(10, 0)


def _homework_url(assignment: Assignment) -> str:
    return reverse("toolkit:homework_detail", args=[assignment.pk])


def _homework_words(assignment: Assignment, what: str) -> str:
    """Which homework and by when; ``notify`` calls it in the person's language (shown in Hearth only,
    never sent: email, SMS and push keep the kind's generic words)."""
    return _("Homework from your care team: “%(what)s”, by %(day)s") % {
        "what": what,
        "day": date_format(assignment.due_date, "DATE_FORMAT"),
    }


def _homework_announce(assignment: Assignment, what: str) -> None:
    """Tell the person in the app, and set the one gentle reminder for after the due day (sent only
    if it is still not done: ``homework_still_due``). Never a flag for anyone else."""
    person = assignment.person
    url = _homework_url(assignment)
    notify(recipient=person, kind=HOMEWORK_KIND, url=url, text=lambda: _homework_words(assignment, what))
    due = local_to_utc(assignment.due_date + datetime.timedelta(days=1), REMINDER_TIME, person_zone(person))
    reminders_replace(kind=HOMEWORK_REMINDER_KIND, source=assignment, wanted={(person.pk, "overdue"): due}, url=url)


def homework_still_due(reminders) -> set[int]:
    """Of due homework reminders, those whose homework is still not done."""
    open_ids = set(
        Assignment.objects.filter(pk__in={r.source_id for r in reminders}, completed_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    return {r.pk for r in reminders if r.source_id in open_ids}


def assignment_create(
    *,
    actor,
    due_date: datetime.date,
    resource: Resource | None = None,
    activity: tuple[str, int] | None = None,
    activity_title: str = "",
    person=None,
    cohort=None,
    instructions: str = "",
    now=None,
) -> list[Assignment]:
    """Give homework to one participant or to every current participant of a cohort: a resource,
    or an activity another app registered (``activity`` = (kind, id), one person, with its title
    for the notification; that app checks the person may do it)."""
    staff_programs = program_ids_where(actor, Role.CLINICIAN, Role.ADMIN)
    if (person is None) == (cohort is None):
        raise ValidationError(_("Choose one person or one group."))
    if (resource is None) == (activity is None):
        raise ValidationError(_("Choose one thing to give."))
    if activity is not None and (activity_kind(activity[0]) is None or cohort is not None):
        raise ValidationError(_("This can only be given to one person."))
    if due_date < local_today(actor, now):
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    instructions = (instructions or "").strip()
    if len(instructions) > TEXT_MAX:
        raise ValidationError({"instructions": _("Please keep the note under 4000 characters.")})
    if person is not None:
        if not is_care_team_of(actor, person):
            raise PermissionDenied
        memberships = list(
            Membership.objects.filter(
                user=person, role=Role.PARTICIPANT, program_id__in=staff_programs, ended_at__isnull=True
            ).select_related("user")[:1]
        )
    else:
        if cohort.program_id not in staff_programs:
            raise PermissionDenied
        memberships = list(
            Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT, ended_at__isnull=True).select_related(
                "user"
            )
        )
    if not memberships:
        raise ValidationError(_("There is no one to give this to yet."))
    if resource is not None and any(not _resource_in_program(resource, m.program_id) for m in memberships):
        raise ValidationError({"resource": _("This resource is not in the person's program.")})
    kind, activity_id = activity if activity is not None else ("", None)
    with transaction.atomic():
        if (
            activity is not None
            and Assignment.objects.filter(
                person=person, activity_kind=kind, activity_id=activity_id, completed_at__isnull=True
            ).exists()
        ):
            raise ValidationError(_("This is already given to the person and not done yet."))
        made = []
        for m in memberships:
            assignment = Assignment.objects.create(
                resource=resource,
                activity_kind=kind,
                activity_id=activity_id,
                person=m.user,
                program_id=m.program_id,
                cohort=cohort,
                assigned_by=actor,
                due_date=due_date,
                instructions=instructions,
            )
            made.append(assignment)
            audit_record(
                actor=actor,
                action="toolkit.homework.assigned",
                subject=m.user,
                obj=assignment,
                data={
                    "resource": resource.pk if resource else None,
                    "activity": f"{kind}:{activity_id}" if activity else None,
                    "cohort": cohort.pk if cohort else None,
                },
            )
            _homework_announce(assignment, resource.title if resource else activity_title)
    return made


def activity_homework_complete(*, actor, kind: str, activity_id: int, at: datetime.datetime) -> int:
    """The person finished an activity (a practice scene): their open homework for it, given before
    they finished, is done. Called by the app that owns the activity. Returns how many."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    done = list(
        Assignment.objects.select_for_update().filter(
            person=actor, activity_kind=kind, activity_id=activity_id, completed_at__isnull=True, assigned_at__lte=at
        )
    )
    for assignment in done:
        assignment.completed_at = at
        assignment.save(update_fields=["completed_at"])
        audit_record(actor=actor, action="toolkit.homework.completed", subject=actor, obj=assignment)
    return len(done)


def homework_prompts(resource: Resource) -> list[str]:
    return list(resource.prompts) or [_("What is one thing you will take from this?")]


def assignment_complete(*, actor, assignment: Assignment, answers: list[str]) -> Assignment:
    """The participant hands in short answers, one per question. Only their own homework."""
    if actor is None or assignment.person_id != actor.pk:
        raise PermissionDenied(_("This homework was not given to you."))
    if assignment.completed_at is not None:
        raise ValidationError(_("You already handed this in. Thank you!"))
    if assignment.resource_id is None:
        raise ValidationError(_("This homework is done in the app it points to, not with written answers."))
    prompts = homework_prompts(assignment.resource)
    answers = [(a or "").strip() for a in answers]
    if len(answers) != len(prompts):
        raise ValidationError(_("Please answer each question."))
    if not any(answers):
        raise ValidationError(_("Write at least one answer, even a short one."))
    if any(len(a) > TEXT_MAX for a in answers):
        raise ValidationError(_("Please keep each answer under 4000 characters."))
    with transaction.atomic():
        assignment.answers = json.dumps(answers)
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["answers", "completed_at"])
        audit_record(actor=actor, action="toolkit.homework.completed", subject=actor, obj=assignment)
        _screen(person=actor, source="toolkit.homework", texts=answers)
    return assignment


def assignment_review(*, actor, assignment: Assignment, comment: str) -> Assignment:
    if not is_care_team_of(actor, assignment.person):
        raise PermissionDenied
    if assignment.completed_at is None:
        raise ValidationError(_("This homework has not been handed in yet."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write a short comment for the person.")})
    if len(comment) > TEXT_MAX:
        raise ValidationError({"comment": _("Please keep the comment under 4000 characters.")})
    with transaction.atomic():
        assignment.review_comment = comment
        assignment.reviewed_at = timezone.now()
        assignment.reviewed_by = actor
        assignment.save(update_fields=["review_comment", "reviewed_at", "reviewed_by"])
        audit_record(actor=actor, action="toolkit.homework.reviewed", subject=assignment.person, obj=assignment)
    return assignment


# --- thought records and journal -----------------------------------------------------------


def thought_record_create(
    *, actor, situation: str, thought: str, feeling: str, evidence: str = "", balanced: str = "", share=False
) -> ThoughtRecord:
    _require_participant(actor)
    values = {
        "situation": (situation or "").strip(),
        "thought": (thought or "").strip(),
        "feeling": (feeling or "").strip(),
        "evidence": (evidence or "").strip(),
        "balanced": (balanced or "").strip(),
    }
    errors = {k: _("Please fill this in.") for k in ("situation", "thought", "feeling") if not values[k]}
    errors.update({k: _("Please keep this under 4000 characters.") for k, v in values.items() if len(v) > TEXT_MAX})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = ThoughtRecord.objects.create(person=actor, shared_with_care_team=bool(share), **values)
        audit_record(
            actor=actor, action="toolkit.thought_record.created", subject=actor, obj=record, data={"shared": share}
        )
        _screen(person=actor, source="toolkit.thought_record", texts=list(values.values()))
    return record


def journal_entry_create(*, actor, body: str, share: bool = False, kind: str = JournalKind.JOURNAL) -> JournalEntry:
    _require_participant(actor)
    if kind not in JournalKind.values:
        raise ValidationError(_("Choose a journal or a gratitude note."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first, even one line.")})
    if len(body) > TEXT_MAX:
        raise ValidationError({"body": _("Please keep an entry under 4000 characters.")})
    with transaction.atomic():
        entry = JournalEntry.objects.create(person=actor, kind=kind, body=body, shared_with_care_team=bool(share))
        audit_record(
            actor=actor,
            action="toolkit.journal_entry.created",
            subject=actor,
            obj=entry,
            data={"shared": share, "kind": kind},
        )
        _screen(person=actor, source="toolkit.journal", texts=[body])
    return entry


def record_share_set(*, actor, record, shared: bool):
    """Share one journal entry, thought record or lapse with the care team, or stop sharing it."""
    if actor is None or record.person_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        record.shared_with_care_team = bool(shared)
        record.save(update_fields=["shared_with_care_team"])
        audit_record(
            actor=actor,
            action=f"toolkit.{record._meta.model_name}.{'shared' if shared else 'unshared'}",
            subject=actor,
            obj=record,
        )
    return record
