"""Pages where program admins run their programs (Django admin is not the product)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.forms import AuditSearchForm
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error

from . import services
from .forms import (
    CohortForm,
    ProgramCreateForm,
    ProgramSettingsForm,
    TrackChoiceForm,
    TrackForm,
    TransitionForm,
)
from .selectors import (
    audit_entries_for_admin,
    enrolment_for_staff,
    membership_for_staff,
    participant_memberships_for_staff,
    program_for_admin,
    program_for_staff_member,
    programs_for_admin,
    staff_membership_for_admin,
    staff_of_program,
)


@permission_required("programs.list")
def program_list(request):
    may_create = request.user.has_perm("programs.add_program")
    if request.method == "POST" and not may_create:
        raise PermissionDenied
    form = ProgramCreateForm(request.POST or None) if may_create else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Program created. Add its tracks, cohorts and staff next."))
            return redirect("program_settings", program_id=program.pk)
    return render(
        request,
        "programs/program_list.html",
        {"programs": programs_for_admin(viewer=request.user), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _settings_context(program, **forms):
    return {
        "program": program,
        "tracks": list(program.tracks.all()),
        "cohorts": list(program.cohorts.order_by("name")),
        "form": forms.get("form") or ProgramSettingsForm(instance=program),
        "track_form": forms.get("track_form") or TrackForm(initial={"order": program.tracks.count() + 1}),
        "cohort_form": forms.get("cohort_form") or CohortForm(),
    }


@permission_required("programs.administer")
def program_settings(request, program_id: int):
    program = program_for_admin(viewer=request.user, program_id=program_id)
    # The form works on its own copy: a refused form must not leave the shown program half-changed,
    # and the service compares against the stored values.
    form = ProgramSettingsForm(
        request.POST or None, instance=program_for_admin(viewer=request.user, program_id=program_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                actor=request.user, program=program, **{n: form.cleaned_data[n] for n in form.Meta.fields}
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Program settings saved."))
            return redirect("program_settings", program_id=program.pk)
    return render(
        request,
        "programs/program_settings.html",
        _settings_context(program, form=form),
        status=400 if form.errors else 200,
    )


@permission_required("programs.administer")
@require_POST
def track_add(request, program_id: int):
    program = program_for_admin(viewer=request.user, program_id=program_id)
    form = TrackForm(request.POST)
    if form.is_valid():
        try:
            services.track_create(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Track added."))
            return redirect("program_settings", program_id=program.pk)
    return render(request, "programs/program_settings.html", _settings_context(program, track_form=form), status=400)


@permission_required("programs.administer")
@require_POST
def cohort_add(request, program_id: int):
    program = program_for_admin(viewer=request.user, program_id=program_id)
    form = CohortForm(request.POST)
    if form.is_valid():
        try:
            services.cohort_create(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Cohort added."))
            return redirect("program_settings", program_id=program.pk)
    return render(request, "programs/program_settings.html", _settings_context(program, cohort_form=form), status=400)


@permission_required("programs.administer")
def staff(request, program_id: int):
    """Who works in the program. New roles, also for people who already have an account, are
    invitations the person accepts (accounts: ``invitation_list``); this page never looks an email up."""
    program = program_for_admin(viewer=request.user, program_id=program_id)
    return render(
        request,
        "programs/program_staff.html",
        {"program": program, "staff": staff_of_program(viewer=request.user, program=program)},
    )


@permission_required("programs.administer")
@require_POST
def staff_end(request, membership_id: int):
    membership = staff_membership_for_admin(viewer=request.user, membership_id=membership_id)
    try:
        services.staff_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role ended."))
    return redirect("program_staff", program_id=membership.program_id)


@permission_required("programs.view_caseload")
def enrolment_list(request, program_id: int):
    program = program_for_staff_member(viewer=request.user, program_id=program_id)
    memberships = participant_memberships_for_staff(viewer=request.user, program=program)
    return render(request, "programs/enrolment_list.html", {"program": program, "memberships": memberships})


@permission_required("programs.view_caseload")
@require_POST
def enrolment_open(request, membership_id: int):
    membership = membership_for_staff(viewer=request.user, membership_id=membership_id)
    enrolment = services.enrolment_open(actor=request.user, membership=membership)
    return redirect("enrolment_detail", enrolment_id=enrolment.pk)


@permission_required("programs.view_caseload")
def enrolment_detail(request, enrolment_id: int):
    enrolment = enrolment_for_staff(viewer=request.user, enrolment_id=enrolment_id)
    form = TransitionForm(request.POST or None, allowed=enrolment.allowed_next)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_transition(
                actor=request.user,
                enrolment=enrolment,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Enrolment updated."))
            return redirect("enrolment_detail", enrolment_id=enrolment.pk)
    return render(
        request,
        "programs/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "transitions": enrolment.transitions.select_related("by"),
            "form": form,
            "track_form": TrackChoiceForm(initial={"track": enrolment.track_id}, program=enrolment.membership.program),
        },
        status=400 if form.errors else 200,
    )


@permission_required("programs.view_caseload")
@require_POST
def enrolment_track(request, enrolment_id: int):
    enrolment = enrolment_for_staff(viewer=request.user, enrolment_id=enrolment_id)
    form = TrackChoiceForm(request.POST, program=enrolment.membership.program)
    if form.is_valid():
        services.enrolment_track_set(actor=request.user, enrolment=enrolment, track=form.cleaned_data["track"])
        messages.success(request, _("Track saved."))
    else:
        messages.error(request, _("Choose a track of this program."))
    return redirect("enrolment_detail", enrolment_id=enrolment.pk)


AUDIT_PAGE_SIZE = 50


def _start_of(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@permission_required("audit.search")
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    entries = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = audit_entries_for_admin(
            viewer=request.user,
            action_prefix=data["action"],
            subject_id=data["subject"],
            actor_id=data["actor"],
            since=_start_of(data["since"]) if data["since"] else None,
            until=_start_of(data["until"]) if data["until"] else None,
        )
    elif not form.is_bound:
        entries = audit_entries_for_admin(viewer=request.user)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page")) if entries is not None else None
    return render(request, "audit/search.html", {"form": form, "page": page}, status=400 if form.errors else 200)
