"""Raising a safety signal: the one way intake, check-ins and messaging say "this person may be at risk"."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.notifications.services import notify
from hearth.programs.selectors import care_team_for, is_care_team_of

from .models import SafetySignal, Severity


def safety_signal_raise(*, person, source: str, severity: str, evidence: str = "", raised_by=None) -> SafetySignal:
    """Record the signal and alert the person's care team at once (urgent alerts pass quiet hours)."""
    if severity not in Severity.values:
        raise ValidationError({"severity": f"Unknown severity {severity!r}"})
    with transaction.atomic():
        signal = SafetySignal.objects.create(
            person=person, source=source, severity=severity, evidence=evidence, raised_by=raised_by
        )
        audit_record(
            actor=raised_by,
            action="safety.signal.raised",
            subject=person,
            obj=signal,
            data={"source": source, "severity": severity},
        )
        url = reverse("person_detail", args=[person.pk])
        for member in care_team_for(person=person):
            notify(recipient=member, kind="safety.signal", url=url, urgent=severity == Severity.URGENT)
    return signal


def safety_signal_acknowledge(*, actor, signal: SafetySignal) -> SafetySignal:
    if not is_care_team_of(actor, signal.person):
        raise PermissionDenied
    if signal.acknowledged_at is not None:
        raise ValidationError(_("This signal was already acknowledged."))
    with transaction.atomic():
        signal.acknowledged_at = timezone.now()
        signal.acknowledged_by = actor
        signal.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(actor=actor, action="safety.signal.acknowledged", subject=signal.person, obj=signal)
    return signal
