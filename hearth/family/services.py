"""Every write of the family app: progress summary, course progress, the couples' contract."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.programs.permissions import is_family, is_participant
from hearth.safety.services import free_text_screen
from hearth.scheduling.selectors import monday_of

from .course import module_by_slug
from .models import (
    ActivityStatus,
    CaringNote,
    ContractAgreement,
    ContractDay,
    CourseProgress,
    ProgressSummary,
    SessionTopic,
    SharedActivity,
)
from .selectors import Couple, contract_agreement_open, couples_for_viewer, local_today

MAX_NOTE_LENGTH = 1000
MAX_ACTIVITY_LENGTH = 200
MAX_ACTIVITIES_PER_WEEK = 5


def _screen_for_safety(*, text: str, participant, author) -> None:
    """Free text goes through safety detection; a signal reaches the participant's care team on
    commit, and nothing is shown to the other partner (never an accusation)."""
    raised_by = author if author.pk != participant.pk else None
    free_text_screen(
        person=participant, source="family.contract", texts=[text], raised_by=raised_by, alerting_only=True
    )


def _clean_text(text: str, field: str, limit: int = MAX_NOTE_LENGTH) -> str:
    text = (text if isinstance(text, str) else "").strip()
    if not text:
        raise ValidationError({field: _("Write a few words first.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": limit}})
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


def _couple_audit(*, actor, couple: Couple, action: str, obj, data: dict | None = None, screen: str = "") -> None:
    """Every write about a couple is audited with the participant as subject, in the couple's
    program; words one partner wrote (``screen``) also go through safety's crisis screen."""
    audit_record(actor=actor, action=action, subject=couple.participant, obj=obj, program=couple.program, data=data)
    if screen:
        _screen_for_safety(text=screen, participant=couple.participant, author=actor)


def _couple_of(*, actor, couple: Couple) -> Couple:
    """The couple as it stands now (the consent may have been withdrawn since the page loaded)."""
    for current in couples_for_viewer(viewer=actor):
        if current.participant.pk == couple.participant.pk and current.partner.pk == couple.partner.pk:
            return current
    raise PermissionDenied


def _require_agreed(couple: Couple) -> None:
    term = contract_agreement_open(couple=couple)
    if term is None or not term.in_force:
        raise ValidationError({"day": _("The contract starts when you have both agreed to it. Nothing was recorded.")})


def contract_agree(*, actor, couple: Couple) -> ContractAgreement:
    """One of the two agrees, for themself, to keep the daily contract (a new term if none is open)."""
    couple = _couple_of(actor=actor, couple=couple)
    field = "participant_agreed_at" if actor.pk == couple.participant.pk else "partner_agreed_at"
    try:
        with transaction.atomic():
            term = (
                ContractAgreement.objects.select_for_update()
                .filter(participant=couple.participant, partner=couple.partner, stopped_at__isnull=True)
                .first()
            )
            if term is None:
                term = ContractAgreement.objects.create(
                    participant=couple.participant, partner=couple.partner, program=couple.program
                )
            if getattr(term, field) is not None:
                raise ValidationError(_("You have already agreed to this contract."))
            setattr(term, field, timezone.now())
            term.save(update_fields=[field])
            _couple_audit(
                actor=actor, couple=couple, action="family.contract.agreed", obj=term, data={"in_force": term.in_force}
            )
    except IntegrityError:  # the other partner opened the term at the same moment
        raise ValidationError(_("Something changed at the same time. Please try again.")) from None
    return term


def contract_stop(*, actor, couple: Couple) -> ContractAgreement:
    """Either of the two may stop the contract at any time; the term and its days are kept."""
    couple = _couple_of(actor=actor, couple=couple)
    with transaction.atomic():
        term = (
            ContractAgreement.objects.select_for_update()
            .filter(participant=couple.participant, partner=couple.partner, stopped_at__isnull=True)
            .first()
        )
        if term is None:
            raise ValidationError(_("There is no contract to stop."))
        term.stopped_at = timezone.now()
        term.stopped_by = actor
        term.save(update_fields=["stopped_at", "stopped_by"])
        _couple_audit(actor=actor, couple=couple, action="family.contract.stopped", obj=term)
    return term


def contract_day_state(*, actor, couple: Couple, day: datetime.date) -> ContractDay:
    """The participant states today's intention: not used in the last 24 hours, will not use in the next 24."""
    couple = _couple_of(actor=actor, couple=couple)
    if actor.pk != couple.participant.pk:
        raise PermissionDenied
    _require_agreed(couple)
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
    _require_agreed(couple)
    with transaction.atomic():
        entry = ContractDay.objects.select_for_update().filter(participant=couple.participant, day=day).first()
        if entry is None:
            raise ValidationError({"day": _("There is nothing to acknowledge for this day yet.")})
        if entry.acknowledged_at is not None:
            raise ValidationError({"day": _("You already said thank you for this day.")})
        entry.acknowledged_at = timezone.now()
        entry.medication_observed = bool(medication_observed)
        entry.save(update_fields=["acknowledged_at", "medication_observed"])
        _couple_audit(
            actor=actor,
            couple=couple,
            action="family.contract_day.acknowledged",
            obj=entry,
            data={"medication_observed": entry.medication_observed},
        )
    return entry


def caring_note_write(*, actor, couple: Couple, text: str) -> CaringNote:
    couple = _couple_of(actor=actor, couple=couple)
    text = _clean_text(text, "text")
    with transaction.atomic():
        note = CaringNote.objects.create(participant=couple.participant, author=actor, text=text)
        _couple_audit(actor=actor, couple=couple, action="family.caring_note.written", obj=note, screen=text)
    return note


def session_topic_save(*, actor, couple: Couple, text: str) -> SessionTopic:
    couple = _couple_of(actor=actor, couple=couple)
    text = _clean_text(text, "text")
    with transaction.atomic():
        topic = SessionTopic.objects.create(participant=couple.participant, author=actor, text=text)
        _couple_audit(actor=actor, couple=couple, action="family.session_topic.saved", obj=topic, screen=text)
    return topic


# --- The weekly shared rewarding activity ---------------------------------------------------------


def _plannable_weeks(couple: Couple) -> tuple[datetime.date, datetime.date]:
    this_week = monday_of(local_today(couple.participant))
    return this_week, this_week + datetime.timedelta(weeks=1)


def _activity_locked(*, couple: Couple, activity_id, version) -> SharedActivity:
    """The couple's activity, locked, as the page that posted saw it; a change made since is refused."""
    try:
        activity = (
            SharedActivity.objects.select_for_update()
            .filter(participant=couple.participant, partner=couple.partner)
            .get(pk=int(activity_id))
        )
    except (SharedActivity.DoesNotExist, TypeError, ValueError, OverflowError):
        raise ValidationError(_("There is no such activity in your plan.")) from None
    if version is None or str(version) != str(activity.version):
        raise ValidationError(_("This activity changed since you opened the page. Look at it again, then choose."))
    return activity


def activity_propose(*, actor, couple: Couple, week_start: datetime.date, title: str) -> SharedActivity:
    """Either partner proposes a shared activity for this week or next; the other agrees to it."""
    couple = _couple_of(actor=actor, couple=couple)
    if actor.pk not in (couple.participant.pk, couple.partner.pk):
        raise PermissionDenied
    title = _clean_text(title, "title", MAX_ACTIVITY_LENGTH)
    if week_start not in _plannable_weeks(couple):
        raise ValidationError({"week": _("You can plan this week or next week.")})
    with transaction.atomic():
        planned = SharedActivity.objects.filter(
            participant=couple.participant, partner=couple.partner, week_start=week_start
        ).count()
        if planned >= MAX_ACTIVITIES_PER_WEEK:
            raise ValidationError(
                {"week": _("You have %(n)s activities for this week already.") % {"n": MAX_ACTIVITIES_PER_WEEK}}
            )
        activity = SharedActivity.objects.create(
            participant=couple.participant,
            partner=couple.partner,
            program=couple.program,
            week_start=week_start,
            title=title,
            proposed_by=actor,
        )
        _couple_audit(actor=actor, couple=couple, action="family.activity.proposed", obj=activity, screen=title)
    return activity


def activity_edit(*, actor, couple: Couple, activity_id, version, title: str) -> SharedActivity:
    """The proposer rewords an activity the other has not agreed to yet."""
    couple = _couple_of(actor=actor, couple=couple)
    title = _clean_text(title, "title", MAX_ACTIVITY_LENGTH)
    with transaction.atomic():
        activity = _activity_locked(couple=couple, activity_id=activity_id, version=version)
        if activity.proposed_by_id != actor.pk:
            raise ValidationError(_("Only the person who proposed it can change the words."))
        if activity.status != ActivityStatus.PROPOSED:
            raise ValidationError(_("You both agreed to this one already; propose another instead."))
        activity.title = title
        activity.version += 1
        activity.save(update_fields=["title", "version"])
        _couple_audit(actor=actor, couple=couple, action="family.activity.edited", obj=activity, screen=title)
    return activity


def activity_agree(*, actor, couple: Couple, activity_id, version) -> SharedActivity:
    """The other partner agrees to the activity exactly as they saw it."""
    couple = _couple_of(actor=actor, couple=couple)
    with transaction.atomic():
        activity = _activity_locked(couple=couple, activity_id=activity_id, version=version)
        if activity.proposed_by_id == actor.pk:
            raise ValidationError(_("Your partner agrees to what you proposed; you cannot agree for them."))
        if activity.status != ActivityStatus.PROPOSED:
            raise ValidationError(_("You both agreed to this one already."))
        activity.status = ActivityStatus.AGREED
        activity.agreed_at = timezone.now()
        activity.version += 1
        activity.save(update_fields=["status", "agreed_at", "version"])
        _couple_audit(actor=actor, couple=couple, action="family.activity.agreed", obj=activity)
    return activity


def activity_mark(*, actor, couple: Couple, activity_id, version, done: bool) -> SharedActivity:
    """Either partner says whether an agreed activity happened (once its week has begun)."""
    couple = _couple_of(actor=actor, couple=couple)
    with transaction.atomic():
        activity = _activity_locked(couple=couple, activity_id=activity_id, version=version)
        if activity.status == ActivityStatus.PROPOSED:
            raise ValidationError(_("Agree on it together first."))
        if activity.week_start > monday_of(local_today(couple.participant)):
            raise ValidationError(_("This activity's week has not started yet."))
        activity.status = ActivityStatus.DONE if done else ActivityStatus.NOT_DONE
        activity.marked_by = actor
        activity.marked_at = timezone.now()
        activity.version += 1
        activity.save(update_fields=["status", "marked_by", "marked_at", "version"])
        _couple_audit(
            actor=actor, couple=couple, action="family.activity.marked", obj=activity, data={"status": activity.status}
        )
    return activity
