from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import notifications_for_recipient
from .services import notifications_mark_read


@login_required
def notification_list(request):
    page = Paginator(notifications_for_recipient(viewer=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request):
    notifications_mark_read(actor=request.user)
    return redirect("notification_list")
