"""Grant and revoke disclosure consents (42 CFR Part 2). A revocation takes effect at once."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.context import current_request
from hearth.audit.services import audit_record
from hearth.core.sockets import access_changed_publish
from hearth.notifications.services import notify
from hearth.programs.models import Program, Role
from hearth.programs.selectors import program_ids_where

from .models import MAX_CONSENT_DAYS, Category, Consent


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
    now = timezone.now()
    if expires_at <= now:
        errors["expires_at"] = _("The end date must be in the future.")
    elif expires_at > now + timedelta(days=MAX_CONSENT_DAYS + 1):
        # The form says so too; the rule holds for every caller (the API, a script).
        errors["expires_at"] = _("Choose an end date within three years.")
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
            signed_at=now,
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
        if consent.recipient_user_id is not None:
            # Withdrawal is immediate everywhere: the recipient's open sockets drop what this
            # consent let them see now, not at their next periodic check.
            recipient_id = consent.recipient_user_id
            transaction.on_commit(lambda: access_changed_publish(recipient_id))
    return consent


def consents_end_for_recipient(*, actor, participant, recipient, recipient_kind: str, program, reason: str) -> int:
    """End, at once, the participant's consents in force that name ``recipient`` (as ``recipient_kind``)
    in ``program``, because the relationship they were given for ended (a mentorship ends: the
    former mentor sees nothing more). The feature that ended the relationship decides; each end is audited."""
    now = timezone.now()
    with transaction.atomic():
        consents = list(
            Consent.objects.select_for_update().filter(
                participant=participant,
                recipient_user=recipient,
                recipient_kind=recipient_kind,
                program=program,
                revoked_at__isnull=True,
                expires_at__gt=now,
            )
        )
        for consent in consents:
            consent.revoked_at = now
            consent.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="consent.consent.ended", subject=participant, obj=consent, data={"reason": reason}
            )
        if consents:
            recipient_id = recipient.pk
            transaction.on_commit(lambda: access_changed_publish(recipient_id))
    return len(consents)
