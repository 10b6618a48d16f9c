"""The one way anything in Hearth records who did what to whose data."""

from typing import Any

from django.db import models

from .context import current_request
from .models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    subject=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is dotted (``app.thing.verb``); ``subject`` is whose data it is."""
    if action.count(".") < 2:
        raise ValueError(f"Audit action must be dotted app.thing.verb, got {action!r}")
    ctx = current_request.get()
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject=subject,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        request_id=ctx.request_id,
        data=data or {},
    )
