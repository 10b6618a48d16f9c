import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hearth.accounts.models import ClinicalIdentity
from hearth.audit.models import AuditEntry
from hearth.intake.models import ConsentSignature, IntakePacket, PacketStatus, ScreeningResult
from hearth.intake.services import intake_consent_sign, intake_packet_start, intake_screening_submit
from hearth.safety.models import SafetySignal

ABOUT = {
    "date_of_birth": "1988-04-02",
    "phone": "+1 312 555 0142",
    "emergency_contact_name": "Sam Rivera",
    "emergency_contact_phone": "+1 312 555 0143",
    "language": "es",
    "time_zone": "America/Los_Angeles",
    "sex_at_birth": "female",
    "gender_identity": "woman",
    "accessibility_needs": "Captions, please",
    "availability": ["weekday_evening", "weekend"],
    "availability_note": "Not Fridays",
}


def _answers(n, value=0):
    return {f"q{i + 1}": value for i in range(n)}


def fill_intake(client, packet, *, phq9=None):
    """Everything a participant does on their phone, through the pages."""
    assert client.post(reverse("intake:about", args=[packet.pk]), ABOUT).status_code == 302
    phq9 = phq9 or _answers(9, 1)
    assert client.post(reverse("intake:screening", args=[packet.pk, "phq9"]), phq9).status_code == 302
    assert client.post(reverse("intake:screening", args=[packet.pk, "gad7"]), _answers(7, 1)).status_code == 302
    assert (
        client.post(reverse("intake:screening", args=[packet.pk, "auditc"]), {"q1": 1, "q2": 1, "q3": 1}).status_code
        == 302
    )
    dast = {**_answers(10, 0), "q3": 1}
    assert client.post(reverse("intake:screening", args=[packet.pk, "dast10"]), dast).status_code == 302
    for code in ("treatment", "telehealth", "group_rules", "part2_notice"):
        response = client.post(
            reverse("intake:sign", args=[packet.pk, code]), {"agree": "on", "signed_name": "Ana Rivera"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def test_participant_fills_intake_and_clinician_reviews(world, client_for):
    client = client_for(world.participant)
    response = client.post(reverse("intake:home"), {"program": world.program.pk}, REMOTE_ADDR="203.0.113.7")
    packet = IntakePacket.objects.get(person=world.participant, program=world.program)
    assert response["Location"] == reverse("intake:packet", args=[packet.pk])
    fill_intake(client, packet)
    identity = ClinicalIdentity.objects.get(user=world.participant)
    assert identity.emergency_contact_name == "Sam Rivera"
    assert identity.accessibility_needs == "Captions, please"
    world.participant.refresh_from_db()
    assert (world.participant.language, world.participant.time_zone) == ("es", "America/Los_Angeles")
    auditc = ScreeningResult.objects.get(packet=packet, measure="auditc")
    assert (auditc.total, auditc.positive) == (3, True)  # a woman's 3 is a positive screen
    assert ScreeningResult.objects.get(packet=packet, measure="dast10").total == 0
    signature = ConsentSignature.objects.get(packet=packet, document="group_rules")
    assert signature.signer == world.participant
    assert signature.document_version == "group-rules-2026.1"
    assert signature.signed_ip == "127.0.0.1"
    assert client.post(reverse("intake:send", args=[packet.pk])).status_code == 302
    packet.refresh_from_db()
    assert packet.status == PacketStatus.SUBMITTED

    staff = client_for(world.clinician)
    page = staff.get(reverse("intake:review", args=[packet.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sam Rivera" in body and "AUDIT-C" in body and "Ana Rivera" in body
    assert AuditEntry.objects.filter(action="intake.packet.viewed", actor=world.clinician).exists()
    assert staff.post(reverse("intake:review", args=[packet.pk]), {"note": "Seen"}).status_code == 302
    packet.refresh_from_db()
    assert packet.status == PacketStatus.REVIEWED and packet.reviewed_by == world.clinician


def test_phq9_item9_raises_an_urgent_signal_once(world, client_for):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    client = client_for(world.participant)
    answers = {**_answers(9, 0), "q9": 2}
    client.post(reverse("intake:screening", args=[packet.pk, "phq9"]), answers)
    signals = SafetySignal.objects.filter(person=world.participant, source="intake.phq9.item9")
    assert [s.severity for s in signals] == ["urgent"]
    client.post(reverse("intake:screening", args=[packet.pk, "phq9"]), answers)
    assert signals.count() == 1


def test_phq9_item9_zero_raises_nothing(world):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    intake_screening_submit(actor=world.participant, packet=packet, measure_code="phq9", answers=[3] * 8 + [0])
    assert not SafetySignal.objects.filter(source="intake.phq9.item9").exists()


@pytest.mark.parametrize(
    ("code", "data"),
    [
        ("phq9", {**_answers(9, 0), "q9": 4}),
        ("phq9", _answers(8, 0)),
        ("auditc", {"q1": 5, "q2": 0, "q3": 0}),
        ("dast10", {**_answers(10, 0), "q4": "maybe"}),
    ],
)
def test_out_of_range_answers_are_refused_and_nothing_saved(world, client_for, code, data):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    response = client_for(world.participant).post(reverse("intake:screening", args=[packet.pk, code]), data)
    assert response.status_code == 400
    assert not ScreeningResult.objects.filter(packet=packet).exists()
    assert not SafetySignal.objects.filter(source="intake.phq9.item9").exists()


def test_bad_about_answers_change_nothing(world, client_for):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    response = client_for(world.participant).post(
        reverse("intake:about", args=[packet.pk]), {**ABOUT, "time_zone": "Mars/Base", "emergency_contact_phone": ""}
    )
    assert response.status_code == 400
    assert ClinicalIdentity.objects.get(user=world.participant).emergency_contact_name == ""
    packet.refresh_from_db()
    assert packet.about_done_at is None


def test_signing_twice_is_a_clear_error(world, client_for):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    intake_consent_sign(actor=world.participant, packet=packet, document_code="treatment", signed_name="Ana")
    with pytest.raises(ValidationError, match="already signed"):
        intake_consent_sign(actor=world.participant, packet=packet, document_code="treatment", signed_name="Ana")
    response = client_for(world.participant).post(
        reverse("intake:sign", args=[packet.pk, "treatment"]), {"agree": "on", "signed_name": "Ana"}
    )
    assert response.status_code == 400
    assert "already signed" in response.content.decode()
    assert ConsentSignature.objects.filter(packet=packet).count() == 1


def test_unsigned_without_agreeing_and_incomplete_send_are_refused(world, client_for):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    client = client_for(world.participant)
    response = client.post(reverse("intake:sign", args=[packet.pk, "telehealth"]), {"signed_name": "Ana"})
    assert response.status_code == 400
    client.post(reverse("intake:send", args=[packet.pk]))
    packet.refresh_from_db()
    assert packet.status == PacketStatus.OPEN
    assert not ConsentSignature.objects.exists()


def test_nobody_else_reads_an_intake(world, client_for):
    packet = intake_packet_start(actor=world.participant, program=world.program)
    for person in (world.other_participant, world.other_clinician, world.family_with_consent, world.mentor):
        client = client_for(person)
        assert client.get(reverse("intake:packet", args=[packet.pk])).status_code == 404
        assert client.get(reverse("intake:review", args=[packet.pk])).status_code in (403, 404)
    assert packet.pk not in [
        p.pk for p in client_for(world.other_clinician).get(reverse("intake:review_list")).context["packets"]
    ]
