import json

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from hearth.api.fhir import MEASURE_LOINC
from hearth.audit.descriptions import describe
from hearth.audit.models import AuditEntry
from hearth.audit.selectors import disclosures_for_subject

pytestmark = pytest.mark.django_db

# Checked by hand against loinc.org (panel, total score). 75624-7 is the total of the full
# 10-item AUDIT (0-40), not AUDIT-C: AUDIT-C's total is 75626-2 in panel 72109-2.
LOINC_TABLE = {
    "phq9": ("44249-1", "44261-6"),
    "gad7": ("69737-5", "70274-6"),
    "auditc": ("72109-2", "75626-2"),
    "dast10": ("82666-9", "82667-7"),
}
SUD = ("http://terminology.hl7.org/CodeSystem/v3-ActCode", "SUD")
RESTRICTED = ("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")


def _export(client, world, token_for, viewer, person_id=None):
    _token, headers = token_for(viewer, "read:fhir")
    person_id = world.participant.pk if person_id is None else person_id
    return client.get(f"/api/v1/fhir/Patient/{person_id}/$everything", **headers)


def test_care_team_export_has_every_resource_validated_and_labelled(client, record, token_for):
    response = _export(client, record, token_for, record.clinician)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    data = response.json()
    kinds = {}
    for entry in data["entry"]:
        resource = entry["resource"]
        kinds[resource["resourceType"]] = kinds.get(resource["resourceType"], 0) + 1
        # Each resource validates on its own as its R4B type.
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        labels = {(s["system"], s["code"]) for s in resource["meta"]["security"]}
        assert {SUD, RESTRICTED} <= labels, resource["resourceType"]
    assert kinds["Patient"] == 1 and kinds["Practitioner"] == 1 and kinds["Organization"] == 1
    assert kinds["Appointment"] == 2 and kinds["Encounter"] == 1
    assert kinds["QuestionnaireResponse"] == 4 and kinds["Observation"] == 4
    assert kinds["CarePlan"] == 1 and kinds["Goal"] == 1
    assert kinds["Consent"] == 1 and kinds["Flag"] == 1  # the world's consent and open signal
    assert data["total"] == len(data["entry"])


def test_round_trip(client, record, token_for):
    data = _export(client, record, token_for, record.clinician).json()
    bundle = Bundle.model_validate_json(json.dumps(data))
    ids = sorted((e.resource.get_resource_type(), e.resource.id) for e in bundle.entry)
    assert ids == sorted((e["resource"]["resourceType"], e["resource"]["id"]) for e in data["entry"])
    assert len(ids) == len(set(ids)) == bundle.total
    again = json.loads(bundle.model_dump_json(exclude_none=True))
    assert len(again["entry"]) == len(data["entry"])
    assert again["entry"][0]["resource"] == data["entry"][0]["resource"]


def test_loinc_codes_match_the_table(client, record, token_for):
    assert {code: MEASURE_LOINC[code] for code in LOINC_TABLE} == LOINC_TABLE
    data = _export(client, record, token_for, record.clinician).json()
    totals = {
        c["code"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
        for c in e["resource"]["code"]["coding"]
        if c["system"] == "http://loinc.org"
    }
    assert totals == {total for _panel, total in LOINC_TABLE.values()}
    resources = [e["resource"] for e in data["entry"]]
    questionnaires = {r["questionnaire"] for r in resources if r["resourceType"] == "QuestionnaireResponse"}
    assert questionnaires == {f"http://loinc.org/q/{panel}" for panel, _total in LOINC_TABLE.values()}


def test_export_is_a_disclosure_in_who_viewed_my_record(client, record, token_for):
    _export(client, record, token_for, record.clinician)
    entry = AuditEntry.objects.get(action="api.fhir_patient_everything.called")
    assert entry.subject == record.participant and entry.actor == record.clinician
    assert entry.data["resources"]["Patient"] == 1
    assert entry in disclosures_for_subject(viewer=record.participant)
    assert "FHIR" in describe(entry.action) and describe(entry.action).startswith("Looked at")


def test_person_exports_their_own_record_without_safety_flags(client, record, token_for):
    response = _export(client, record, token_for, record.participant)
    assert response.status_code == 200
    kinds = {e["resource"]["resourceType"] for e in response.json()["entry"]}
    assert "Flag" not in kinds and "Patient" in kinds


@pytest.mark.parametrize(
    "persona", ["other_participant", "other_clinician", "mentor", "family_with_consent", "family_without"]
)
def test_anyone_else_gets_404_and_nothing(client, record, token_for, persona):
    response = _export(client, record, token_for, getattr(record, persona))
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not found."}
    assert not AuditEntry.objects.filter(action="api.fhir_patient_everything.called").exists()


@pytest.mark.parametrize("person_id", ["abc", "99999999", "1e3", "-1", "9" * 30])
def test_malformed_or_unknown_ids_are_404(client, record, token_for, person_id):
    assert _export(client, record, token_for, record.clinician, person_id=person_id).status_code == 404


def test_fhir_needs_its_scope(client, record, token_for):
    _token, headers = token_for(record.clinician, "read:caseload")
    response = client.get(f"/api/v1/fhir/Patient/{record.participant.pk}/$everything", **headers)
    assert response.status_code == 403


def test_rows_with_empty_text_still_export(client, record, token_for):
    """Imported measures can have no band (seed_large's do): FHIR forbids empty strings, so empty
    parts are left out instead of answering 500."""
    from hearth.checkins.models import MeasureResponse

    MeasureResponse.objects.filter(person=record.participant).update(band="")
    response = _export(client, record, token_for, record.clinician)
    assert response.status_code == 200, response.content
    observations = [e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert observations and any("interpretation" not in o for o in observations)
