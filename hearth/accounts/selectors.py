"""Reads of people's own and clinical data, always scoped to the viewer."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q, QuerySet
from django.http import Http404

from hearth.programs.models import Role
from hearth.programs.permissions import is_care_team_of, is_program_admin
from hearth.programs.selectors import people_for_program_admin, program_ids_where

from .models import ClinicalIdentity, Invitation


def has_second_factor(user) -> bool:
    cached = getattr(user, "_hearth_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        user._hearth_has_mfa = cached
    return cached


def clinical_identity_for_viewer(*, viewer, person) -> ClinicalIdentity | None:
    """The person's clinical identity, for the person and their care team only (else 404)."""
    if not (viewer.pk == person.pk or is_care_team_of(viewer, person)):
        raise Http404
    return ClinicalIdentity.objects.filter(user=person).first()


def invitations_for_viewer(*, viewer) -> QuerySet[Invitation]:
    """Admins see invitations of their programs; anyone sees the invitations they sent."""
    admin_programs = program_ids_where(viewer, Role.ADMIN)
    return (
        Invitation.objects.filter(Q(program_id__in=admin_programs) | Q(invited_by=viewer))
        .select_related("program", "cohort", "invited_by")
        .order_by("-created_at")
    )


def invitation_for_viewer(*, viewer, invitation_id: int) -> Invitation:
    try:
        return invitations_for_viewer(viewer=viewer).get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError):
        raise Http404 from None


def sessions_for_user(*, viewer, person) -> QuerySet[UserSession]:
    """Active sessions: one's own, or anyone's in one's programs for an admin."""
    if viewer.pk != person.pk and not (
        is_program_admin(viewer) and people_for_program_admin(viewer=viewer).filter(pk=person.pk).exists()
    ):
        raise Http404
    return UserSession.objects.filter(user=person).order_by("-last_seen_at")
