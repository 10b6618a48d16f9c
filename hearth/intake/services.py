"""Every write of remote intake: the packet, its answers, signatures, submission and review."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.accounts.services import clinical_identity_update, profile_update
from hearth.audit.context import current_request
from hearth.audit.services import audit_record
from hearth.checkins.measures import PHQ9, SCREENERS, score
from hearth.notifications.services import notify
from hearth.programs.models import STAFF_ROLES, Membership, Program, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where
from hearth.safety.models import Severity
from hearth.safety.services import safety_signal_raise

from .documents import DOCUMENTS
from .models import Availability, ConsentSignature, IntakePacket, PacketStatus, ScreeningResult, SexAtBirth

PHQ9_ITEM9_SOURCE = "intake.phq9.item9"


def _is_participant_of(person, program: Program) -> bool:
    return Membership.objects.filter(
        user=person, program=program, role=Role.PARTICIPANT, ended_at__isnull=True
    ).exists()


def intake_packet_start(*, actor, program: Program) -> IntakePacket:
    """The participant's packet for the program (started the first time; the same one after)."""
    if not _is_participant_of(actor, program):
        raise PermissionDenied
    return _packet_create(actor=actor, person=actor, program=program)


def intake_packet_send(*, actor, person, program: Program) -> IntakePacket:
    """Staff open a packet for a participant of their program (it waits on the person's intake page)."""
    if program.pk not in program_ids_where(actor, *STAFF_ROLES) or not _is_participant_of(person, program):
        raise PermissionDenied
    with transaction.atomic():
        packet = _packet_create(actor=actor, person=person, program=program)
        if packet.status == PacketStatus.OPEN:
            audit_record(actor=actor, action="intake.packet.sent", subject=person, obj=packet)
            url = reverse("intake:packet", args=[packet.pk])
            text = partial(_sent_text, program)
            transaction.on_commit(lambda: notify(recipient=person, kind="intake.sent", url=url, text=text))
    return packet


def _sent_text(program: Program) -> str:
    return _("Your care team at %(program)s sent you intake forms to fill in") % {"program": program.name}


def _packet_create(*, actor, person, program: Program) -> IntakePacket:
    with transaction.atomic():
        packet, created = IntakePacket.objects.get_or_create(person=person, program=program)
        if created:
            audit_record(actor=actor, action="intake.packet.created", subject=person, obj=packet)
    return packet


def _require_open_own(actor, packet: IntakePacket) -> None:
    if actor.pk != packet.person_id:
        raise PermissionDenied
    if packet.status != PacketStatus.OPEN:
        raise ValidationError(_("This intake was already sent to your care team, so it can no longer be changed."))


def intake_about_save(
    *,
    actor,
    packet: IntakePacket,
    date_of_birth: datetime.date | None,
    phone: str,
    emergency_contact_name: str,
    emergency_contact_phone: str,
    language: str,
    time_zone: str,
    accessibility_needs: str,
    sex_at_birth: str,
    gender_identity: str,
    availability: list[str],
    availability_note: str,
) -> IntakePacket:
    """Demographics, contacts and preferences. Contact details go to the clinical identity (care team
    only), language and time zone to the profile, the rest to the packet."""
    _require_open_own(actor, packet)
    if date_of_birth is not None and not (
        datetime.date(1900, 1, 1) <= date_of_birth <= timezone.localdate() - datetime.timedelta(days=365 * 12)
    ):
        raise ValidationError({"date_of_birth": _("Check the date of birth.")})
    if sex_at_birth not in SexAtBirth.values:
        raise ValidationError({"sex_at_birth": _("Choose an answer from the list.")})
    if not emergency_contact_name.strip() or not emergency_contact_phone.strip():
        raise ValidationError({"emergency_contact_name": _("Give the name and phone of someone we can call.")})
    unknown = set(availability) - set(Availability.values)
    if unknown:
        raise ValidationError({"availability": _("Choose times from the list.")})
    with transaction.atomic():
        clinical_identity_update(
            actor=actor,
            person=packet.person,
            date_of_birth=date_of_birth,
            phone=phone.strip(),
            emergency_contact_name=emergency_contact_name.strip(),
            emergency_contact_phone=emergency_contact_phone.strip(),
            accessibility_needs=accessibility_needs.strip(),
        )
        profile_update(actor=actor, user=packet.person, language=language, time_zone=time_zone)
        packet.sex_at_birth = sex_at_birth
        packet.gender_identity = gender_identity.strip()
        packet.availability = [a for a in Availability.values if a in availability]
        packet.availability_note = availability_note.strip()
        packet.about_done_at = timezone.now()
        packet.full_clean()
        packet.save(
            update_fields=["sex_at_birth", "gender_identity", "availability", "availability_note", "about_done_at"]
        )
        audit_record(actor=actor, action="intake.about.saved", subject=packet.person, obj=packet)
    return packet


def intake_screening_submit(*, actor, packet: IntakePacket, measure_code: str, answers: list[int]) -> ScreeningResult:
    """Score one instrument by its published rule and keep the result (answering again replaces it
    while the packet is open). A PHQ-9 item 9 above 0 raises an urgent safety signal at once."""
    _require_open_own(actor, packet)
    measure = SCREENERS.get(measure_code)
    if measure is None:
        raise ValidationError(_("Unknown questionnaire."))
    result_score = score(measure, answers, sex=packet.sex_at_birth)
    with transaction.atomic():
        previous = ScreeningResult.objects.select_for_update().filter(packet=packet, measure=measure_code).first()
        already_flagged = previous is not None and previous.item9_positive
        values = {
            "answers": list(answers),
            "total": result_score.total,
            "band": str(result_score.band.label),
            "level": result_score.band.level,
            "positive": result_score.positive,
            "item9_positive": result_score.item9_positive,
            "submitted_at": timezone.now(),
        }
        result, _created = ScreeningResult.objects.update_or_create(
            packet=packet, measure=measure_code, defaults=values
        )
        audit_record(
            actor=actor,
            action="intake.screening.submitted",
            subject=packet.person,
            obj=result,
            data={"measure": measure_code, "total": result_score.total},
        )
        if measure is PHQ9 and result_score.item9_positive and not already_flagged:
            safety_signal_raise(
                person=packet.person,
                source=PHQ9_ITEM9_SOURCE,
                severity=Severity.URGENT,
                evidence=f"PHQ-9 item 9 answered {answers[8]} (of 3) at intake",
                raised_by=actor,
            )
    return result


def intake_consent_sign(*, actor, packet: IntakePacket, document_code: str, signed_name: str) -> ConsentSignature:
    """E-sign the current version of one document, with signer, time, IP and version."""
    _require_open_own(actor, packet)
    document = DOCUMENTS.get(document_code)
    if document is None:
        raise ValidationError(_("Unknown document."))
    if not signed_name.strip():
        raise ValidationError({"signed_name": _("Type your full name to sign.")})
    already = _("You already signed this document. Nothing was changed.")
    if ConsentSignature.objects.filter(
        packet=packet, document=document.code, document_version=document.version
    ).exists():
        raise ValidationError(already)
    ctx = current_request.get()
    try:
        with transaction.atomic():
            signature = ConsentSignature.objects.create(
                packet=packet,
                document=document.code,
                document_version=document.version,
                signer=actor,
                signed_name=signed_name.strip(),
                signed_ip=ctx.ip_address,
                user_agent=ctx.user_agent[:300],
            )
            audit_record(
                actor=actor,
                action="intake.consent.signed",
                subject=packet.person,
                obj=signature,
                data={"document": document.code, "version": document.version},
            )
    except IntegrityError:
        # Two tabs signing at once: the constraint keeps one signature.
        raise ValidationError(already) from None
    return signature


def missing_steps(packet: IntakePacket) -> list[str]:
    """What is still to do before the packet can be sent, in plain words."""
    missing = []
    if packet.about_done_at is None:
        missing.append(_("About you"))
    done = set(packet.results.values_list("measure", flat=True))
    missing += [str(m.name) for code, m in SCREENERS.items() if code not in done]
    signed = set(packet.signatures.values_list("document", "document_version"))
    missing += [str(d.title) for d in DOCUMENTS.values() if (d.code, d.version) not in signed]
    return missing


def intake_submit(*, actor, packet: IntakePacket) -> IntakePacket:
    _require_open_own(actor, packet)
    missing = missing_steps(packet)
    if missing:
        raise ValidationError(_("Still to do: %(steps)s.") % {"steps": ", ".join(missing)})
    with transaction.atomic():
        packet.status = PacketStatus.SUBMITTED
        packet.submitted_at = timezone.now()
        packet.save(update_fields=["status", "submitted_at"])
        audit_record(actor=actor, action="intake.packet.submitted", subject=packet.person, obj=packet)
    return packet


def intake_review(*, actor, packet: IntakePacket, note: str = "") -> IntakePacket:
    if not is_care_team_of(actor, packet.person) or packet.program_id not in program_ids_where(actor, *STAFF_ROLES):
        raise PermissionDenied
    if packet.status != PacketStatus.SUBMITTED:
        raise ValidationError(_("Only a sent intake can be marked as reviewed."))
    with transaction.atomic():
        packet.status = PacketStatus.REVIEWED
        packet.reviewed_at = timezone.now()
        packet.reviewed_by = actor
        packet.review_note = note.strip()
        packet.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        audit_record(actor=actor, action="intake.packet.reviewed", subject=packet.person, obj=packet)
    return packet
