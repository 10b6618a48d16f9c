import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.checkins.services import local_today
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.plans.selectors import plan_goals_for_care_team
from hearth.programs.models import Role
from hearth.programs.selectors import participants_for_viewer, person_for_care_team, program_ids_where

from . import permissions  # noqa: F401  (registers the rules)
from .activities import activities_describe
from .forms import (
    AssignForm,
    CounterStartForm,
    GoalForm,
    GratitudeForm,
    HomeworkAnswerForm,
    JournalForm,
    LapseForm,
    ResourceForm,
    ReviewForm,
    ThoughtRecordForm,
)
from .models import JournalKind, Phase, ResourceKind, Topic
from .selectors import (
    assignment_for_care_team,
    assignment_for_participant,
    cohorts_for_staff,
    counter_for_owner,
    favourite_ids_for,
    goal_for_care_team,
    goal_for_owner,
    goals_for_viewer,
    homework_for_participant,
    homework_for_person,
    homework_to_review,
    journal_entries_for_viewer,
    lapses_for_viewer,
    open_counts_for_staff,
    programs_for_staff,
    resource_for_viewer,
    resources_for_viewer,
    resources_on_topic,
    shareable_for_author,
    step_for_owner,
    thought_records_for_viewer,
)
from .selfhelp import TOOLS, tool_of_the_day
from .services import (
    assignment_complete,
    assignment_create,
    assignment_review,
    counter_start,
    counter_turn_off,
    goal_create,
    goal_plan_link,
    goal_step_toggle,
    homework_prompts,
    journal_entry_create,
    lapse_record,
    record_share_set,
    resource_create,
    resource_favourite_toggle,
    resource_open_count,
    thought_record_create,
)


def _with_homework_state(assignments, today):
    """Overdue is a gentle note for the person, never a flag; activity homework gets its title."""
    for a in assignments:
        a.is_overdue = a.completed_at is None and a.due_date < today
    return activities_describe(assignments, translation.get_language() or "en")


@permission_required("toolkit.use")
def home(request):
    user = request.user
    today = local_today(user)
    _counter, stats = counter_for_owner(viewer=user)
    homework = _with_homework_state(
        list(homework_for_participant(viewer=user).filter(completed_at__isnull=True).order_by("due_date")[:3]), today
    )
    goals = [g for g in goals_for_viewer(viewer=user, person=user)[:20] if g.completed_at is None][:3]
    return render(
        request,
        "toolkit/home.html",
        {"stats": stats, "homework": homework, "goals": goals, "tool": tool_of_the_day(today)},
    )


# --- counter ---------------------------------------------------------------------------------


@permission_required("toolkit.use")
def counter(request):
    user = request.user
    saved, stats = counter_for_owner(viewer=user)
    form = CounterStartForm(initial={"start_date": saved.start_date if saved else local_today(user)})
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "off":
            counter_turn_off(actor=user)
            messages.success(request, _("Your days counter is off. Your days are kept if you turn it back on."))
            return redirect("toolkit:counter")
        form = CounterStartForm(request.POST)
        if form.is_valid():
            try:
                counter_start(actor=user, start_date=form.cleaned_data["start_date"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your days counter is on."))
                return redirect("toolkit:counter")
        status = 400
    lapses = list(lapses_for_viewer(viewer=user, person=user)[:20]) if stats else []
    return render(
        request,
        "toolkit/counter.html",
        {"form": form, "counter": saved, "stats": stats, "lapses": lapses},
        status=status,
    )


@permission_required("toolkit.use")
def lapse(request):
    user = request.user
    _saved, stats = counter_for_owner(viewer=user)
    if stats is None:
        return redirect("toolkit:counter")
    form = LapseForm(initial={"local_date": local_today(user)})
    status = 200
    if request.method == "POST":
        form = LapseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lapse_record(actor=user, local_date=data["local_date"], note=data["note"], share=data["share"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("Thank you for being honest with yourself. Your days still count, and so do you.")
                )
                return redirect("toolkit:counter")
        status = 400
    return render(request, "toolkit/lapse.html", {"form": form, "stats": stats}, status=status)


# --- goals -----------------------------------------------------------------------------------


@permission_required("toolkit.use")
def goal_list(request):
    user = request.user
    form = GoalForm()
    status = 200
    if request.method == "POST":
        form = GoalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                goal = goal_create(
                    actor=user, title=data["title"], steps=form.step_list(), target_date=data["target_date"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your goal is saved. One small step at a time."))
                return redirect("toolkit:goal_detail", goal_id=goal.pk)
        status = 400
    goals = list(goals_for_viewer(viewer=user, person=user))
    return render(request, "toolkit/goal_list.html", {"form": form, "goals": goals}, status=status)


@permission_required("toolkit.use")
def goal_detail(request, goal_id):
    goal = goal_for_owner(viewer=request.user, goal_id=goal_id)
    return render(request, "toolkit/goal_detail.html", {"goal": goal, "steps": list(goal.steps.all())})


@require_POST
@permission_required("toolkit.use")
def step_toggle(request, goal_id, step_id):
    step = step_for_owner(viewer=request.user, goal_id=goal_id, step_id=step_id)
    if goal_step_toggle(actor=request.user, step=step):
        messages.success(request, _("You did it! Every step of this goal is done. Take a moment to feel proud."))
    return redirect("toolkit:goal_detail", goal_id=goal_id)


# --- homework (participant) ------------------------------------------------------------------


@permission_required("toolkit.use")
def homework_list(request):
    today = local_today(request.user)
    assignments = _with_homework_state(list(homework_for_participant(viewer=request.user)), today)
    return render(request, "toolkit/homework_list.html", {"assignments": assignments})


@permission_required("toolkit.use")
def homework_detail(request, assignment_id):
    user = request.user
    assignment = assignment_for_participant(viewer=user, assignment_id=assignment_id)
    activities_describe([assignment], translation.get_language() or "en")
    prompts = homework_prompts(assignment.resource) if assignment.resource_id else []
    form = HomeworkAnswerForm(prompts=prompts)
    status = 200
    if request.method == "POST" and assignment.resource_id is None:
        return redirect("toolkit:homework_detail", assignment_id=assignment.pk)  # done by playing, not writing
    if request.method == "POST":
        form = HomeworkAnswerForm(request.POST, prompts=prompts)
        if form.is_valid():
            try:
                assignment_complete(actor=user, assignment=assignment, answers=form.answers())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Handed in. Well done — your clinician will read it."))
                return redirect("toolkit:homework_detail", assignment_id=assignment.pk)
        status = 400
    assignment.is_overdue = assignment.completed_at is None and assignment.due_date < local_today(user)
    answered = list(zip(prompts, assignment.answer_list, strict=False))
    return render(
        request,
        "toolkit/homework_detail.html",
        {"assignment": assignment, "form": form, "answered": answered},
        status=status,
    )


# --- self-help -------------------------------------------------------------------------------


@permission_required("toolkit.use")
def tools(request):
    return render(request, "toolkit/tools.html", {"tools": TOOLS})


@permission_required("toolkit.use")
def thoughts(request):
    user = request.user
    form = ThoughtRecordForm()
    status = 200
    if request.method == "POST":
        form = ThoughtRecordForm(request.POST)
        if form.is_valid():
            try:
                thought_record_create(actor=user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Saved. Noticing a thought is a skill, and you just used it."))
                return redirect("toolkit:thoughts")
        status = 400
    records = list(thought_records_for_viewer(viewer=user, person=user)[:30])
    return render(request, "toolkit/thoughts.html", {"form": form, "records": records}, status=status)


@permission_required("toolkit.use")
def journal(request):
    user = request.user
    form = JournalForm()
    gratitude = GratitudeForm(prefix="gratitude")
    status = 200
    if request.method == "POST":
        is_gratitude = request.POST.get("kind") == JournalKind.GRATITUDE
        form = GratitudeForm(request.POST, prefix="gratitude") if is_gratitude else JournalForm(request.POST)
        if form.is_valid():
            try:
                journal_entry_create(
                    actor=user,
                    body=form.cleaned_data["body"],
                    share=form.cleaned_data.get("share", False),
                    kind=JournalKind.GRATITUDE if is_gratitude else JournalKind.JOURNAL,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your entry is saved."))
                return redirect("toolkit:journal")
        status = 400
        if is_gratitude:
            form, gratitude = JournalForm(), form
    entries = list(journal_entries_for_viewer(viewer=user, person=user)[:30])
    return render(
        request,
        "toolkit/journal.html",
        {"form": form, "gratitude": gratitude, "entries": entries, "gratitude_kind": JournalKind.GRATITUDE},
        status=status,
    )


@require_POST
@permission_required("toolkit.use")
def share(request, kind, record_id):
    record = shareable_for_author(viewer=request.user, kind=kind, record_id=record_id)
    shared = request.POST.get("shared") == "1"
    record_share_set(actor=request.user, record=record, shared=shared)
    messages.success(request, _("Shared with your care team.") if shared else _("Now private to you again."))
    return redirect({"journal": "toolkit:journal", "thought": "toolkit:thoughts", "lapse": "toolkit:counter"}[kind])


# --- library ---------------------------------------------------------------------------------


@login_required
def library(request):
    user = request.user
    language = request.GET.get("language", translation.get_language() or "en")
    language = language if language in ("en", "es", "all") else "en"
    topic = request.GET.get("topic") if request.GET.get("topic") in Topic.values else None
    resources = resources_on_topic(
        resources_for_viewer(viewer=user, language=None if language == "all" else language), topic
    )
    favourites = favourite_ids_for(viewer=user)
    counts = open_counts_for_staff(viewer=user)
    is_staff = bool(program_ids_where(user, Role.CLINICIAN, Role.ADMIN))
    for resource in resources:
        resource.saved = resource.pk in favourites
        resource.opens = counts.get(resource.pk, 0)
    resources.sort(key=lambda r: (not r.saved, r.title))
    return render(
        request,
        "toolkit/library.html",
        {
            "resources": resources,
            "topics": Topic.choices,
            "topic": topic,
            "language": language,
            "is_staff": is_staff,
        },
    )


@login_required
def resource_detail(request, resource_id):
    user = request.user
    resource = resource_for_viewer(viewer=user, resource_id=resource_id)
    programs = program_ids_where(user, Role.PARTICIPANT)
    if resource.program_id:
        programs = programs & {resource.program_id}
    resource_open_count(resource=resource, program_ids=programs, day=timezone.localdate())
    return render(
        request,
        "toolkit/resource_detail.html",
        {
            "resource": resource,
            "saved": resource.pk in favourite_ids_for(viewer=user),
            "kind_labels": dict(ResourceKind.choices),
            "phase_label": dict(Phase.choices).get(resource.phase, ""),
            "paragraphs": [p for p in resource.body.split("\n\n") if p.strip()],
        },
    )


@require_POST
@login_required
def favourite(request, resource_id):
    resource = resource_for_viewer(viewer=request.user, resource_id=resource_id)
    saved = resource_favourite_toggle(actor=request.user, resource=resource)
    messages.success(request, _("Saved to your favourites.") if saved else _("Removed from your favourites."))
    return redirect("toolkit:resource_detail", resource_id=resource.pk)


@permission_required("toolkit.assign_homework")
def resource_new(request):
    user = request.user
    programs = list(programs_for_staff(viewer=user))
    form = ResourceForm(programs=programs)
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, programs=programs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                resource = resource_create(
                    actor=user,
                    program=next(p for p in programs if p.pk == data["program"]),
                    title=data["title"],
                    kind=data["kind"],
                    language=data["language"],
                    summary=data["summary"],
                    topics=data["topics"],
                    phase=data["phase"],
                    body=data["body"],
                    url=data["url"],
                    prompts=form.prompt_list(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The resource is in your program's library."))
                return redirect("toolkit:resource_detail", resource_id=resource.pk)
        status = 400
    return render(request, "toolkit/resource_form.html", {"form": form}, status=status)


# --- staff -----------------------------------------------------------------------------------


@permission_required("toolkit.assign_homework")
def assign(request):
    user = request.user
    resources = list(resources_for_viewer(viewer=user))
    people = list(participants_for_viewer(viewer=user).order_by("display_name"))
    cohorts = list(cohorts_for_staff(viewer=user))
    options = {"resources": resources, "people": people, "cohorts": cohorts}
    initial = {"due_date": local_today(user) + datetime.timedelta(days=7)}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = AssignForm(initial=initial, **options)
    status = 200
    if request.method == "POST":
        form = AssignForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = assignment_create(
                    actor=user,
                    resource=next(r for r in resources if r.pk == data["resource"]),
                    person=next((p for p in people if p.pk == data["person"]), None),
                    cohort=next((c for c in cohorts if c.pk == data["cohort"]), None),
                    due_date=data["due_date"],
                    instructions=data["instructions"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied:
                form.add_error(None, _("You can only give homework to people in your care."))
            else:
                messages.success(
                    request,
                    ngettext("Homework given to %(count)d person.", "Homework given to %(count)d people.", len(made))
                    % {"count": len(made)},
                )
                if data["person"]:
                    return redirect("toolkit:person", person_id=data["person"])
                return redirect("toolkit:assign")
        status = 400
    to_review = activities_describe(homework_to_review(viewer=user)[:50], translation.get_language() or "en")
    return render(
        request,
        "toolkit/assign.html",
        {"form": form, "to_review": to_review, "people": people},
        status=status,
    )


@permission_required("toolkit.assign_homework")
def review(request, assignment_id):
    user = request.user
    assignment = assignment_for_care_team(viewer=user, assignment_id=assignment_id)
    activities_describe([assignment], translation.get_language() or "en")
    form = ReviewForm(initial={"comment": assignment.review_comment})
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                assignment_review(actor=user, assignment=assignment, comment=form.cleaned_data["comment"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your comment is saved. The person will see it with their homework."))
                return redirect("toolkit:person", person_id=assignment.person_id)
        status = 400
    else:
        audit_record(actor=user, action="toolkit.homework.viewed", subject=assignment.person, obj=assignment)
    prompts = homework_prompts(assignment.resource) if assignment.resource_id else []
    return render(
        request,
        "toolkit/review.html",
        {
            "assignment": assignment,
            "answered": list(zip(prompts, assignment.answer_list, strict=False)),
            "form": form,
        },
        status=status,
    )


@permission_required("toolkit.assign_homework")
def person_toolkit(request, person_id):
    user = request.user
    person = person_for_care_team(viewer=user, person_id=person_id)
    today = local_today(person)
    context = {
        "person": person,
        "assignments": _with_homework_state(list(homework_for_person(viewer=user, person=person)[:50]), today),
        "goals": list(goals_for_viewer(viewer=user, person=person)[:20]),
        "plan_goals": _plan_goal_choices(user, person),
        "journal": list(journal_entries_for_viewer(viewer=user, person=person)[:20]),
        "thoughts": list(thought_records_for_viewer(viewer=user, person=person)[:20]),
        "lapses": list(lapses_for_viewer(viewer=user, person=person)[:20]),
    }
    audit_record(actor=user, action="toolkit.person.viewed", subject=person)
    return render(request, "toolkit/person.html", context)


def _plan_goal_choices(viewer, person) -> list[dict]:
    """Each goal line of the person's current plans, as "plan:version:line" (the version catches a
    plan that changed between showing the form and saving it)."""
    choices = []
    for plan, version, lines in plan_goals_for_care_team(viewer=viewer, person=person):
        for index, text in enumerate(lines):
            choices.append(
                {
                    "value": f"{plan.pk}:{version.number}:{index}",
                    "plan_id": plan.pk,
                    "text": text,
                    "label": f"{plan.program.name}: {text}",
                }
            )
    return choices


@require_POST
@permission_required("toolkit.assign_homework")
def goal_link(request, person_id, goal_id):
    """The clinician links one of the person's own goals to a goal of their plan, or unlinks it."""
    user = request.user
    person = person_for_care_team(viewer=user, person_id=person_id)
    goal = goal_for_care_team(viewer=user, person=person, goal_id=goal_id)
    raw = request.POST.get("plan_goal", "")
    parts = raw.split(":")
    try:
        if raw == "":
            goal_plan_link(actor=user, goal=goal, plan_id=None)
        elif len(parts) == 3 and all(p.isdigit() and len(p) < 10 for p in parts):
            plan_id, version, line = (int(p) for p in parts)
            goal_plan_link(actor=user, goal=goal, plan_id=plan_id, version=version, line=line)
        else:
            raise ValidationError(_("Choose a goal from this person's plan."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("toolkit:person", person_id=person.pk)
    messages.success(request, _("Linked to the plan goal.") if raw else _("The goal is no longer linked."))
    return redirect("toolkit:person", person_id=person.pk)
