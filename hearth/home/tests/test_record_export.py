"""Right of access: a person downloads their own record as a ZIP, and the download is audited."""

import datetime
import io
import json
import zipfile

from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn
from hearth.messaging.models import Message
from hearth.messaging.services import message_send
from hearth.messaging.tests.conftest import cohort_conversation


def _checkin(person, note):
    return CheckIn.objects.create(
        person=person, local_date=datetime.date(2026, 3, 1), mood=6, craving=2, sleep_hours=7, note=note
    )


def _archive(client) -> zipfile.ZipFile:
    response = client.post(reverse("my_record"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="hearth-record-')
    return zipfile.ZipFile(io.BytesIO(response.content))


def _download(client) -> tuple[dict, str]:
    with _archive(client) as archive:
        assert sorted(archive.namelist()) == ["record.fhir.json", "record.json", "summary.html"]
        return json.loads(archive.read("record.json")), archive.read("summary.html").decode()


def test_participant_downloads_their_own_record_and_it_is_audited(world, client_for):
    _checkin(world.participant, "Walked instead <script>alert(1)</script>")
    _checkin(world.other_participant, "someone else's note")
    group = cohort_conversation(world)
    message_send(actor=world.participant, conversation=group, body="Mine to keep", client_msg_id="m1")
    message_send(actor=world.other_participant, conversation=group, body="Not theirs", client_msg_id="m2")

    client = client_for(world.participant)
    assert "Download my record" in client.get(reverse("my_record")).content.decode()
    record, summary = _download(client)

    assert record["format"] == "hearth-record/1" and record["person"]["id"] == world.participant.pk
    assert [c["note"] for c in record["checkins"]] == ["Walked instead <script>alert(1)</script>"]
    assert [m["body"] for m in record["messages_sent"]] == ["Mine to keep"]
    assert [c["recipient"] for c in record["consents"]] == [world.consent.recipient_name] and {
        "measures",
        "plans",
        "attendance",
    } <= set(record)
    assert "Walked instead &lt;script&gt;" in summary and "<script>alert" not in summary
    assert "someone else" not in summary + json.dumps(record) and "Not theirs" not in summary

    entry = AuditEntry.objects.get(action="home.record.exported")
    assert entry.actor == world.participant and entry.subject == world.participant
    assert entry.data["checkins"] == 1 and entry.data["messages_sent"] == 1
    assert entry.data["fhir_resources"] >= 2  # the Patient and their program at least


def test_a_participants_copy_carries_their_fhir_bundle_which_validates(world, client_for):
    with _archive(client_for(world.participant)) as archive:
        raw = archive.read("record.fhir.json")
    bundle = Bundle.model_validate_json(raw)  # every entry is validated as its R4B resource type
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds[0] == "Patient" and "Organization" in kinds
    patient = json.loads(raw)["entry"][0]
    assert patient["resource"]["id"] == f"patient-{world.participant.pk}"
    assert patient["fullUrl"].startswith("http://testserver/api/v1/fhir/Patient/")
    assert {"SUD", "R"} <= {label["code"] for label in patient["resource"]["meta"]["security"]}
    # Safety signals are the care team's: the person's own copy carries no Flag (security model).
    assert "Flag" not in kinds
    assert str(world.other_participant.pk) not in {
        entry.resource.id.split("-")[-1] for entry in bundle.entry if entry.resource.get_resource_type() == "Patient"
    }


def test_a_clinicians_own_copy_has_no_patient_record(world, client_for):
    with _archive(client_for(world.clinician)) as archive:
        assert sorted(archive.namelist()) == ["record.json", "summary.html"]
    assert AuditEntry.objects.get(action="home.record.exported").data["fhir_resources"] == 0


def test_a_deleted_message_is_not_in_the_copy(world, client_for):
    group = cohort_conversation(world)
    message_send(actor=world.participant, conversation=group, body="gone", client_msg_id="m1")
    Message.objects.update(deleted_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    record, _summary = _download(client_for(world.participant))
    assert record["messages_sent"] == []


def test_signed_out_people_are_sent_to_sign_in(world, client_for):
    response = client_for(None).post(reverse("my_record"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEntry.objects.filter(action="home.record.exported").exists()


def test_the_page_is_translated(world, client_for):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    client = client_for(world.participant)
    page = client.get(reverse("my_record"), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200 and "Descargar mi expediente" in page.content.decode()
    _record, summary = _download(client)
    assert "Expediente de Participant" in summary
