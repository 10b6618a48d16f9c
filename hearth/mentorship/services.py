"""Every write in mentorship: keyword-only, checked, audited, in one transaction.

Staff propose, both sides accept, either ends it kindly with a reason; nothing is deleted.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.consent.models import RecipientKind
from hearth.consent.services import consent_grant, consents_end_for_recipient
from hearth.messaging.models import Kind
from hearth.messaging.services import conversation_create
from hearth.notifications.services import notify, person_zone
from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import is_care_team_of, program_ids_where, roles_of
from hearth.safety.detection import detect
from hearth.safety.models import Severity
from hearth.safety.services import free_text_screen, safety_signal_raise
from hearth.scheduling.models import SessionKind
from hearth.scheduling.services import occurrence_schedule

from . import matching
from .models import (
    MENTOR_SHAREABLE,
    PROPOSAL_DAYS,
    Channel,
    ContactLog,
    EndReason,
    HowItWent,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    RequestStatus,
    SupervisionNote,
    TrainingRecord,
    Worry,
    month_start,
)
from .selectors import eligible_profiles, mentor_data, seeker_data

MAX_NOTE_CHARS = 280
MAX_WORRY_CHARS = 1000
MAX_SUPERVISION_NOTE_CHARS = 5000
MAX_MEETING_MINUTES = 4 * 60


def _tell(people, url_name: str, *args, words=None) -> None:
    """Tell people, once the write commits, that their mentorship has news. ``words(person)`` says
    what happened, in the person's language, in Hearth's own list only; email, SMS and push keep the
    kind's generic wording."""
    url = reverse(url_name, args=args)
    for person in people:
        text = (lambda person=person: words(person)) if words else None
        transaction.on_commit(
            lambda person=person, text=text: notify(recipient=person, kind="mentorship.news", url=url, text=text)
        )


def _vocabulary_check(values, vocabulary: dict, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ValidationError({field: _("Choose from the list.")})
    return values


def _windows_check(windows, field: str = "availability") -> list[list[int]]:
    try:
        clean = [[int(d), int(s), int(e)] for d, s, e in windows or []]
        matching.hours_of_week([tuple(w) for w in clean], 0)
    except matching.MatchingError as exc:
        raise ValidationError({field: str(exc.args[0])}) from None
    except (TypeError, ValueError):
        raise ValidationError({field: _("Write each time as a day and two times, like “Tue 18:00-21:00”.")}) from None
    return clean


def _is_staff_of(user, program_id: int) -> bool:
    return program_id in program_ids_where(user, *STAFF_ROLES)


def _is_participant_of(user, program_id: int) -> bool:
    return (program_id, Role.PARTICIPANT) in roles_of(user)


# --- Mentor profiles ------------------------------------------------------------------------


def profile_save(
    *,
    actor,
    program,
    pathways=(),
    years_in_recovery: int = 0,
    languages=(),
    gender: str = "",
    age_range: str = "",
    interests=(),
    lived_experience=(),
    availability=(),
    time_zone: str = "America/Chicago",
    capacity: int = 3,
) -> MentorProfile:
    """A mentor writes their own profile (a change needs no new approval; training does)."""
    if (program.pk, Role.MENTOR) not in roles_of(actor):
        raise PermissionDenied
    if not 1 <= int(capacity) <= 12:
        raise ValidationError({"capacity": _("Choose between 1 and 12 mentees.")})
    if gender and gender not in matching.GENDERS:
        raise ValidationError({"gender": _("Choose from the list.")})
    fields = {
        "program": program,
        "pathways": _vocabulary_check(pathways, matching.PATHWAYS, "pathways"),
        "years_in_recovery": max(int(years_in_recovery), 0),
        "languages": _vocabulary_check(languages, matching.LANGUAGES, "languages"),
        "gender": gender,
        "age_range": age_range if age_range in matching.AGE_RANGES else "",
        "interests": _vocabulary_check(interests, matching.INTERESTS, "interests"),
        "lived_experience": _vocabulary_check(lived_experience, matching.LIVED_EXPERIENCE, "lived_experience"),
        "availability": _windows_check(availability),
        "time_zone": time_zone,
        "capacity": int(capacity),
    }
    if not fields["languages"]:
        raise ValidationError({"languages": _("Name at least one language you can mentor in.")})
    with transaction.atomic():
        profile, created = MentorProfile.objects.update_or_create(user=actor, defaults=fields)
        audit_record(
            actor=actor,
            action="mentorship.profile.created" if created else "mentorship.profile.updated",
            subject=actor,
            obj=profile,
        )
    return profile


def profile_approve(*, actor, profile: MentorProfile, supervisor=None) -> MentorProfile:
    if not _is_staff_of(actor, profile.program_id):
        raise PermissionDenied
    supervisor = supervisor or actor
    if not _is_staff_of(supervisor, profile.program_id):
        raise ValidationError({"supervisor": _("The supervisor must be staff of the program.")})
    with transaction.atomic():
        profile.approved_at = timezone.now()
        profile.approved_by = actor
        profile.supervisor = supervisor
        profile.save(update_fields=["approved_at", "approved_by", "supervisor"])
        audit_record(actor=actor, action="mentorship.profile.approved", subject=profile.user, obj=profile)
    return profile


def training_record(
    *, actor, profile: MentorProfile, name: str, completed_on: datetime.date, expires_on: datetime.date
) -> TrainingRecord:
    if not _is_staff_of(actor, profile.program_id):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the training.")})
    if completed_on is None or expires_on is None or expires_on <= completed_on:
        raise ValidationError({"expires_on": _("A training must expire after it was completed.")})
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            profile=profile, name=name[:120], completed_on=completed_on, expires_on=expires_on, recorded_by=actor
        )
        audit_record(actor=actor, action="mentorship.training.recorded", subject=profile.user, obj=record)
    return record


# --- Asking for a mentor --------------------------------------------------------------------


def request_create(
    *,
    actor,
    participant,
    program,
    languages=(),
    gender: str = "",
    pathways=(),
    interests=(),
    lived_experience=(),
    availability=(),
) -> MentorRequest:
    """A participant asks for themself; a clinician or admin of the program asks on their behalf."""
    if not _is_participant_of(participant, program.pk):
        raise PermissionDenied
    if actor.pk != participant.pk and not (_is_staff_of(actor, program.pk) and is_care_team_of(actor, participant)):
        raise PermissionDenied
    if gender and gender not in matching.GENDERS:
        raise ValidationError({"gender": _("Choose from the list.")})
    if MentorRequest.objects.filter(
        participant=participant, status__in=[RequestStatus.WAITING, RequestStatus.PROPOSED]
    ).exists():
        raise ValidationError(_("There is already a request waiting for a mentor."))
    fields = {
        "languages": _vocabulary_check(languages, matching.LANGUAGES, "languages"),
        "gender": gender,
        "pathways": _vocabulary_check(pathways, matching.PATHWAYS, "pathways"),
        "interests": _vocabulary_check(interests, matching.INTERESTS, "interests"),
        "lived_experience": _vocabulary_check(lived_experience, matching.LIVED_EXPERIENCE, "lived_experience"),
        "availability": _windows_check(availability),
    }
    try:
        with transaction.atomic():
            request = MentorRequest.objects.create(
                participant=participant,
                program=program,
                requested_by=actor,
                time_zone=participant.time_zone or program.time_zone,
                **fields,
            )
            audit_record(
                actor=actor,
                action="mentorship.request.created",
                subject=participant,
                obj=request,
                data={"on_behalf": actor.pk != participant.pk},
            )
    except IntegrityError:
        raise ValidationError(_("There is already a request waiting for a mentor.")) from None
    return request


# --- Proposing, accepting, ending -----------------------------------------------------------


def mentorship_propose(*, actor, request: MentorRequest, profile: MentorProfile, now=None) -> Mentorship:
    """Staff propose a mentor for a waiting request; the mentor and the participant then both accept."""
    now = now or timezone.now()
    if not _is_staff_of(actor, request.program_id):
        raise PermissionDenied
    with transaction.atomic():
        request = MentorRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.WAITING:
            raise ValidationError(_("This request is no longer waiting for a match."))
        if profile.user_id == request.participant_id:
            raise ValidationError(_("A person cannot be their own mentor."))
        eligible = eligible_profiles(program=request.program, on=now.date()).filter(pk=profile.pk).first()
        if eligible is None:
            if profile.program_id == request.program_id and profile.approved_at is not None:
                raise ValidationError(
                    _("%(name)s's training has expired. Record a current training before matching.")
                    % {"name": profile.user.display_name}
                )
            raise ValidationError(_("This mentor is not approved for matching yet."))
        if eligible.taken >= eligible.capacity:
            raise ValidationError(
                _("%(name)s has no places left (%(capacity)s mentees).")
                % {"name": profile.user.display_name, "capacity": eligible.capacity}
            )
        suggestion = matching.score(seeker_data(request, now), mentor_data(eligible, now))
        if suggestion is None:
            raise ValidationError(_("This mentor does not meet the person's language or gender preference."))
        mentorship = Mentorship.objects.create(
            request=request,
            program=request.program,
            mentor=profile.user,
            mentee=request.participant,
            score=suggestion.score,
            reasons=[[r.kind, list(r.values), r.points] for r in suggestion.reasons],
            proposed_by=actor,
            proposed_at=now,
        )
        request.status = RequestStatus.PROPOSED
        request.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="mentorship.mentorship.proposed",
            subject=request.participant,
            obj=mentorship,
            data={"mentor": profile.user_id, "score": suggestion.score},
        )
        mentee_name, mentor_name = request.participant.display_name, profile.user.display_name
        _tell(
            [profile.user],
            "mentorship:mentees",
            words=lambda _person: _("You were suggested as a peer mentor for %(name)s") % {"name": mentee_name},
        )
        _tell(
            [request.participant],
            "mentorship:mine",
            words=lambda _person: _("Your care team suggested %(name)s as your peer mentor") % {"name": mentor_name},
        )
    return mentorship


def batch_propose(*, actor, program, now=None) -> list[Mentorship]:
    """Propose a mentor for every waiting request of the program at once, by stable matching."""
    now = now or timezone.now()
    if not _is_staff_of(actor, program.pk):
        raise PermissionDenied
    requests = {r.pk: r for r in MentorRequest.objects.filter(program=program, status=RequestStatus.WAITING)}
    profiles = {p.pk: p for p in eligible_profiles(program=program, on=now.date())}
    result = matching.match_batch(
        [seeker_data(r, now) for r in requests.values()], [mentor_data(p, now) for p in profiles.values()]
    )
    return [
        mentorship_propose(actor=actor, request=requests[request_id], profile=profiles[s.mentor_id], now=now)
        for request_id, s in sorted(result.items())
    ]


def mentorship_respond(*, actor, mentorship: Mentorship, accept: bool, now=None) -> Mentorship:
    """The mentor or the mentee answers a proposal. Both yes: active. One no: declined, and the
    request waits for another match."""
    now = now or timezone.now()
    if actor.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise PermissionDenied
    with transaction.atomic():
        mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if mentorship.status != MentorshipStatus.PROPOSED:
            raise ValidationError(_("This proposal is no longer open; it was already answered or withdrawn."))
        if mentorship.proposed_at < now - datetime.timedelta(days=PROPOSAL_DAYS):
            raise ValidationError(_("This proposal has expired. The care team can propose a match again."))
        as_mentor = actor.pk == mentorship.mentor_id
        if (mentorship.mentor_accepted_at if as_mentor else mentorship.mentee_accepted_at) is not None:
            raise ValidationError(_("You already said yes. We are waiting for the other person."))
        request = mentorship.request
        if not accept:
            mentorship.status = MentorshipStatus.DECLINED
            mentorship.ended_at, mentorship.ended_by = now, actor
            mentorship.save(update_fields=["status", "ended_at", "ended_by"])
            request.status = RequestStatus.WAITING
            request.save(update_fields=["status"])
            action = "mentorship.mentorship.declined"
        else:
            if as_mentor:
                mentorship.mentor_accepted_at = now
            else:
                mentorship.mentee_accepted_at = now
            fields = ["mentor_accepted_at", "mentee_accepted_at"]
            action = "mentorship.mentorship.accepted"
            if mentorship.mentor_accepted_at and mentorship.mentee_accepted_at:
                mentorship.status = MentorshipStatus.ACTIVE
                mentorship.started_at = now
                fields += ["status", "started_at"]
                request.status = RequestStatus.MATCHED
                request.save(update_fields=["status"])
                action = "mentorship.mentorship.started"
            mentorship.save(update_fields=fields)
        audit_record(
            actor=actor, action=action, subject=mentorship.mentee, obj=mentorship, data={"as_mentor": as_mentor}
        )
        if mentorship.status == MentorshipStatus.ACTIVE:
            other = mentorship.mentee if as_mentor else mentorship.mentor
            name = actor.display_name
            _tell(
                [other],
                "mentorship:detail",
                mentorship.pk,
                words=lambda _person: _("%(name)s accepted: your peer mentorship has started") % {"name": name},
            )
    return mentorship


def mentorship_end(*, actor, mentorship: Mentorship, reason: str, now=None) -> Mentorship:
    """Either side (or staff of the program) ends an active mentorship, with a reason. History is kept."""
    now = now or timezone.now()
    if actor.pk not in (mentorship.mentor_id, mentorship.mentee_id) and not _is_staff_of(actor, mentorship.program_id):
        raise PermissionDenied
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    with transaction.atomic():
        mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if mentorship.status != MentorshipStatus.ACTIVE:
            raise ValidationError(_("This mentorship is not active."))
        mentorship.status = MentorshipStatus.ENDED
        mentorship.ended_at, mentorship.ended_by, mentorship.end_reason = now, actor, reason
        mentorship.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        audit_record(
            actor=actor,
            action="mentorship.mentorship.ended",
            subject=mentorship.mentee,
            obj=mentorship,
            data={"reason": reason},
        )
        # What the mentee shared was for this mentorship: the former mentor sees nothing more.
        consents_end_for_recipient(
            actor=actor,
            participant=mentorship.mentee,
            recipient=mentorship.mentor,
            recipient_kind=RecipientKind.MENTOR,
            program=mentorship.program,
            reason="mentorship.ended",
        )

        # The other person (both, when staff ended it) hears it from Hearth, kindly and without details.
        def ended_words(person) -> str:
            other = mentorship.mentee if person.pk == mentorship.mentor_id else mentorship.mentor
            return _("Your peer mentorship with %(name)s has ended") % {"name": other.display_name}

        _tell([p for p in (mentorship.mentor, mentorship.mentee) if p.pk != actor.pk], "dashboard", words=ended_words)
    return mentorship


def _require_active_mentor(actor, mentorship: Mentorship) -> Mentorship:
    """The mentorship as stored now (a page may hold an old copy), if the actor mentors in it and it is active."""
    if actor.pk != mentorship.mentor_id:
        raise PermissionDenied
    current = Mentorship.objects.filter(pk=mentorship.pk, status=MentorshipStatus.ACTIVE).first()
    if current is None:
        raise ValidationError(_("This mentorship is not active."))
    return current


# --- The working day ------------------------------------------------------------------------


def conversation_open(*, actor, mentorship: Mentorship):
    """The private conversation of a mentor and mentee (messaging allows it while it is active)."""
    if actor.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise PermissionDenied
    if not Mentorship.objects.filter(pk=mentorship.pk, status=MentorshipStatus.ACTIVE).exists():
        raise ValidationError(_("This mentorship is not active."))
    other = mentorship.mentee if actor.pk == mentorship.mentor_id else mentorship.mentor
    return conversation_create(actor=actor, program=mentorship.program, kind=Kind.DIRECT, members=[other])


def _raise_if_crisis(*, person, text: str, source: str, raised_by) -> None:
    free_text_screen(person=person, source=source, texts=[text], raised_by=raised_by, alerting_only=True)


def contact_log(
    *,
    actor,
    mentorship: Mentorship,
    happened_at: datetime.datetime,
    channel: str,
    minutes: int,
    how_it_went: str,
    note: str = "",
    now=None,
) -> ContactLog:
    """A short log after each contact: how, how long, how it went. No clinical notes."""
    now = now or timezone.now()
    mentorship = _require_active_mentor(actor, mentorship)
    errors = {}
    if happened_at is None or timezone.is_naive(happened_at):
        errors["happened_at"] = _("Give the date and time of the contact.")
    elif happened_at > now + datetime.timedelta(minutes=5):
        errors["happened_at"] = _("A contact cannot be in the future.")
    elif mentorship.started_at and happened_at < mentorship.started_at - datetime.timedelta(days=1):
        errors["happened_at"] = _("This is before the mentorship started.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how you were in touch.")
    if how_it_went not in HowItWent.values:
        errors["how_it_went"] = _("Choose how it went.")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = -1
    if not 0 <= minutes <= 600:
        errors["minutes"] = _("Minutes are between 0 and 600.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = _("Keep it short: at most %(max)s characters.") % {"max": MAX_NOTE_CHARS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        log = ContactLog.objects.create(
            mentorship=mentorship,
            logged_by=actor,
            happened_at=happened_at,
            channel=channel,
            minutes=minutes,
            how_it_went=how_it_went,
            note=note,
        )
        audit_record(
            actor=actor,
            action="mentorship.contact.logged",
            subject=mentorship.mentee,
            obj=log,
            data={"channel": channel, "minutes": minutes, "how_it_went": how_it_went},
        )
        if note:
            _raise_if_crisis(person=mentorship.mentee, text=note, source="mentorship.contact.note", raised_by=actor)
    return log


def worry_raise(*, actor, mentorship: Mentorship, text: str = "") -> Worry:
    """ "I'm worried about this person": a signal to the care team at once. At least moderate; higher
    when the mentor's words say so (crisis detection reads them)."""
    mentorship = _require_active_mentor(actor, mentorship)
    text = (text or "").strip()
    if len(text) > MAX_WORRY_CHARS:
        raise ValidationError({"text": _("At most %(max)s characters.") % {"max": MAX_WORRY_CHARS}})
    match = detect(text) if text else None
    severity = match.severity if match is not None and match.raises_signal else Severity.MODERATE
    with transaction.atomic():
        signal = safety_signal_raise(
            person=mentorship.mentee, source="mentorship.worry", severity=severity, evidence=text, raised_by=actor
        )
        worry = Worry.objects.create(mentorship=mentorship, raised_by=actor, signal=signal)
        audit_record(
            actor=actor,
            action="mentorship.worry.raised",
            subject=mentorship.mentee,
            obj=worry,
            data={"severity": severity},
        )
    return worry


def meeting_schedule(
    *, actor, mentorship: Mentorship, starts_at: datetime.datetime, ends_at: datetime.datetime, now=None
):
    """A mentor puts a meeting with their mentee on both calendars, through scheduling (whose
    allowance, registered in apps.py, lets a mentor schedule a mentor meeting with an active mentee)."""
    now = now or timezone.now()
    mentorship = _require_active_mentor(actor, mentorship)
    errors = {}
    if starts_at is None or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif starts_at < now:
        errors["starts_at"] = _("Choose a time in the future.")
    if ends_at is None or timezone.is_naive(ends_at):
        errors["ends_at"] = _("Give the time the meeting ends.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif starts_at is not None and ends_at - starts_at > datetime.timedelta(minutes=MAX_MEETING_MINUTES):
        errors["ends_at"] = _("A mentor meeting lasts at most four hours.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheduled = occurrence_schedule(
            actor=actor,
            program=mentorship.program,
            kind=SessionKind.MENTOR_MEETING,
            # Calendars of both people show it, so it names them by their community names only.
            title=f"{mentorship.mentor.display_name} · {mentorship.mentee.display_name}",
            starts_at=starts_at,
            ends_at=ends_at,
            hosts=[actor],
            people=[mentorship.mentee],
        )
        audit_record(
            actor=actor,
            action="mentorship.meeting.scheduled",
            subject=mentorship.mentee,
            obj=mentorship,
            data={"occurrence": scheduled.obj.pk},
        )

        def meeting_words(person) -> str:
            local = timezone.localtime(starts_at, person_zone(person))
            return _("Mentor meeting with %(name)s: %(when)s") % {
                "name": mentorship.mentor.display_name,
                "when": date_format(local, "D j M, H:i"),
            }

        _tell([mentorship.mentee], "scheduling:occurrence_detail", scheduled.obj.pk, words=meeting_words)
    return scheduled.obj


# --- Sharing with the mentor (consent) ------------------------------------------------------


def mentor_share_grant(
    *,
    actor,
    mentorship: Mentorship,
    categories,
    purpose: str,
    expires_at: datetime.datetime,
    signature: str,
):
    """The mentee consents, in writing, to show their mentor named kinds of information. It is a
    Part 2 consent like any other (consent_grant): listed on their sharing page, withdrawn there."""
    if actor.pk != mentorship.mentee_id:
        raise PermissionDenied
    if not Mentorship.objects.filter(pk=mentorship.pk, status=MentorshipStatus.ACTIVE).exists():
        raise ValidationError(_("This mentorship is not active."))
    categories = list(categories or [])
    if not categories or any(c not in MENTOR_SHAREABLE for c in categories):
        raise ValidationError({"categories": _("Choose at least one kind of information from the list.")})
    return consent_grant(
        actor=actor,
        program=mentorship.program,
        recipient_kind=RecipientKind.MENTOR,
        recipient_user=mentorship.mentor,
        recipient_name=mentorship.mentor.display_name,
        categories=categories,
        purpose=(purpose or "").strip() or _("So my peer mentor can support me"),
        expires_at=expires_at,
        signature=signature or "",
    )


# --- Supervision ----------------------------------------------------------------------------


def may_supervise(user, profile: MentorProfile) -> bool:
    """The mentor's supervisor, or an admin of the mentor's program."""
    return profile.supervisor_id == user.pk or (profile.program_id, Role.ADMIN) in roles_of(user)


def supervision_note_save(
    *, actor, profile: MentorProfile, month: datetime.date, body: str, version: int, now=None
) -> SupervisionNote:
    """Write or edit the note of one mentor for one month. ``version`` is the one the writer saw (0 for
    none yet): if someone saved since, the edit is refused and nothing changes."""
    now = now or timezone.now()
    if not may_supervise(actor, profile):
        raise PermissionDenied
    errors = {}
    if month is None:
        errors["month"] = _("Choose the month.")
    else:
        month = month_start(month)
        if month > month_start(timezone.localdate(now)):
            errors["month"] = _("A supervision note is for this month or an earlier one.")
    body = (body or "").strip()
    if not body:
        errors["body"] = _("Write the note.")
    elif len(body) > MAX_SUPERVISION_NOTE_CHARS:
        errors["body"] = _("At most %(max)s characters.") % {"max": MAX_SUPERVISION_NOTE_CHARS}
    try:
        version = int(version)
    except (TypeError, ValueError):
        errors["__all__"] = _("Reload the page and try again.")
    if errors:
        raise ValidationError(errors)
    stale = ValidationError(
        _("Someone saved this note since you opened it. Reload the page to see their version, then edit it.")
    )
    try:
        with transaction.atomic():
            note = SupervisionNote.objects.select_for_update().filter(profile=profile, month=month).first()
            if note is None:
                if version != 0:
                    raise stale
                note = SupervisionNote.objects.create(
                    profile=profile, month=month, body=body, written_by=actor, created_at=now, updated_at=now
                )
                action = "mentorship.supervision_note.written"
            else:
                if version != note.version:
                    raise stale
                note.body, note.written_by, note.updated_at = body, actor, now
                note.version += 1
                note.save(update_fields=["body", "written_by", "updated_at", "version"])
                action = "mentorship.supervision_note.updated"
            audit_record(
                actor=actor,
                action=action,
                subject=profile.user,
                obj=note,
                program=profile.program_id,
                data={"month": month.strftime("%Y-%m"), "version": note.version},
            )
            # A supervisor may write that the mentor is struggling themself: the same crisis screen.
            free_text_screen(
                person=profile.user,
                source="mentorship.supervision_note",
                texts=[body],
                raised_by=actor,
                alerting_only=True,
            )
    except IntegrityError:
        raise stale from None  # two first notes for the same month at once: the second is stale
    return note
