"""One participant's record as a FHIR R4 Bundle (``Patient/$everything``), read only through the
viewer-scoped selectors of each app and validated with fhir.resources' R4B models (decisions §40).

Every resource carries the 42 CFR Part 2 labels: ActCode SUD (substance use information) and
Confidentiality R (restricted)."""

import datetime
import json
import re

from django.http import Http404
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from hearth.accounts.selectors import clinical_identity_for_viewer
from hearth.checkins.measures import MEASURES, SCREENERS
from hearth.checkins.selectors import measures_for_viewer
from hearth.consent.selectors import consents_for_participant, consents_for_subject_for_staff
from hearth.intake.selectors import packets_for_care_team, packets_for_owner
from hearth.plans.selectors import plans_for_viewer
from hearth.programs.selectors import person_for_care_team, primary_clinicians_of, programs_of_participant
from hearth.safety.selectors import signals_about_person
from hearth.scheduling.selectors import attendance_for_person, schedule_shared_with_viewer

SECURITY_LABELS = [
    {
        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "code": "SUD",
        "display": "substance use disorder information sensitivity",
    },
    {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R", "display": "restricted"},
]
LOINC = "http://loinc.org"
LOCAL_MEASURES = "urn:hearth:measure"
# measure code -> (panel LOINC, total score LOINC); None where LOINC has no code for the instrument.
MEASURE_LOINC: dict[str, tuple[str, str] | None] = {
    "phq9": ("44249-1", "44261-6"),
    "gad7": ("69737-5", "70274-6"),
    "auditc": ("72109-2", "75626-2"),
    "dast10": ("82666-9", "82667-7"),
    "barc10": None,
    "ucla3": None,
}
UPCOMING_DAYS = 60
FHIR_BASE_PATH = "/api/v1/fhir/"  # where the API serves FHIR (config.urls mounts the API at /api/v1/)
ATTENDED = {"present", "late", "left_early"}
_ID = re.compile(r"^[0-9]{1,12}$")


def person_for_export(*, viewer, person_id: str):
    """The person themself or a participant in the viewer's care; anyone else (or a malformed id) 404."""
    if not viewer.is_authenticated or not _ID.match(str(person_id)):
        raise Http404
    if int(person_id) == viewer.pk:
        return viewer
    return person_for_care_team(viewer=viewer, person_id=int(person_id))


def _ref(kind: str, pk) -> dict:
    return {"reference": f"{kind}/{kind.lower()}-{pk}"}


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


def _pruned(value):
    """The value without empty strings, lists and objects at any depth: FHIR forbids them (a
    measure imported without a band would otherwise make an ``interpretation`` of ``""``)."""
    if isinstance(value, dict):
        value = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v not in (None, [], "", {})}
    if isinstance(value, list):
        return [v for v in (_pruned(v) for v in value) if v not in (None, [], "", {})]
    if isinstance(value, str):
        return value if value.strip() else ""
    return value


def _resource(kind: str, pk, **fields) -> dict:
    data = {"resourceType": kind, "id": f"{kind.lower()}-{pk}", "meta": {"security": SECURITY_LABELS}}
    data.update(_pruned(fields))
    return data


def _patient(viewer, person, programs, clinicians) -> dict:
    identity = clinical_identity_for_viewer(viewer=viewer, person=person)
    name = identity.legal_name if identity and identity.legal_name else person.display_name
    return _resource(
        "Patient",
        person.pk,
        identifier=[{"system": "urn:hearth:person", "value": str(person.pk)}],
        name=[{"text": name}],
        birthDate=_iso(identity.date_of_birth) if identity else None,
        generalPractitioner=[_ref("Practitioner", c.pk) for c in clinicians],
        managingOrganization=_ref("Organization", programs[0].pk) if programs else None,
    )


def _sessions(viewer, person, patient_ref) -> list[dict]:
    resources = []
    seen = set()
    for record in attendance_for_person(viewer=viewer, person=person):
        o = record.occurrence
        seen.add(o.pk)
        if o.cancelled_at is not None or record.status == "excused":
            status = "cancelled"
        elif record.status == "absent":
            status = "noshow"
        else:
            status = "fulfilled"
        resources.append(_appointment(o, status, patient_ref))
        if record.status in ATTENDED:
            resources.append(
                _resource(
                    "Encounter",
                    record.pk,
                    status="finished",
                    **{"class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR"}},
                    type=[{"text": o.get_kind_display()}],
                    subject=patient_ref,
                    appointment=[_ref("Appointment", o.pk)],
                    period={"start": _iso(o.starts_at), "end": _iso(o.ends_at)},
                    length={
                        "value": record.minutes,
                        "unit": "min",
                        "system": "http://unitsofmeasure.org",
                        "code": "min",
                    },
                    serviceProvider=_ref("Organization", o.program_id),
                )
            )
    now = timezone.now()
    upcoming = schedule_shared_with_viewer(
        viewer=viewer, person=person, start=now, end=now + datetime.timedelta(days=UPCOMING_DAYS)
    )
    for o in upcoming:
        if o.pk not in seen:
            resources.append(_appointment(o, "booked", patient_ref))
    return resources


def _appointment(o, status: str, patient_ref) -> dict:
    return _resource(
        "Appointment",
        o.pk,
        status=status,
        description=o.title,
        start=_iso(o.starts_at),
        end=_iso(o.ends_at),
        participant=[{"actor": patient_ref, "status": "accepted"}],
    )


def _measure_code(code: str) -> tuple[dict, str]:
    """(Observation.code, Questionnaire canonical) for a measure."""
    definition = MEASURES.get(code) or SCREENERS[code]
    loinc = MEASURE_LOINC.get(code)
    if loinc is None:
        coding = {"system": LOCAL_MEASURES, "code": code, "display": f"Total score [{definition.name}]"}
        return {"coding": [coding], "text": definition.name}, f"{LOCAL_MEASURES}:{code}"
    panel, total = loinc
    coding = {"system": LOINC, "code": total, "display": f"Total score [{definition.name}]"}
    return {"coding": [coding], "text": definition.name}, f"http://loinc.org/q/{panel}"


def _answers(kind: str, pk, code: str, answers, total: int, band: str, when, patient_ref) -> list[dict]:
    definition = MEASURES.get(code) or SCREENERS[code]
    observation_code, questionnaire = _measure_code(code)
    response = _resource(
        "QuestionnaireResponse",
        f"{kind}-{pk}",
        questionnaire=questionnaire,
        status="completed",
        subject=patient_ref,
        authored=_iso(when),
        item=[
            {"linkId": str(i + 1), "text": str(text), "answer": [{"valueInteger": int(answers[i])}]}
            for i, text in enumerate(definition.items)
            if i < len(answers or [])
        ],
    )
    observation = _resource(
        "Observation",
        f"{kind}-{pk}",
        status="final",
        category=[
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        code=observation_code,
        subject=patient_ref,
        effectiveDateTime=_iso(when),
        valueInteger=total,
        interpretation=[{"text": band}],
        derivedFrom=[{"reference": f"QuestionnaireResponse/{response['id']}"}],
    )
    return [response, observation]


def _measures(viewer, person, patient_ref) -> list[dict]:
    resources = []
    for r in measures_for_viewer(viewer=viewer, person=person):
        resources += _answers("measure", r.pk, r.measure, r.answers, r.total, r.band, r.submitted_at, patient_ref)
    packets = (
        packets_for_owner(viewer=viewer)
        if viewer.pk == person.pk
        else packets_for_care_team(viewer=viewer).filter(person=person)
    )
    for packet in packets.prefetch_related("results"):
        for r in packet.results.all():
            resources += _answers("screening", r.pk, r.measure, r.answers, r.total, r.band, r.submitted_at, patient_ref)
    return resources


def _plans(viewer, person, patient_ref) -> list[dict]:
    resources = []
    for view in plans_for_viewer(viewer=viewer, person=person):
        version = view.current
        if version is None:
            continue
        goal = _resource(
            "Goal",
            view.plan.pk,
            lifecycleStatus="active",
            # Goal.description is required; a plan saved without goals still has one.
            description={"text": version.goals if version.goals.strip() else "Treatment plan goals"},
            subject=patient_ref,
            target=[{"dueDate": _iso(version.next_review_on)}],
        )
        notes = [{"text": text} for text in (version.objectives, version.interventions) if text]
        resources.append(goal)
        resources.append(
            _resource(
                "CarePlan",
                view.plan.pk,
                status="active",
                intent="plan",
                title=f"Treatment plan, {view.plan.program.name} (version {version.number})",
                description=version.problems,
                subject=patient_ref,
                created=_iso(version.created_at),
                author={"display": version.author.display_name},
                goal=[{"reference": f"Goal/{goal['id']}"}],
                note=notes,
            )
        )
    return resources


def _consents(viewer, person, patient_ref) -> list[dict]:
    if viewer.pk == person.pk:
        consents = consents_for_participant(viewer=viewer)
    else:
        consents = consents_for_subject_for_staff(viewer=viewer, person=person)
    resources = []
    for consent in consents:
        resources.append(
            _resource(
                "Consent",
                consent.pk,
                status="active" if consent.is_in_force() else "inactive",
                scope={
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}
                    ]
                },
                category=[{"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}],
                patient=patient_ref,
                dateTime=_iso(consent.signed_at),
                policyRule={
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "42CFRPart2"}]
                },
                provision={
                    "type": "permit",
                    "period": {"start": _iso(consent.signed_at), "end": _iso(consent.revoked_at or consent.expires_at)},
                    "actor": [
                        {
                            "role": {
                                "coding": [
                                    {
                                        "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                        "code": "IRCP",
                                    }
                                ]
                            },
                            "reference": {"display": consent.recipient_name},
                        }
                    ],
                    "code": [{"text": str(category)} for category in consent.categories],
                },
            )
        )
    return resources


def _flags(viewer, person, patient_ref) -> list[dict]:
    # Safety signals are the care team's (the person's own view has none: security model).
    if viewer.pk == person.pk:
        return []
    return [
        _resource(
            "Flag",
            signal.pk,
            status="active",
            category=[
                {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/flag-category", "code": "safety"}]}
            ],
            code={"text": f"Open safety signal ({signal.severity}): {signal.source}"},
            subject=patient_ref,
            period={"start": _iso(signal.raised_at)},
        )
        for signal in signals_about_person(viewer=viewer, person=person).filter(acknowledged_at__isnull=True)
    ]


def record_resources(*, viewer, person) -> list[dict]:
    """The person's record as FHIR resources (dicts, not yet validated), read with ``viewer``'s scope."""
    programs = list(programs_of_participant(person=person))
    clinicians = list(primary_clinicians_of(person=person))
    patient = _patient(viewer, person, programs, clinicians)
    patient_ref = _ref("Patient", person.pk)
    resources = [patient]
    resources += [_resource("Practitioner", c.pk, name=[{"text": c.display_name}]) for c in clinicians]
    resources += [_resource("Organization", p.pk, active=True, name=p.name) for p in programs]
    resources += _sessions(viewer, person, patient_ref)
    resources += _measures(viewer, person, patient_ref)
    resources += _plans(viewer, person, patient_ref)
    resources += _consents(viewer, person, patient_ref)
    resources += _flags(viewer, person, patient_ref)
    return resources


def validated(data: dict):
    """The R4B model of one resource; raises pydantic's ValidationError if it is not valid FHIR."""
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def patient_everything(*, viewer, person, base_url: str) -> Bundle:
    """The Bundle (type searchset), every entry validated as its R4B resource type."""
    entries = []
    for data in record_resources(viewer=viewer, person=person):
        model = validated(data)
        entries.append({"fullUrl": f"{base_url}{data['resourceType']}/{data['id']}", "resource": model})
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": f"everything-{person.pk}",
            "meta": {"security": SECURITY_LABELS, "lastUpdated": _iso(timezone.now())},
            "type": "searchset",
            "total": len(entries),
            "timestamp": _iso(timezone.now()),
            "entry": entries,
        }
    )


def patient_everything_json(*, viewer, person, base_url: str) -> tuple[str, dict[str, int]]:
    """``patient_everything`` as JSON text, and the count of each resource type. Every resource is
    validated as its R4B type; the text is written from the checked dicts (already FHIR JSON), not
    dumped back from the models, which took a quarter of the call's time."""
    entries = []
    counts: dict[str, int] = {}
    for data in record_resources(viewer=viewer, person=person):
        validated(data)
        kind = data["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
        entries.append({"fullUrl": f"{base_url}{kind}/{data['id']}", "resource": data})
    now = _iso(timezone.now())
    bundle = {
        "resourceType": "Bundle",
        "id": f"everything-{person.pk}",
        "meta": {"security": SECURITY_LABELS, "lastUpdated": now},
        "type": "searchset",
        "total": len(entries),
        "timestamp": now,
        "entry": entries,
    }
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), counts
