"""FHIR Bulk Data export of a program: 202 and a status URL, the job on the task queue, a manifest,
NDJSON files that validate as R4B, an audit entry per participant, cancel, expiry."""

import datetime
import json

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from hearth.api.models import BulkExport, BulkExportFile
from hearth.api.services import bulk_exports_expired_delete
from hearth.audit.descriptions import describe
from hearth.audit.models import AuditEntry
from hearth.audit.selectors import disclosures_for_subject

from .test_fhir import RESTRICTED, SUD

pytestmark = pytest.mark.django_db

ASYNC = {"HTTP_PREFER": "respond-async"}


def _start(client, headers, program_id, query="", run=True, capture=None):
    url = f"/api/v1/fhir/Group/{program_id}/$export{query}"
    if capture is not None and run:
        with capture(execute=True):
            return client.get(url, **headers, **ASYNC)
    return client.get(url, **headers, **ASYNC)


def _status_path(response):
    return response["Content-Location"].split("testserver", 1)[1]


def test_export_runs_and_every_line_validates(client, record, token_for, django_capture_on_commit_callbacks):
    _token, headers = token_for(record.clinician, "read:fhir")
    response = _start(client, headers, record.program.pk, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    status = client.get(_status_path(response), **headers)
    assert status.status_code == 200, status.content
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["request"].endswith(f"/api/v1/fhir/Group/{record.program.pk}/$export")
    assert manifest["transactionTime"]
    kinds = {}
    for output in manifest["output"]:
        file = client.get(output["url"].split("testserver", 1)[1], **headers)
        assert file.status_code == 200 and file["Content-Type"] == "application/fhir+ndjson"
        lines = file.content.decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == output["type"]
            get_fhir_model_class(output["type"]).model_validate(resource)
            assert {SUD, RESTRICTED} <= {(s["system"], s["code"]) for s in resource["meta"]["security"]}
        kinds[output["type"]] = len(lines)
    # Both participants of the program; the clinician is named once although both records cite them.
    assert kinds["Patient"] == 2 and kinds["Practitioner"] == 1 and kinds["Organization"] == 1
    assert kinds["Observation"] == 4 and kinds["CarePlan"] == 1 and kinds["Flag"] == 1
    # Stored encrypted: the column does not hold the participant's plan in clear text.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM api_bulkexportfile")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "Ninety days" not in stored and "Patient" not in stored


def test_export_is_a_disclosure_for_each_participant(client, record, token_for, django_capture_on_commit_callbacks):
    _token, headers = token_for(record.clinician, "read:fhir")
    _start(client, headers, record.program.pk, capture=django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.filter(action="api.fhir_bulk_export.called")
    assert {e.subject_id for e in entries} == {record.participant.pk, record.other_participant.pk}
    assert entries.filter(subject=record.participant).get() in disclosures_for_subject(viewer=record.participant)
    assert "program" in describe("api.fhir_bulk_export.called")
    assert AuditEntry.objects.filter(action="api.fhir_group_export.called", actor=record.clinician).exists()


def test_only_the_asked_types(client, world, token_for, django_capture_on_commit_callbacks):
    _token, headers = token_for(world.clinician, "read:fhir")
    response = _start(
        client, headers, world.program.pk, "?_type=Patient,Flag", capture=django_capture_on_commit_callbacks
    )
    manifest = client.get(_status_path(response), **headers).json()
    assert sorted(o["type"] for o in manifest["output"]) == ["Flag", "Patient"]


def test_running_export_answers_202_with_progress_then_cancel(client, world, token_for):
    _token, headers = token_for(world.clinician, "read:fhir")
    response = _start(client, headers, world.program.pk, run=False)  # on-commit never runs: still queued
    path = _status_path(response)
    status = client.get(path, **headers)
    assert status.status_code == 202 and status["X-Progress"] == "0% (queued)" and status["Retry-After"]
    BulkExport.objects.update(status=BulkExport.Status.RUNNING, progress=40)
    assert client.get(path, **headers)["X-Progress"] == "40% (running)"
    assert client.delete(path, **headers).status_code == 202
    assert BulkExport.objects.get().status == BulkExport.Status.CANCELLED
    assert client.get(path, **headers).status_code == 404
    assert client.delete(path, **headers).status_code == 404
    # A cancelled job that the queue picks up later does nothing.
    from hearth.api.services import bulk_export_run

    assert bulk_export_run(export_id=BulkExport.objects.get().pk) is None


def test_cancel_deletes_files(client, world, token_for, django_capture_on_commit_callbacks):
    _token, headers = token_for(world.clinician, "read:fhir")
    response = _start(client, headers, world.program.pk, capture=django_capture_on_commit_callbacks)
    urls = [o["url"] for o in client.get(_status_path(response), **headers).json()["output"]]
    assert client.delete(_status_path(response), **headers).status_code == 202
    assert not BulkExportFile.objects.exists()
    assert client.get(urls[0].split("testserver", 1)[1], **headers).status_code == 404


@pytest.mark.parametrize(
    "query, headers, status, error",
    [
        ("", {}, 400, "invalid_request"),  # no Prefer: respond-async
        ("?_type=Patient,Medication", ASYNC, 400, "invalid_request"),
        ("?_outputFormat=text/csv", ASYNC, 400, "invalid_request"),
    ],
)
def test_bad_requests(client, world, token_for, query, headers, status, error):
    _token, auth = token_for(world.clinician, "read:fhir")
    response = client.get(f"/api/v1/fhir/Group/{world.program.pk}/$export{query}", **auth, **headers)
    assert response.status_code == status and response.json()["error"] == error
    assert not BulkExport.objects.exists()


def test_nobody_exports_a_program_they_do_not_work_in(client, world, token_for):
    for person in (world.other_clinician, world.participant, world.mentor):
        _token, auth = token_for(person, "read:fhir")
        response = client.get(f"/api/v1/fhir/Group/{world.program.pk}/$export", **auth, **ASYNC)
        assert response.status_code == 404, person
    _token, auth = token_for(world.clinician, "read:fhir")
    for program_id in ("99999999", "abc", "9" * 40):
        response = client.get(f"/api/v1/fhir/Group/{program_id}/$export", **auth, **ASYNC)
        assert response.status_code == 404
    _token, auth = token_for(world.clinician, "read:caseload")
    response = client.get(f"/api/v1/fhir/Group/{world.program.pk}/$export", **auth, **ASYNC)
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"
    assert not BulkExport.objects.exists()


def test_another_person_cannot_poll_or_download(client, world, token_for, django_capture_on_commit_callbacks):
    _token, mine = token_for(world.clinician, "read:fhir")
    response = _start(client, mine, world.program.pk, capture=django_capture_on_commit_callbacks)
    path = _status_path(response)
    url = client.get(path, **mine).json()["output"][0]["url"].split("testserver", 1)[1]
    _token, admins = token_for(world.admin, "read:fhir")
    assert client.get(path, **admins).status_code == 404
    assert client.delete(path, **admins).status_code == 404
    assert client.get(url, **admins).status_code == 404
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert client.get(f"/api/v1/fhir/$export-status/{bad}", **mine).status_code == 404
        assert client.get(f"/api/v1/fhir/$export-file/{bad}", **mine).status_code == 404


def test_files_expire(client, world, token_for, django_capture_on_commit_callbacks):
    _token, headers = token_for(world.clinician, "read:fhir")
    response = _start(client, headers, world.program.pk, capture=django_capture_on_commit_callbacks)
    BulkExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(_status_path(response), **headers).status_code == 404
    assert bulk_exports_expired_delete() >= 1
    assert not BulkExport.objects.exists() and not BulkExportFile.objects.exists()


def test_a_role_ended_before_the_job_runs_exports_nobody(client, world, token_for):
    from hearth.api.services import bulk_export_run
    from hearth.programs.models import Membership

    _token, headers = token_for(world.clinician, "read:fhir")
    _start(client, headers, world.program.pk, run=False)
    Membership.objects.filter(user=world.clinician).update(ended_at=timezone.now())
    export = bulk_export_run(export_id=BulkExport.objects.get().pk)
    assert export.status == BulkExport.Status.DONE and not export.files.exists()
    assert not AuditEntry.objects.filter(action="api.fhir_bulk_export.called").exclude(subject=None).exists()


def test_one_export_at_a_time(client, world, token_for):
    _token, headers = token_for(world.clinician, "read:fhir")
    first = _start(client, headers, world.program.pk, run=False)  # stays queued
    second = _start(client, headers, world.program.pk, run=False)
    assert second.status_code == 429 and second.json()["error"] == "export_running" and second["Retry-After"]
    assert client.delete(_status_path(first), **headers).status_code == 202
    assert _start(client, headers, world.program.pk, run=False).status_code == 202
