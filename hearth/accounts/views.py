from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.core.rate_limit import allow
from hearth.programs.models import Role
from hearth.programs.selectors import (
    cohorts_for_admin,
    person_for_program_admin,
    program_ids_where,
    programs_for_viewer,
)

from . import services
from .forms import ClinicalIdentityForm, FamilyInvitationForm, InvitationAcceptForm, InvitationCreateForm, ProfileForm
from .selectors import clinical_identity_for_viewer, invitation_for_viewer, invitations_for_viewer


def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=400)
    signed_in = request.user if request.user.is_authenticated else None
    form = InvitationAcceptForm(request.POST or None)
    if signed_in is not None:
        # An existing account only needs to confirm; the form asks for nothing else.
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                token=token,
                display_name=form.cleaned_data["display_name"] if form else "",
                legal_name=form.cleaned_data["legal_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                existing_user=signed_in,
            )
        except services.InvitationError as exc:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=400)
        except ValidationError as exc:
            apply_validation_error(form, exc, field_map={"password": "password1"})
        else:
            if signed_in is None:
                login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Welcome to Hearth."))
            # A new participant's first step is the intake packet, filled in from this same link.
            return redirect("intake:home" if invitation.role == Role.PARTICIPANT else "dashboard")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "role_label": Role(invitation.role).label},
        status=400 if form is not None and form.errors else 200,
    )


@permission_required("accounts.invite_staff")
def invitation_list(request):
    user = request.user
    admin_programs = programs_for_viewer(viewer=user).filter(pk__in=program_ids_where(user, Role.ADMIN))
    # The program's staff page links here with ?program=<id> (new roles are always invitations).
    initial = {"program": request.GET["program"]} if request.GET.get("program", "").isdigit() else None
    form = InvitationCreateForm(
        request.POST or None, programs=admin_programs, cohorts=cohorts_for_admin(viewer=user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, _token = services.invitation_create(
                actor=user,
                program=form.cleaned_data["program"],
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                cohort=form.cleaned_data["cohort"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("invitation_list")
    invitations = invitations_for_viewer(viewer=user).filter(program_id__in=program_ids_where(user, Role.ADMIN))
    return render(
        request,
        "accounts/invitation_list.html",
        {"form": form, "invitations": invitations[:100]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_revoke(request, invitation_id: int):
    invitation = invitation_for_viewer(viewer=request.user, invitation_id=invitation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation withdrawn. The link no longer works."))
    return redirect("invitation_list" if request.user.has_perm("accounts.invite_staff") else "family_invite")


@permission_required("accounts.invite_family")
def family_invite(request):
    user = request.user
    programs = programs_for_viewer(viewer=user).filter(pk__in=program_ids_where(user, Role.PARTICIPANT))
    form = FamilyInvitationForm(request.POST or None, programs=programs)
    if (
        request.method == "POST"
        and form.is_valid()
        and not allow("accounts.family_invite", user.pk, limit=settings.FAMILY_INVITE_RATE_LIMIT, window=3600)
    ):
        form.add_error(None, _("You have sent many invitations in the last hour. Try again later."))
        return render(
            request,
            "accounts/family_invite.html",
            {
                "form": form,
                "invitations": invitations_for_viewer(viewer=user).filter(invited_by=user, role=Role.FAMILY)[:50],
            },
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            actor=user,
            program=form.cleaned_data["program"],
            role=Role.FAMILY,
            email=form.cleaned_data["email"],
            base_url=request.build_absolute_uri("/")[:-1],
        )
        messages.success(
            request,
            _("Invitation sent. They will see nothing about you until you choose what to share on the Sharing page."),
        )
        return redirect("family_invite")
    sent = invitations_for_viewer(viewer=user).filter(Q(invited_by=user), role=Role.FAMILY)
    return render(
        request,
        "accounts/family_invite.html",
        {"form": form, "invitations": sent[:50]},
        status=400 if form.errors else 200,
    )


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(actor=user, user=user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def clinical_identity(request):
    user = request.user
    identity = clinical_identity_for_viewer(viewer=user, person=user)
    form = ClinicalIdentityForm(request.POST or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        services.clinical_identity_update(
            actor=user, person=user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Your details are saved. Only your care team can see them."))
        return redirect("clinical_identity")
    if request.method == "GET":
        audit_record(actor=user, action="accounts.clinical_identity.viewed", subject=user, obj=identity)
    return render(request, "accounts/clinical_identity.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def person_sessions_end(request, person_id: int):
    """A program admin ends every session of a person in their programs (e.g. a lost phone)."""
    if not request.user.has_perm("accounts.end_any_session"):
        raise PermissionDenied
    person = person_for_program_admin(viewer=request.user, person_id=person_id)
    count = services.user_sessions_end(actor=request.user, person=person)
    messages.success(
        request, ngettext("%(count)s session ended.", "%(count)s sessions ended.", count) % {"count": count}
    )
    return redirect("person_detail", person_id=person.pk)
