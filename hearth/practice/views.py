from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.models import STAFF_ROLES
from hearth.programs.selectors import (
    participants_for_viewer,
    person_for_care_team,
    program_ids_where,
    programs_for_viewer,
)

from .display import current_language, run_view, scene_summary, skill_tally, skills_of
from .forms import AnswerForm, AssignmentForm, SceneForm
from .models import Scene
from .schema import SceneError
from .selectors import (
    assignments_for_person,
    open_assignments_for,
    person_for_practice,
    recent_runs_for_caseload,
    run_for_viewer,
    runs_for_person,
    scene_for_editor,
    scene_for_player,
    scene_for_staff,
    scenes_for_person,
    scenes_for_player,
    scenes_for_staff,
)
from .services import ChoiceNotInStep, assignment_create, run_answer, run_choose, run_start, scene_save
from .skills import coach_checklist

HISTORY_LIMIT = 50
CASELOAD_PICKER_LIMIT = 500


def _runs_for_display(runs, language: str) -> list[dict]:
    return [
        {"run": run, "title": scene_summary(run.scene, language)["title"], "skills": skills_of(run)} for run in runs
    ]


@permission_required("practice.play")
def home(request):
    """The scenes a participant can practise, what their clinician asked for first."""
    language = current_language()
    assignments = open_assignments_for(viewer=request.user, language=language)
    scenes = [scene_summary(scene, language) for scene in scenes_for_player(viewer=request.user)]
    recent = _runs_for_display(runs_for_person(viewer=request.user, person=request.user)[:3], language)
    return render(request, "practice/home.html", {"assignments": assignments, "scenes": scenes, "recent": recent})


@require_POST
@permission_required("practice.play")
def start(request, scene_id):
    scene = scene_for_player(viewer=request.user, scene_id=scene_id)
    run = run_start(actor=request.user, scene=scene, language=current_language())
    return redirect("practice:run", run_id=run.pk)


def _render_run(request, run, *, status=200, error="", answer_form=None):
    viewer = request.user
    own = run.person_id == viewer.pk
    if not own:
        audit_record(actor=viewer, action="practice.run.viewed", subject=run.person, obj=run)
    view = run_view(run, current_language())
    latest_answer = view["current_answers"][-1] if view["current_answers"] else None
    checklist = coach_checklist(latest_answer["text"]) if latest_answer else []
    context = {
        "run": run,
        "view": view,
        "own": own,
        "error": error,
        "answer_form": answer_form or AnswerForm(),
        "latest_answer": latest_answer,
        "seen": [item for item in checklist if item.state == "seen"],
        "tips": [item for item in checklist if item.state == "tip"],
        "aloud": [item for item in checklist if item.state == "try_aloud"],
    }
    return render(request, "practice/run.html", context, status=status)


@login_required
def run_detail(request, run_id):
    """The player for the person; the same transcript, read-only, for their care team."""
    run = run_for_viewer(viewer=request.user, run_id=run_id)
    return _render_run(request, run)


@require_POST
@login_required
def choose(request, run_id):
    run = run_for_viewer(viewer=request.user, run_id=run_id)
    try:
        run = run_choose(
            actor=request.user,
            run=run,
            choice_id=request.POST.get("choice", ""),
            at_node=request.POST.get("at") or None,
        )
    except ChoiceNotInStep as error:
        return _render_run(request, run, status=400, error=error.messages[0])
    except ValidationError as error:
        return _render_run(request, run, status=400, error=error.messages[0])
    target = reverse("practice:run", kwargs={"run_id": run.pk})
    return redirect(target)


@require_POST
@login_required
def answer(request, run_id):
    run = run_for_viewer(viewer=request.user, run_id=run_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            run_answer(actor=request.user, run=run, text=form.cleaned_data["answer"])
        except ValidationError as error:
            apply_validation_error(form, error, {"__all__": "answer"})
        else:
            return redirect("practice:run", run_id=run.pk)
    return _render_run(request, run, status=400, answer_form=form)


@permission_required("practice.play")
def history(request):
    """My practice: every scene played, how it ended, the skills used."""
    runs = runs_for_person(viewer=request.user, person=request.user)[:HISTORY_LIMIT]
    return render(request, "practice/history.html", {"runs": _runs_for_display(runs, current_language())})


@login_required
def person_practice(request, person_id):
    """A person's practice for themself or their care team: scenes played, skills, assignments."""
    viewer = request.user
    person = person_for_practice(viewer=viewer, person_id=person_id)
    language = current_language()
    recent_runs = list(runs_for_person(viewer=viewer, person=person)[:HISTORY_LIMIT])
    runs = _runs_for_display(recent_runs, language)
    assignments = assignments_for_person(viewer=viewer, person=person, language=language)
    if viewer.pk != person.pk:
        audit_record(actor=viewer, action="practice.runs.viewed", subject=person, obj=person)
    can_assign = viewer.pk != person.pk
    form = None
    if can_assign:
        form = AssignmentForm(scenes=[scene_summary(s, language) for s in scenes_for_person(person=person)])
    return render(
        request,
        "practice/person.html",
        {
            "person": person,
            "runs": runs,
            "tally": skill_tally(recent_runs),
            "assignments": assignments,
            "form": form,
            "is_own": viewer.pk == person.pk,
        },
    )


@require_POST
@login_required
def assign(request, person_id):
    viewer = request.user
    person = person_for_care_team(viewer=viewer, person_id=person_id)
    language = current_language()
    scenes = [scene_summary(s, language) for s in scenes_for_person(person=person)]
    form = AssignmentForm(request.POST, scenes=scenes)
    if form.is_valid():
        scene = next(item["scene"] for item in scenes if item["scene"].pk == form.cleaned_data["scene"])
        try:
            assignment_create(actor=viewer, person=person, scene=scene, due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Assigned. It shows on their home page until they practise it."))
            return redirect("practice:person", person_id=person.pk)
    runs = _runs_for_display(runs_for_person(viewer=viewer, person=person)[:HISTORY_LIMIT], language)
    assignments = assignments_for_person(viewer=viewer, person=person, language=language)
    return render(
        request,
        "practice/person.html",
        {"person": person, "runs": runs, "assignments": assignments, "form": form, "is_own": False},
        status=400,
    )


@permission_required("practice.manage_scenes")
def scenes(request):
    """Staff: the scene library (shipped and the program's own) and the latest practice on the caseload."""
    person_id = request.GET.get("person")
    if person_id:
        person = person_for_care_team(viewer=request.user, person_id=person_id)
        return redirect("practice:person", person_id=person.pk)
    language = current_language()
    library = [scene_summary(scene, language) for scene in scenes_for_staff(viewer=request.user)]
    recent = _runs_for_display(recent_runs_for_caseload(viewer=request.user), language)
    caseload = list(participants_for_viewer(viewer=request.user)[:CASELOAD_PICKER_LIMIT])
    return render(request, "practice/scenes.html", {"library": library, "recent": recent, "caseload": caseload})


def _staff_programs(user):
    ids = program_ids_where(user, *STAFF_ROLES)
    return [p for p in programs_for_viewer(viewer=user) if p.pk in ids]


@permission_required("practice.manage_scenes")
def scene_new(request):
    """A new scene for the program, written from scratch or starting from a copy of another."""
    programs = _staff_programs(request.user)
    if request.method == "POST":
        form = SceneForm(request.POST, programs=programs)
        if form.is_valid():
            program = next(p for p in programs if p.pk == form.cleaned_data["program"])
            return _save_scene(request, form, program=program, scene=None)
        return render(request, "practice/scene_form.html", {"form": form}, status=400)
    initial = {}
    copy_from = request.GET.get("from")
    if copy_from:
        initial["source"] = scene_for_staff(viewer=request.user, scene_id=copy_from).source
    return render(request, "practice/scene_form.html", {"form": SceneForm(initial=initial, programs=programs)})


@permission_required("practice.manage_scenes")
def scene_edit(request, scene_id):
    scene = scene_for_editor(viewer=request.user, scene_id=scene_id)
    if request.method == "POST":
        form = SceneForm(request.POST, editing=True)
        if form.is_valid():
            return _save_scene(request, form, program=scene.program, scene=scene)
        return render(request, "practice/scene_form.html", {"form": form, "scene": scene}, status=400)
    form = SceneForm(initial={"source": scene.source}, editing=True)
    return render(request, "practice/scene_form.html", {"form": form, "scene": scene})


def _save_scene(request, form, *, program, scene: Scene | None):
    try:
        saved = scene_save(actor=request.user, program=program, source=form.cleaned_data["source"], scene=scene)
    except SceneError as error:
        for problem in error.problems:
            if problem.line:
                message = _("Line %(line)d: %(reason)s") % {"line": problem.line, "reason": problem.reason}
            else:
                message = problem.reason
            form.add_error("source", message)
    except ValidationError as error:
        apply_validation_error(form, error)
    else:
        messages.success(request, _("Scene saved. Participants in the program can play it now."))
        return redirect("practice:scene_edit", scene_id=saved.pk)
    return render(request, "practice/scene_form.html", {"form": form, "scene": scene}, status=400)
