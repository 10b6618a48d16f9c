"""The one way anything in Hearth records who did what to whose data."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from .context import RequestContext, current_request
from .models import AuditEntry


def _check_action(action: str) -> None:
    if action.count(".") < 2:
        raise ValueError(f"Audit action must be dotted app.thing.verb, got {action!r}")


def _entry(*, actor, action, subject, obj, program, data, ctx: RequestContext) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject=subject,
        program_id=getattr(program, "pk", program),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
        request_id=ctx.request_id,
        data=data or {},
    )


def audit_record(
    *,
    actor,
    action: str,
    subject=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    program=None,
    context: RequestContext | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is dotted (``app.thing.verb``); ``subject`` is whose data it is;
    ``program`` (a Program or its id) is the program the data was read or written in, when known.
    ``context`` replaces the request's facts (a websocket passes the ones it captured at connect)."""
    _check_action(action)
    entry = _entry(
        actor=actor,
        action=action,
        subject=subject,
        obj=obj,
        program=program,
        data=data,
        ctx=context or current_request.get(),
    )
    entry.save(force_insert=True)
    return entry


def audit_record_many(
    *,
    actor,
    action: str,
    subjects: Iterable,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    program=None,
    context: RequestContext | None = None,
) -> list[AuditEntry]:
    """One entry per person shown on a page (each sees it under "Who viewed my record"), written in
    one INSERT so a list page's query count does not grow with the people on it. ``subjects`` are
    users or user ids; duplicates are dropped."""
    _check_action(action)
    ctx = context or current_request.get()
    subject_ids = list(dict.fromkeys(getattr(s, "pk", s) for s in subjects if s is not None))
    if not subject_ids:
        # Nobody shown (an empty roster): the look itself is still recorded, about no one.
        subject_ids = [None]
    entries = [
        _entry(actor=actor, action=action, subject=None, obj=obj, program=program, data=data, ctx=ctx)
        for _ in subject_ids
    ]
    for entry, subject_id in zip(entries, subject_ids, strict=True):
        entry.subject_id = subject_id
    return AuditEntry.objects.bulk_create(entries)
