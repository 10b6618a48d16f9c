from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.core.offline import keep_offline

from .forms import AcknowledgeForm, SafetyPlanForm, contact_formset_class, contacts_from
from .selectors import (
    person_for_plan_viewer,
    plan_contacts,
    plan_for_display,
    plan_needs_clinician,
    safety_plan_for_viewer,
    signal_events_for_viewer,
    signal_for_viewer,
)
from .services import PLAN_TEXT_FIELDS, may_edit_plan, safety_plan_review, safety_plan_save
from .services import safety_signal_acknowledge as acknowledge

CONTACTS_PREFIX = "contacts"


@permission_required("safety.keep_own_plan")
def plan_mine(request):
    return redirect("safety_plan", person_id=request.user.pk)


@login_required
def plan_detail(request, person_id: int):
    """The plan, small and script-free: readable on a weak connection, printable."""
    viewer = request.user
    person = person_for_plan_viewer(viewer=viewer, person_id=person_id)
    version = safety_plan_for_viewer(viewer=viewer, person=person)
    audit_record(
        actor=viewer,
        action="safety.plan.viewed",
        subject=person,
        obj=version,
        data={"version": version.number if version else 0},
    )
    context = {
        "person": person,
        "plan": version,
        "shown": plan_for_display(version=version, person=person) if version else None,
        "is_own": viewer.pk == person.pk,
        "may_edit": may_edit_plan(viewer, person),
        "may_review": plan_needs_clinician(viewer=viewer, person=person) == "review",
    }
    response = render(request, "safety/plan.html", context)
    # Only the person's own plan is kept on their device for offline reading; a clinician's or
    # family member's view of someone else's plan never is.
    return keep_offline(response) if context["is_own"] else response


@login_required
def plan_edit(request, person_id: int):
    viewer = request.user
    person = person_for_plan_viewer(viewer=viewer, person_id=person_id)
    if not may_edit_plan(viewer, person):
        raise PermissionDenied
    version = safety_plan_for_viewer(viewer=viewer, person=person)
    initial_contacts = [{"name": c["name"], "phone": c["phone"]} for c in plan_contacts(version)]
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        # Bound to the posted count: a second editor's rows are never dropped silently.
        formset = contact_formset_class(len(initial_contacts))(request.POST, prefix=CONTACTS_PREFIX)
        if form.is_valid() & formset.is_valid():
            try:
                safety_plan_save(
                    actor=viewer,
                    person=person,
                    based_on=form.cleaned_data["based_on"],
                    sections={name: form.cleaned_data[name] for name in PLAN_TEXT_FIELDS},
                    contacts=contacts_from(formset),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc, field_map={"contacts": None})
            else:
                messages.success(request, _("Safety plan saved."))
                return redirect("safety_plan", person_id=person.pk)
    else:
        initial = {name: getattr(version, name) if version else "" for name in PLAN_TEXT_FIELDS}
        initial["based_on"] = version.number if version else 0
        form = SafetyPlanForm(initial=initial)
        formset = contact_formset_class(len(initial_contacts))(initial=initial_contacts, prefix=CONTACTS_PREFIX)
    context = {"person": person, "plan": version, "form": form, "formset": formset, "is_own": viewer.pk == person.pk}
    return render(request, "safety/plan_form.html", context)


@login_required
@require_POST
def plan_review(request, person_id: int):
    viewer = request.user
    person = person_for_plan_viewer(viewer=viewer, person_id=person_id)
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        number = -1
    try:
        safety_plan_review(actor=viewer, person=person, number=number)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("safety_plan", person_id=person.pk)


@login_required
def signal_detail(request, signal_id: int):
    """A signal's timeline and the form to answer it; the care team only (404 for anyone else)."""
    viewer = request.user
    signal = signal_for_viewer(viewer=viewer, signal_id=signal_id)
    audit_record(actor=viewer, action="safety.signal.viewed", subject=signal.person, obj=signal)
    context = {
        "signal": signal,
        "events": list(signal_events_for_viewer(viewer=viewer, signal=signal)),
        "form": AcknowledgeForm(),
        "plan_prompt": plan_needs_clinician(viewer=viewer, person=signal.person),
    }
    return render(request, "safety/signal_detail.html", context)


@login_required
@require_POST
def signal_acknowledge(request, signal_id: int):
    signal = signal_for_viewer(viewer=request.user, signal_id=signal_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you did, then save."))
        return redirect("signal_detail", signal_id=signal.pk)
    try:
        acknowledge(
            actor=request.user, signal=signal, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for following up. The alert is answered."))
    return redirect("signal_detail", signal_id=signal.pk)
