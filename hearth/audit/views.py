import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from hearth.core.decorators import permission_required

from .forms import AuditSearchForm
from .selectors import audit_entries_for_admin, disclosures_for_subject

PAGE_SIZE = 50


def _start_of(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
def my_disclosures(request):
    """Accounting of disclosures: who, other than the person, looked at or changed their record."""
    page = Paginator(disclosures_for_subject(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/my_disclosures.html", {"page": page})


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
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")) if entries is not None else None
    return render(request, "audit/search.html", {"form": form, "page": page}, status=400 if form.errors else 200)
