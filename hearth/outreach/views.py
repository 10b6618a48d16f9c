from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.models import Role
from hearth.programs.selectors import program_for_admin, program_ids_where, programs_for_viewer

from . import permissions  # noqa: F401  (registers the rules)
from .forms import AttemptForm, ThresholdsForm
from .rules import thresholds_for
from .selectors import annotate_reasons, queue_for_viewer, recent_resolved_for_viewer, task_for_care_team
from .services import THRESHOLD_LIMITS, outreach_task_log, outreach_thresholds_set


@permission_required("outreach.work_queue")
def queue(request):
    tasks = annotate_reasons(list(queue_for_viewer(viewer=request.user)[:200]))
    resolved = annotate_reasons(recent_resolved_for_viewer(viewer=request.user))
    admin_ids = program_ids_where(request.user, Role.ADMIN)
    administered = list(p for p in programs_for_viewer(viewer=request.user) if p.pk in admin_ids)
    return render(request, "outreach/queue.html", {"tasks": tasks, "resolved": resolved, "administered": administered})


def _detail(request, task, form, status=200):
    task.reason = annotate_reasons([task])[0].reason
    events = list(task.events.select_related("actor"))
    return render(request, "outreach/task_detail.html", {"task": task, "events": events, "form": form}, status=status)


@permission_required("outreach.work_queue")
def task_detail(request, task_id: int):
    task = task_for_care_team(viewer=request.user, task_id=task_id)
    audit_record(actor=request.user, action="outreach.task.viewed", subject=task.person, obj=task)
    return _detail(request, task, AttemptForm())


@require_POST
@permission_required("outreach.work_queue")
def task_log(request, task_id: int):
    task = task_for_care_team(viewer=request.user, task_id=task_id)
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            task = outreach_task_log(
                actor=request.user,
                task_id=task.pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if task.is_open:
                messages.success(request, _("Attempt recorded. The task stays open until you reach them."))
            else:
                messages.success(request, _("Task resolved."))
            return redirect("outreach:queue")
    return _detail(request, task, form, status=400)


@permission_required("programs.administer")
def thresholds(request, program_id: int):
    program = program_for_admin(viewer=request.user, program_id=program_id)
    current = thresholds_for(program)
    if request.method == "POST":
        form = ThresholdsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outreach_thresholds_set(
                    actor=request.user,
                    program=program,
                    disabled_rules=data["disabled_rules"],
                    **{name: data[name] for name in THRESHOLD_LIMITS},
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Outreach rules saved."))
                return redirect("outreach:thresholds", program_id=program.pk)
        return render(request, "outreach/thresholds.html", {"form": form, "program": program}, status=400)
    initial = {name: getattr(current, name) for name in THRESHOLD_LIMITS}
    initial["disabled_rules"] = current.disabled_rules
    return render(request, "outreach/thresholds.html", {"form": ThresholdsForm(initial=initial), "program": program})
