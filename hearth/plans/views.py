from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.consent.selectors import discloses_outside_care_team
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.selectors import person_for_care_team

from . import services
from .forms import PlanForm
from .models import PlanVersion, TreatmentPlan
from .selectors import (
    current_version,
    person_for_plan,
    plan_history_for_viewer,
    plans_for_viewer,
    program_for_plan_editor,
    programs_missing_plan,
)


@login_required
def mine(request):
    return redirect("plans:plan", person_id=request.user.pk)


@login_required
def plan(request, person_id: int):
    viewer = request.user
    person = person_for_plan(viewer=viewer, person_id=person_id)
    plans = plans_for_viewer(viewer=viewer, person=person)
    audit_record(actor=viewer, action="plans.plan.viewed", subject=person, obj=person)
    return render(
        request,
        "plans/plan.html",
        {
            "person": person,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=person),
            "plans": plans,
            "own": viewer.pk == person.pk,
            "missing": programs_missing_plan(viewer=viewer, person=person),
        },
    )


@permission_required("programs.view_caseload")
def edit(request, person_id: int, program_id: int):
    viewer = request.user
    person = person_for_care_team(viewer=viewer, person_id=person_id)
    program = program_for_plan_editor(viewer=viewer, person=person, program_id=program_id)
    existing = TreatmentPlan.objects.filter(person=person, program=program).first()
    current: PlanVersion | None = current_version(plan=existing) if existing else None
    initial = {}
    if current is not None:
        initial = {
            "problems": current.problems,
            "goals": current.goals,
            "objectives": current.objectives,
            "interventions": current.interventions,
            "groups": list(current.groups.all()),
            "weekly_hours_target": current.weekly_hours_target,
            "next_review_on": current.next_review_on,
        }
    form = PlanForm(request.POST or None, initial=initial, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=viewer, person=person, program=program, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Plan saved as a new version."))
            return redirect("plans:plan", person_id=person.pk)
    return render(
        request,
        "plans/edit.html",
        {"person": person, "program": program, "form": form, "current": current},
        status=400 if form.errors else 200,
    )


@login_required
def history(request, person_id: int, program_id: int):
    viewer = request.user
    person = person_for_plan(viewer=viewer, person_id=person_id)
    plan, versions = plan_history_for_viewer(viewer=viewer, person=person, program_id=program_id)
    audit_record(actor=viewer, action="plans.history.viewed", subject=person, obj=plan)
    return render(
        request,
        "plans/history.html",
        {
            "person": person,
            "plan": plan,
            "versions": versions,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=person),
        },
    )
