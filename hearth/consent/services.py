"""Grant and revoke disclosure consents (42 CFR Part 2). A revocation takes effect at once."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.context import current_request
from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.models import Program, Role
from hearth.programs.selectors import program_ids_where

from .models import Category, Consent


def consent_grant(
    *,
    actor,
    program: Program,
    recipient_kind: str,
    recipient_name: str,
    categories: list[str],
    purpose: str,
    expires_at: datetime,
    signature: str,
    recipient_user=None,
) -> Consent:
    """A participant consents, in writing, to share named kinds of information with a named recipient."""
    if program.pk not in program_ids_where(actor, Role.PARTICIPANT):
        raise PermissionDenied
    errors = {}
    if not categories or any(c not in Category.values for c in categories):
        errors["categories"] = _("Choose at least one kind of information from the list.")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("The end date must be in the future.")
    if not signature.strip():
        errors["signature"] = _("Type your full name to sign.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent(
            participant=actor,
            program=program,
            recipient_kind=recipient_kind,
            recipient_user=recipient_user,
            recipient_name=recipient_name.strip(),
            categories=sorted(set(categories)),
            purpose=purpose.strip(),
            expires_at=expires_at,
            signature=signature.strip(),
            signed_ip=current_request.get().ip_address,
        )
        consent.full_clean()
        consent.save()
        audit_record(
            actor=actor,
            action="consent.consent.granted",
            subject=actor,
            obj=consent,
            data={"categories": consent.categories, "recipient_kind": recipient_kind},
        )
        if recipient_user is not None:
            notify(recipient=recipient_user, kind="consent.granted", url="/")
    return consent


def consent_revoke(*, actor, consent: Consent) -> Consent:
    if consent.participant_id != actor.pk:
        raise PermissionDenied
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="consent.consent.revoked", subject=actor, obj=consent)
    return consent
