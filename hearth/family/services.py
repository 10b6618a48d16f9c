"""Every write of the family app: progress summary, course progress, the couples' contract."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.programs.permissions import is_family, is_participant
from hearth.safety.services import free_text_screen

from .course import module_by_slug
from .models import CaringNote, ContractDay, CourseProgress, ProgressSummary, SessionTopic
from .selectors import Couple, couples_for_viewer, local_today

MAX_NOTE_LENGTH = 1000


def _screen_for_safety(*, text: str, participant, author) -> None:
    """Free text goes through safety detection; a signal reaches the participant's care team on
    commit, and nothing is shown to the other partner (never an accusation)."""
    raised_by = author if author.pk != participant.pk else None
    free_text_screen(
        person=participant, source="family.contract", texts=[text], raised_by=raised_by, alerting_only=True
    )


def _clean_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write a few words first.")})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": MAX_NOTE_LENGTH}})
    return text


def progress_summary_save(*, actor, text: str) -> ProgressSummary:
    """The participant writes, and so approves, the words family may read about their progress."""
    if not is_participant(actor):
        raise PermissionDenied
    text = _clean_text(text, "text")
    with transaction.atomic():
        summary, _created = ProgressSummary.objects.update_or_create(
            participant=actor, defaults={"text": text, "approved_at": timezone.now()}
        )
        audit_record(actor=actor, action="family.progress_summary.approved", subject=actor, obj=summary)
        _screen_for_safety(text=text, participant=actor, author=actor)
    return summary


def course_module_complete(*, actor, slug: str) -> CourseProgress:
    if not is_family(actor):
        raise PermissionDenied
    if module_by_slug(slug) is None:
        raise ValidationError(_("There is no such module."))
    with transaction.atomic():
        progress, created = CourseProgress.objects.get_or_create(person=actor, module=slug)
        if created:
            audit_record(
                actor=actor, action="family.course.completed", subject=actor, obj=progress, data={"module": slug}
            )
    return progress


def _couple_of(*, actor, couple: Couple) -> Couple:
    """The couple as it stands now (the consent may have been withdrawn since the page loaded)."""
    for current in couples_for_viewer(viewer=actor):
        if current.participant.pk == couple.participant.pk and current.partner.pk == couple.partner.pk:
            return current
    raise PermissionDenied


def contract_day_state(*, actor, couple: Couple, day: datetime.date) -> ContractDay:
    """The participant states today's intention: not used in the last 24 hours, will not use in the next 24."""
    couple = _couple_of(actor=actor, couple=couple)
    if actor.pk != couple.participant.pk:
        raise PermissionDenied
    today = local_today(couple.participant)
    if day != today:
        raise ValidationError({"day": _("You can only record today (%(today)s).") % {"today": today.isoformat()}})
    if ContractDay.objects.filter(participant=actor, day=day).exists():
        raise ValidationError({"day": _("Today is already recorded. Thank you.")})
    try:
        with transaction.atomic():
            entry = ContractDay.objects.create(
                participant=actor, partner=couple.partner, program=couple.program, day=day
            )
            audit_record(
                actor=actor, action="family.contract_day.stated", subject=actor, obj=entry, program=couple.program
            )
    except IntegrityError:
        raise ValidationError({"day": _("Today is already recorded. Thank you.")}) from None
    return entry


def contract_day_acknowledge(
    *, actor, couple: Couple, day: datetime.date, medication_observed: bool = False
) -> ContractDay:
    """The partner thanks the participant for today's intention (and marks a medication they saw taken)."""
    couple = _couple_of(actor=actor, couple=couple)
    if actor.pk != couple.partner.pk:
        raise PermissionDenied
    with transaction.atomic():
        entry = ContractDay.objects.select_for_update().filter(participant=couple.participant, day=day).first()
        if entry is None:
            raise ValidationError({"day": _("There is nothing to acknowledge for this day yet.")})
        if entry.acknowledged_at is not None:
            raise ValidationError({"day": _("You already said thank you for this day.")})
        entry.acknowledged_at = timezone.now()
        entry.medication_observed = bool(medication_observed)
        entry.save(update_fields=["acknowledged_at", "medication_observed"])
        audit_record(
            actor=actor,
            action="family.contract_day.acknowledged",
            subject=couple.participant,
            obj=entry,
            program=couple.program,
            data={"medication_observed": entry.medication_observed},
        )
    return entry


def caring_note_write(*, actor, couple: Couple, text: str) -> CaringNote:
    couple = _couple_of(actor=actor, couple=couple)
    text = _clean_text(text, "text")
    with transaction.atomic():
        note = CaringNote.objects.create(participant=couple.participant, author=actor, text=text)
        audit_record(
            actor=actor,
            action="family.caring_note.written",
            subject=couple.participant,
            obj=note,
            program=couple.program,
        )
        _screen_for_safety(text=text, participant=couple.participant, author=actor)
    return note


def session_topic_save(*, actor, couple: Couple, text: str) -> SessionTopic:
    couple = _couple_of(actor=actor, couple=couple)
    text = _clean_text(text, "text")
    with transaction.atomic():
        topic = SessionTopic.objects.create(participant=couple.participant, author=actor, text=text)
        audit_record(
            actor=actor,
            action="family.session_topic.saved",
            subject=couple.participant,
            obj=topic,
            program=couple.program,
        )
        _screen_for_safety(text=text, participant=couple.participant, author=actor)
    return topic
