"""Every read of mentorship data, scoped by the viewer.

A mentor reaches only their own mentees' mentorships (community name, contacts, shared meetings);
staff reach what belongs to programs they work in; a participant their own requests and proposals.
Anything else is a 404: a mentor never learns that someone else's mentorship exists.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from hearth.consent.models import Consent
from hearth.consent.selectors import consents_received
from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import program_ids_where
from hearth.scheduling.models import Occurrence, SessionKind

from . import matching
from .models import (
    ContactLog,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    RequestStatus,
    SupervisionNote,
    Worry,
    month_start,
)

OVERDUE_DAYS = 7  # a mentee not contacted for a week is overdue


def _utc_offset_minutes(zone: str, at: datetime.datetime) -> int:
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return int(at.astimezone(tz).utcoffset().total_seconds() // 60)


# --- Hooks registered with lower apps (apps.py) ---------------------------------------------


def active_mentorship_between(first, second, program) -> bool:
    """Messaging's allowance: a mentor and their mentee may talk privately while it is active."""
    return Mentorship.objects.filter(
        Q(mentor=first, mentee=second) | Q(mentor=second, mentee=first),
        program=program,
        status=MentorshipStatus.ACTIVE,
    ).exists()


def mentor_meeting_allowed(*, actor, program, kind, hosts, people, cohort) -> bool:
    """Scheduling's allowance: a mentor may host a mentor meeting with exactly their active mentee."""
    return (
        kind == SessionKind.MENTOR_MEETING
        and cohort is None
        and [h.pk for h in hosts] == [actor.pk]
        and len(people) == 1
        and Mentorship.objects.filter(
            mentor=actor, mentee=people[0], program=program, status=MentorshipStatus.ACTIVE
        ).exists()
    )


def last_mentor_contact(person, now: datetime.datetime) -> datetime.datetime | None:
    """Outreach's isolation rule: the latest contact a mentor logged with this person (reached)."""
    return (
        ContactLog.objects.filter(mentorship__mentee=person, happened_at__lte=now)
        .exclude(how_it_went="no_answer")
        .aggregate(last=Max("happened_at"))["last"]
    )


# --- Mentors and matching -------------------------------------------------------------------


def _current_training_q(on: datetime.date) -> Q:
    return Q(trainings__completed_on__lte=on, trainings__expires_on__gte=on)


def profile_for_mentor(*, viewer) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=viewer).prefetch_related("trainings").first()


def eligible_profiles(*, program, on: datetime.date) -> QuerySet[MentorProfile]:
    """Approved mentors of the program with current training, still holding the mentor role,
    annotated with how many mentees they have (active or proposed)."""
    mentor_ids = program.memberships.filter(role=Role.MENTOR, ended_at__isnull=True).values("user_id")
    current = MentorProfile.objects.filter(_current_training_q(on)).values("pk")
    return (
        MentorProfile.objects.filter(program=program, approved_at__isnull=False, user_id__in=mentor_ids, pk__in=current)
        .select_related("user")
        .annotate(
            taken=Count(
                "user__mentorships_as_mentor",
                filter=Q(user__mentorships_as_mentor__status__in=[MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE]),
            )
        )
        .order_by("pk")
    )


def mentor_data(profile: MentorProfile, now: datetime.datetime) -> matching.Mentor:
    offset = _utc_offset_minutes(profile.time_zone, now)
    return matching.Mentor(
        id=profile.pk,
        person_id=profile.user_id,
        languages=frozenset(profile.languages),
        gender=profile.gender,
        pathways=frozenset(profile.pathways),
        lived_experience=frozenset(profile.lived_experience),
        interests=frozenset(profile.interests),
        availability=matching.hours_of_week([tuple(w) for w in profile.availability], offset),
        capacity=max(profile.capacity - getattr(profile, "taken", 0), 0),
    )


def seeker_data(request: MentorRequest, now: datetime.datetime) -> matching.Seeker:
    offset = _utc_offset_minutes(request.time_zone, now)
    return matching.Seeker(
        id=request.pk,
        person_id=request.participant_id,
        languages=frozenset(request.languages),
        gender=request.gender,
        pathways=frozenset(request.pathways),
        lived_experience=frozenset(request.lived_experience),
        interests=frozenset(request.interests),
        availability=matching.hours_of_week([tuple(w) for w in request.availability], offset),
        utc_offset_minutes=offset,
    )


@dataclass
class SuggestionRow:
    profile: MentorProfile
    score: int
    explanation: str
    places_left: int


def suggestions_for_requests(*, requests, now=None, limit: int = 3) -> list[tuple[MentorRequest, list]]:
    """Each waiting request with its best mentors and why; mentors are loaded once per program."""
    now = now or timezone.now()
    by_program: dict = {}
    rows = []
    for request in requests:
        if request.program_id not in by_program:
            profiles = {p.pk: p for p in eligible_profiles(program=request.program, on=now.date())}
            by_program[request.program_id] = (profiles, [mentor_data(p, now) for p in profiles.values()])
        profiles, mentors = by_program[request.program_id]
        places = {m.id: m.capacity for m in mentors}
        suggestions = [
            SuggestionRow(profiles[s.mentor_id], s.score, matching.explain(s.reasons), places[s.mentor_id])
            for s in matching.suggest(seeker_data(request, now), mentors, limit=limit)
        ]
        rows.append((request, suggestions))
    return rows


def suggestions_for_request(*, request: MentorRequest, now=None, limit: int = 3) -> list[SuggestionRow]:
    return suggestions_for_requests(requests=[request], now=now, limit=limit)[0][1]


# --- Requests and proposals -----------------------------------------------------------------


def waiting_requests_for_staff(*, viewer) -> QuerySet[MentorRequest]:
    programs = program_ids_where(viewer, *STAFF_ROLES)
    return (
        MentorRequest.objects.filter(program_id__in=programs, status=RequestStatus.WAITING)
        .select_related("participant", "program")
        .order_by("created_at")
    )


def request_for_staff(*, viewer, request_id: int) -> MentorRequest:
    try:
        return waiting_requests_for_staff(viewer=viewer).get(pk=request_id)
    except (MentorRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_request_of(*, viewer) -> MentorRequest | None:
    return MentorRequest.objects.filter(
        participant=viewer, status__in=[RequestStatus.WAITING, RequestStatus.PROPOSED]
    ).first()


def proposals_for_viewer(*, viewer) -> QuerySet[Mentorship]:
    """Proposals waiting for this person's answer (as mentor or as mentee)."""
    return (
        Mentorship.objects.filter(status=MentorshipStatus.PROPOSED)
        .filter(Q(mentor=viewer, mentor_accepted_at__isnull=True) | Q(mentee=viewer, mentee_accepted_at__isnull=True))
        .select_related("mentor", "mentee")
        .order_by("proposed_at")
    )


def proposal_for_party(*, viewer, mentorship_id: int) -> Mentorship:
    """A mentorship the viewer is a party to (any status: a stale answer gets a clear error, not a 404)."""
    try:
        return Mentorship.objects.filter(Q(mentor=viewer) | Q(mentee=viewer)).get(pk=mentorship_id)
    except (Mentorship.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def mentor_of(*, viewer) -> Mentorship | None:
    """The participant's own active mentorship."""
    return Mentorship.objects.filter(mentee=viewer, status=MentorshipStatus.ACTIVE).select_related("mentor").first()


# --- The mentor's day -----------------------------------------------------------------------


def _next_meeting_subquery(now: datetime.datetime):
    """The next mentor meeting the mentor hosts with the mentee on the roster (one-off sessions)."""
    return Subquery(
        Occurrence.objects.filter(
            kind=SessionKind.MENTOR_MEETING,
            series__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gte=now,
            hosts=OuterRef("mentor_id"),
            people=OuterRef("mentee_id"),
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def mentees_for_mentor(*, viewer, now=None) -> QuerySet[Mentorship]:
    """The mentor's active mentorships with the last contact and the next meeting (fixed query count)."""
    now = now or timezone.now()
    return (
        Mentorship.objects.filter(mentor=viewer, status=MentorshipStatus.ACTIVE)
        .select_related("mentee")
        .annotate(last_contact=Max("contacts__happened_at"), next_meeting=_next_meeting_subquery(now))
        .order_by("started_at")
    )


def mentorship_for_viewer(*, viewer, mentorship_id: int) -> Mentorship:
    """For its mentor and its mentee; for staff of its program; for the mentor's supervisor. Else 404."""
    staff_programs = program_ids_where(viewer, *STAFF_ROLES)
    scope = Q(mentor=viewer) | Q(mentee=viewer) | Q(program_id__in=staff_programs)
    try:
        return Mentorship.objects.select_related("mentor", "mentee", "program").filter(scope).get(pk=mentorship_id)
    except (Mentorship.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contacts_for_mentorship(*, viewer, mentorship: Mentorship) -> QuerySet[ContactLog]:
    mentorship_for_viewer(viewer=viewer, mentorship_id=mentorship.pk)
    return ContactLog.objects.filter(mentorship=mentorship).order_by("-happened_at")


def shared_meetings(*, viewer, mentorship: Mentorship, now=None, days: int = 60) -> QuerySet[Occurrence]:
    """Mentor meetings of these two, a few weeks back and ahead."""
    mentorship_for_viewer(viewer=viewer, mentorship_id=mentorship.pk)
    now = now or timezone.now()
    return Occurrence.objects.filter(
        kind=SessionKind.MENTOR_MEETING,
        series__isnull=True,
        hosts=mentorship.mentor,
        people=mentorship.mentee,
        starts_at__gte=now - datetime.timedelta(days=days),
        starts_at__lte=now + datetime.timedelta(days=days),
    ).order_by("starts_at")


def history_for_viewer(*, viewer) -> QuerySet[Mentorship]:
    """Ended and declined mentorships the viewer took part in (history is kept)."""
    return (
        Mentorship.objects.filter(Q(mentor=viewer) | Q(mentee=viewer))
        .filter(status__in=[MentorshipStatus.ENDED, MentorshipStatus.DECLINED])
        .select_related("mentor", "mentee")
        .order_by("-proposed_at")
    )


# --- Supervision ----------------------------------------------------------------------------


@dataclass
class SupervisionRow:
    profile: MentorProfile
    caseload: int
    contacts_30d: int
    overdue: list
    worries_30d: int
    training_expires: datetime.date | None
    training_current: bool
    note: SupervisionNote | None = None
    previous_note: SupervisionNote | None = None


def supervision_for_viewer(*, viewer, now=None) -> list[SupervisionRow]:
    """Mentors the viewer supervises; a program admin sees every mentor of their programs."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=30)
    admin_programs = program_ids_where(viewer, Role.ADMIN)
    profiles = list(
        MentorProfile.objects.filter(Q(supervisor=viewer) | Q(program_id__in=admin_programs))
        .select_related("user", "supervisor")
        .annotate(
            training_expires=Max("trainings__expires_on"),
        )
        .order_by("user__display_name")
    )
    mentor_ids = [p.user_id for p in profiles]
    active = list(
        Mentorship.objects.filter(mentor_id__in=mentor_ids, status=MentorshipStatus.ACTIVE)
        .select_related("mentee")
        .annotate(last_contact=Max("contacts__happened_at"))
    )
    contacts = dict(
        ContactLog.objects.filter(mentorship__mentor_id__in=mentor_ids, happened_at__gte=since)
        .values_list("mentorship__mentor_id")
        .annotate(n=Count("pk"))
    )
    worries = dict(
        Worry.objects.filter(mentorship__mentor_id__in=mentor_ids, raised_at__gte=since)
        .values_list("mentorship__mentor_id")
        .annotate(n=Count("pk"))
    )
    # This month's and last month's notes: only the supervisor and the program's admins read them.
    month = month_start(timezone.localdate(now))
    previous = month_start(month - datetime.timedelta(days=1))
    notes = {
        (n.profile_id, n.month): n
        for n in supervision_notes_for_viewer(viewer=viewer, months=[month, previous]).filter(
            profile__in=[p.pk for p in profiles]
        )
    }
    overdue_before = now - datetime.timedelta(days=OVERDUE_DAYS)
    rows = []
    for profile in profiles:
        mine = [m for m in active if m.mentor_id == profile.user_id]
        late = [m for m in mine if (m.last_contact or m.started_at or now) < overdue_before]
        rows.append(
            SupervisionRow(
                profile=profile,
                caseload=len(mine),
                contacts_30d=contacts.get(profile.user_id, 0),
                overdue=late,
                worries_30d=worries.get(profile.user_id, 0),
                training_expires=profile.training_expires,
                training_current=bool(profile.training_expires and profile.training_expires >= now.date()),
                note=notes.get((profile.pk, month)),
                previous_note=notes.get((profile.pk, previous)),
            )
        )
    return rows


def profile_for_staff(*, viewer, profile_id: int) -> MentorProfile:
    programs = program_ids_where(viewer, *STAFF_ROLES)
    try:
        return MentorProfile.objects.select_related("user").get(pk=profile_id, program_id__in=programs)
    except (MentorProfile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Counts for program reports (reports sits above mentorship and asks through here) -----------


def contact_days_for_staff(*, viewer, program, people, since, until, tz) -> list[tuple[int, datetime.date, int]]:
    """(mentee id, local day, contacts) a mentor logged with ``people`` (a queryset of user ids) in
    the program between two instants; one grouped query. Staff of the program only (``viewer`` None
    is the reports' periodic job); an attempt that did not reach the person is not contact."""
    if viewer is not None and program.pk not in program_ids_where(viewer, *STAFF_ROLES):
        raise Http404
    return list(
        ContactLog.objects.filter(
            mentorship__mentee__in=people,
            mentorship__program=program,
            happened_at__gte=since,
            happened_at__lt=until,
        )
        .exclude(how_it_went="no_answer")
        .annotate(day=TruncDate("happened_at", tzinfo=tz))
        .values("mentorship__mentee_id", "day")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("mentorship__mentee_id", "day", "n")
    )


def _supervised_q(viewer, prefix: str = "") -> Q:
    """Mentor profiles the viewer supervises, or of programs they administer."""
    admin_programs = program_ids_where(viewer, Role.ADMIN)
    return Q(**{f"{prefix}supervisor": viewer}) | Q(**{f"{prefix}program_id__in": admin_programs})


def supervision_notes_for_viewer(*, viewer, months) -> QuerySet[SupervisionNote]:
    """Supervision notes of the given months on mentors the viewer supervises (or administers)."""
    if not viewer.is_authenticated:
        return SupervisionNote.objects.none()
    return SupervisionNote.objects.filter(_supervised_q(viewer, "profile__"), month__in=list(months)).select_related(
        "written_by"
    )


def profile_for_supervisor(*, viewer, profile_id: int) -> MentorProfile:
    """A mentor profile the viewer supervises or administers, else 404 (another clinician of the
    program does not read supervision notes)."""
    try:
        return (
            MentorProfile.objects.select_related("user", "supervisor").filter(_supervised_q(viewer)).get(pk=profile_id)
        )
    except (MentorProfile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- What a mentee shares with their mentor (consent) ---------------------------------------


def shared_with_mentor(*, viewer, mentorship: Mentorship) -> list[str]:
    """The categories the mentee consents, now, to show this mentor (the viewer): consent_allows
    decides on each page; this only says which links to offer. One query."""
    if viewer.pk != mentorship.mentor_id or mentorship.status != MentorshipStatus.ACTIVE:
        return []
    shared: set[str] = set()
    for categories in (
        consents_received(viewer=viewer)
        .filter(participant_id=mentorship.mentee_id, program_id=mentorship.program_id)
        .values_list("categories", flat=True)
    ):
        shared.update(categories)
    return sorted(shared)


def mentor_consents_for_mentee(*, viewer, mentorship: Mentorship) -> QuerySet[Consent]:
    """The mentee's consents in force that name their mentor (what the mentor may see now)."""
    if viewer.pk != mentorship.mentee_id:
        return Consent.objects.none()
    return Consent.objects.filter(
        participant=viewer,
        recipient_user_id=mentorship.mentor_id,
        program_id=mentorship.program_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
