import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.models import Role
from hearth.programs.permissions import is_family
from hearth.programs.selectors import family_of, program_ids_where, programs_for_viewer

from .forms import ConsentGrantForm
from .selectors import consent_for_participant, consents_for_participant, consents_received
from .services import consent_grant, consent_revoke


@permission_required("consent.review_own")
def consent_list(request):
    consents = consents_for_participant(viewer=request.user)
    return render(request, "consent/list.html", {"consents": consents, "now": timezone.now()})


@permission_required("consent.manage_own")
def consent_new(request):
    user = request.user
    programs = programs_for_viewer(viewer=user).filter(pk__in=program_ids_where(user, Role.PARTICIPANT))
    form = ConsentGrantForm(request.POST or None, programs=programs, family=family_of(participant=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = timezone.make_aware(datetime.datetime.combine(data["expires_on"], datetime.time(23, 59)))
        try:
            consent_grant(
                actor=user,
                program=data["program"],
                recipient_kind=data["recipient_kind"],
                recipient_user=data["recipient_user"],
                recipient_name=data["recipient_name"],
                categories=data["categories"],
                purpose=data["purpose"],
                expires_at=expires_at,
                signature=data["signature"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, field_map={"expires_at": "expires_on"})
        else:
            messages.success(request, _("Consent signed. You can stop sharing at any time on this page."))
            return redirect("consent_list")
    return render(request, "consent/new.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("consent.review_own")
@require_POST
def consent_revoke_view(request, consent_id: int):
    consent = consent_for_participant(viewer=request.user, consent_id=consent_id)
    try:
        consent_revoke(actor=request.user, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Sharing stopped. %(name)s can no longer see this information.") % {"name": consent.recipient_name},
        )
    return redirect("consent_list")


@login_required
def family_shared(request):
    if not is_family(request.user):
        return render(request, "consent/family_shared.html", {"received": []})
    return render(request, "consent/family_shared.html", {"received": consents_received(viewer=request.user)})
