from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required

from . import permissions  # noqa: F401  (registers the rules)
from .forms import AttemptForm
from .selectors import annotate_reasons, queue_for_viewer, recent_resolved_for_viewer, task_for_care_team
from .services import outreach_task_log


@permission_required("outreach.work_queue")
def queue(request):
    tasks = annotate_reasons(list(queue_for_viewer(viewer=request.user)[:200]))
    resolved = annotate_reasons(recent_resolved_for_viewer(viewer=request.user))
    return render(request, "outreach/queue.html", {"tasks": tasks, "resolved": resolved})


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
