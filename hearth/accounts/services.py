"""Every write to accounts: invitations, profiles, clinical identity, sessions, deactivation."""

import hashlib
import re
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.core.sockets import access_changed_publish
from hearth.programs.models import Cohort, Membership, Program, Role
from hearth.programs.permissions import is_care_team_of
from hearth.programs.selectors import program_ids_where

from .models import ClinicalIdentity, Invitation, User

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is safe to show."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    actor: User,
    program: Program,
    role: str,
    email: str,
    cohort: Cohort | None = None,
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Invite someone to one role in one program. Returns the invitation and its one-time token.

    Program admins invite anyone; a participant invites family members and partners only,
    bound to themselves.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    related_participant = None
    if program.pk in program_ids_where(actor, Role.ADMIN):
        pass
    elif role == Role.FAMILY and program.pk in program_ids_where(actor, Role.PARTICIPANT):
        related_participant = actor
    else:
        raise PermissionDenied
    if cohort is not None and cohort.program_id != program.pk:
        raise ValidationError({"cohort": _("That cohort belongs to another program.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            email=email.strip().lower(),
            program=program,
            role=role,
            cohort=cohort,
            related_participant=related_participant,
            token_hash=_hash_token(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=actor,
            action="accounts.invitation.created",
            obj=invitation,
            program=program,
            data={"role": role, "program": program.pk},
        )
        link = base_url + reverse("invitation_accept", args=[token])
        transaction.on_commit(lambda: _send_invitation_email(invitation, link))
    return invitation, token


def _send_invitation_email(invitation: Invitation, link: str) -> None:
    context = {"program": invitation.program.name, "link": link, "days": settings.INVITATION_VALID_DAYS}
    send_mail(
        subject=_("You are invited to Hearth"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.state != "pending":
        raise ValidationError(_("Only a pending invitation can be revoked."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="accounts.invitation.revoked", obj=invitation, program=invitation.program_id)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind a link, or InvitationError saying plainly why not."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise InvitationError(_("This invitation link is not valid. Check that you copied all of it."))
    invitation = Invitation.objects.select_related("program").filter(token_hash=_hash_token(token)).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Check that you copied all of it."))
    state = invitation.state
    if state == "revoked":
        raise InvitationError(_("This invitation was withdrawn. Ask the person who invited you for a new one."))
    if state == "accepted":
        raise InvitationError(_("This invitation has already been used. Sign in instead."))
    if state == "expired":
        raise InvitationError(_("This invitation has expired. Ask the person who invited you for a new one."))
    return invitation


def invitation_accept(
    *, token: str, display_name: str, password: str, legal_name: str, existing_user: User | None = None
) -> User:
    """Create the account (or add the role to the signed-in account) and use up the invitation."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # Lock the row so two tabs cannot both use one link.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != "pending":
            raise InvitationError(_("This invitation has already been used. Sign in instead."))
        if existing_user is not None:
            if existing_user.email.lower() != invitation.email:
                raise InvitationError(_("This invitation was sent to a different email address."))
            user = existing_user
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise InvitationError(_("You already have a Hearth account. Sign in, then open this link again."))
            user = User(email=invitation.email, display_name=display_name.strip())
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from exc
            user.set_password(password)
            user.full_clean()
            user.save()
            ClinicalIdentity.objects.create(user=user, legal_name=legal_name.strip())
            # The invitation link proved the address.
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Membership.objects.get_or_create(
            user=user,
            program=invitation.program,
            role=invitation.role,
            related_participant=invitation.related_participant,
            ended_at=None,
            defaults={"cohort": invitation.cohort},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="accounts.invitation.accepted",
            subject=user,
            obj=invitation,
            program=invitation.program_id,
        )
    return user


PROFILE_FIELDS = ("display_name", "pronouns", "time_zone", "language", "reduce_motion", "larger_text", "high_contrast")


def profile_update(*, actor: User, user: User, **changes) -> User:
    """Community identity and preferences; a person edits only their own."""
    if actor.pk != user.pk:
        raise PermissionDenied
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, changes[name])
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        if changed:
            user.save(update_fields=changed)
            audit_record(
                actor=actor, action="accounts.profile.updated", subject=user, obj=user, data={"fields": changed}
            )
    return user


CLINICAL_FIELDS = (
    "legal_name",
    "date_of_birth",
    "phone",
    "emergency_contact_name",
    "emergency_contact_phone",
    "accessibility_needs",
)


def clinical_identity_update(*, actor: User, person: User, **changes) -> ClinicalIdentity:
    if actor.pk != person.pk and not is_care_team_of(actor, person):
        raise PermissionDenied
    unknown = set(changes) - set(CLINICAL_FIELDS)
    if unknown:
        raise ValueError(f"Not clinical identity fields: {sorted(unknown)}")
    with transaction.atomic():
        identity, _created = ClinicalIdentity.objects.select_for_update().get_or_create(
            user=person, defaults={"legal_name": changes.get("legal_name", "")}
        )
        changed = [name for name, value in changes.items() if getattr(identity, name) != value]
        for name in changed:
            setattr(identity, name, changes[name])
        identity.full_clean()
        if changed:
            # The keyed hash follows the legal name (update_fields writes only what it names).
            digest = ["legal_name_digest"] if "legal_name" in changed else []
            identity.save(update_fields=[*changed, *digest, "updated_at"])
            # Field names only: the values are PHI and stay out of the log.
            audit_record(
                actor=actor,
                action="accounts.clinical_identity.updated",
                subject=person,
                obj=identity,
                data={"fields": changed},
            )
    return identity


def user_sessions_end(*, actor: User, person: User, keep_session_key: str | None = None) -> int:
    """End a person's sessions (all but ``keep_session_key``). Callers check who may do this."""
    sessions = UserSession.objects.filter(user=person)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count = 0
    with transaction.atomic():
        for session in sessions:
            session.end()
            count += 1
        audit_record(actor=actor, action="accounts.sessions.ended", subject=person, obj=person, data={"count": count})
        # The ended sessions' open sockets close now, not at their next periodic check.
        transaction.on_commit(lambda: access_changed_publish(person.pk))
    return count


def account_deactivate(*, actor: User | None, person: User) -> User:
    """Close an account: no more sign-in, every session ended, every open socket (chat, badge,
    video) closed at once. One account spans programs, so no program admin decides this alone:
    only the installation's operator (``actor=None`` from ``manage.py account_deactivate``) or
    someone holding the site-level ``accounts.change_user`` grant."""
    if actor is not None and not actor.has_perm("accounts.change_user"):
        raise PermissionDenied
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        was_active = person.is_active
        if was_active:
            person.is_active = False
            person.save(update_fields=["is_active"])
        ended = 0
        for session in UserSession.objects.filter(user=person):
            session.end()
            ended += 1
        if was_active or ended:
            audit_record(
                actor=actor, action="accounts.account.deactivated", subject=person, obj=person, data={"sessions": ended}
            )
        transaction.on_commit(lambda: access_changed_publish(person.pk))
    return person
