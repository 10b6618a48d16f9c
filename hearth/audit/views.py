from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import disclosures_for_subject

PAGE_SIZE = 50


@login_required
def my_disclosures(request):
    """Accounting of disclosures: who, other than the person, looked at or changed their record."""
    page = Paginator(disclosures_for_subject(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/my_disclosures.html", {"page": page})
