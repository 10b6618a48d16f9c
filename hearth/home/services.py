"""Writes of the top floor: a person's own record as a ZIP (right of access: a readable HTML summary,
machine-readable JSON and, for a participant, the same FHIR R4 Bundle an EHR gets from the API,
``record.fhir.json``), and the dashboard's first-day steps a person puts away."""

import datetime
import io
import json
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.api.fhir import patient_everything
from hearth.audit.services import audit_record
from hearth.checkins.selectors import checkins_for_viewer, measures_for_viewer
from hearth.consent.selectors import consents_for_participant
from hearth.messaging.selectors import messages_sent_by
from hearth.plans.selectors import plans_for_viewer
from hearth.programs.selectors import programs_of_participant
from hearth.scheduling.selectors import attendance_for_person

from .first_day import STEPS
from .models import DismissedStep

RECORD_FORMAT = "hearth-record/1"


def next_step_dismiss(*, actor, step: str) -> DismissedStep:
    """Put a first-day step away for good (doing it twice keeps the first time)."""
    if step not in STEPS:
        raise ValidationError(_("There is no such step to hide."))
    with transaction.atomic():
        dismissed, created = DismissedStep.objects.get_or_create(person=actor, step=step)
        if created:
            audit_record(actor=actor, action="home.next_step.dismissed", subject=actor, data={"step": step})
    return dismissed


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _record_of(person) -> dict:
    """Everything below is read as the person themselves: the selectors' own-data paths."""
    checkins = [
        {
            "date": _when(c.local_date),
            "mood": c.mood,
            "craving": c.craving,
            "sleep_hours": str(c.sleep_hours),
            "sleep_quality": c.sleep_quality,
            "used": c.used,
            "used_what": c.used_what,
            "triggers": c.triggers,
            "trigger_other": c.trigger_other,
            "connections": c.connections,
            "note": c.note,
            "submitted_at": _when(c.submitted_at),
        }
        for c in checkins_for_viewer(viewer=person, person=person)
    ]
    measures = [
        {
            "measure": m.measure,
            "date": _when(m.instance_date),
            "answers": m.answers,
            "total": m.total,
            "band": m.band,
            "submitted_at": _when(m.submitted_at),
        }
        for m in measures_for_viewer(viewer=person, person=person)
    ]
    plans = [
        {
            "program": view.plan.program.name,
            "version": view.current.number,
            "problems": view.current.problems,
            "goals": view.current.goals,
            "objectives": view.current.objectives,
            "interventions": view.current.interventions,
            "groups": [series.title for series in view.current.groups.all()],
            "written_at": _when(view.current.created_at),
        }
        for view in plans_for_viewer(viewer=person, person=person)
        if view.current is not None
    ]
    attendance = [
        {
            "session": a.occurrence.title,
            "program": a.occurrence.program.name,
            "starts_at": _when(a.occurrence.starts_at),
            "status": a.status,
            "minutes": a.minutes,
        }
        for a in attendance_for_person(viewer=person, person=person)
    ]
    consents = [
        {
            "program": c.program.name,
            "recipient": c.recipient_name,
            "recipient_kind": c.recipient_kind,
            "categories": c.categories,
            "purpose": c.purpose,
            "signed_at": _when(c.signed_at),
            "expires_at": _when(c.expires_at),
            "revoked_at": _when(c.revoked_at),
        }
        for c in consents_for_participant(viewer=person)
    ]
    messages = [
        {
            "conversation": m.conversation_id,
            "conversation_title": m.conversation.title,
            "seq": m.seq,
            "sent_at": _when(m.created_at),
            "edited_at": _when(m.edited_at),
            "body": m.body,
        }
        for m in messages_sent_by(viewer=person)
    ]
    return {
        "checkins": checkins,
        "measures": measures,
        "plans": plans,
        "attendance": attendance,
        "consents": consents,
        "messages_sent": messages,
    }


def record_export(*, actor, fhir_base_url: str) -> tuple[str, bytes]:
    """The actor's own record as (file name, ZIP bytes); the export is audited. The FHIR Bundle's
    fullUrls are written against ``fhir_base_url`` (the API's, as if an EHR had asked)."""
    now = timezone.now()
    record = _record_of(actor)
    # Staff and family have no care record: a Patient resource for them would be a false one.
    fhir = (
        patient_everything(viewer=actor, person=actor, base_url=fhir_base_url)
        if programs_of_participant(person=actor).exists()
        else None
    )
    document = {
        "format": RECORD_FORMAT,
        "exported_at": now.isoformat(),
        "person": {"id": actor.pk, "display_name": actor.display_name, "email": actor.email},
        **record,
    }
    summary = render_to_string("home/record_summary.html", {"person": actor, "exported_at": now, **record})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("summary.html", summary)
        if fhir is not None:
            archive.writestr("record.fhir.json", fhir.model_dump_json(exclude_none=True, indent=2))
    audit_record(
        actor=actor,
        action="home.record.exported",
        subject=actor,
        data={
            **{part: len(rows) for part, rows in record.items()},
            "fhir_resources": len(fhir.entry or []) if fhir is not None else 0,
        },
    )
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%d")
    return f"hearth-record-{stamp}.zip", buffer.getvalue()
