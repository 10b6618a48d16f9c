"""Reads for family members and partners, each scoped by the viewer through consent."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.checkins.selectors import checkins_for_viewer, measures_for_viewer, streak_for
from hearth.consent.models import Category, Consent
from hearth.consent.selectors import consent_allows, consents_received
from hearth.plans.selectors import weekly_target_for_attendance
from hearth.programs.models import STAFF_ROLES
from hearth.programs.selectors import is_care_team_of, program_ids_where
from hearth.scheduling.models import SessionKind
from hearth.scheduling.selectors import (
    attendance_for_person,
    local_week_bounds,
    monday_of,
    schedule_shared_with_viewer,
    upcoming_for_viewer,
    weekly_target_minutes,
)

from .models import (
    CaringNote,
    ContractAgreement,
    ContractDay,
    CourseProgress,
    ProgressSummary,
    SessionTopic,
    SharedActivity,
)

User = get_user_model()

# The portal's sections, in the order shown, and the consent category each one needs.
SECTIONS = [
    ("schedule", Category.SCHEDULE, _("Schedule")),
    ("attendance", Category.ATTENDANCE, _("Attendance")),
    ("progress", Category.PROGRESS, _("Progress")),
    ("checkins", Category.CHECKINS, _("Check-ins")),
    ("measures", Category.MEASURES, _("Questionnaires")),
]
SECTION_CATEGORIES = {slug: category for slug, category, _label in SECTIONS}


def local_today(person, now: datetime.datetime | None = None) -> datetime.date:
    try:
        tz = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return (now or timezone.now()).astimezone(tz).date()


@dataclass
class SharedPerson:
    person: object
    sections: list = field(default_factory=list)  # (slug, label) the viewer may open
    couples: bool = False
    attendance: dict | None = None  # this week against target, when attendance is shared


def shared_with_viewer(*, viewer) -> list[SharedPerson]:
    """The people who share something with the viewer now, with the portal sections it opens."""
    people: dict[int, SharedPerson] = {}
    for consent in consents_received(viewer=viewer).order_by("participant__display_name", "pk"):
        entry = people.setdefault(consent.participant_id, SharedPerson(person=consent.participant))
        for slug, category, label in SECTIONS:
            if category in consent.categories and (slug, label) not in entry.sections:
                entry.sections.append((slug, label))
        entry.couples = entry.couples or Category.COUPLES_CONTRACT in consent.categories
    for entry in people.values():
        entry.sections.sort(key=lambda s: [slug for slug, _c, _l in SECTIONS].index(s[0]))
    return list(people.values())


def portal_person_for_viewer(*, viewer, person_id) -> tuple[object, list[str]]:
    """The participant and the portal sections the viewer may see about them now; 404 when none
    (whether the person exists or not)."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    sections = [
        slug for slug, category, _l in SECTIONS if consent_allows(viewer=viewer, subject=person, category=category)
    ]
    if not sections:
        raise Http404
    return person, sections


def schedule_section(*, viewer, person, now=None) -> dict:
    now = now or timezone.now()
    shared = list(
        schedule_shared_with_viewer(viewer=viewer, person=person, start=now, end=now + datetime.timedelta(days=14))
        .select_related("program")
        .order_by("starts_at", "pk")[:20]
    )
    # Family sessions the viewer is invited to themself (their own roster, not a disclosure).
    own_family = [
        o
        for o in upcoming_for_viewer(viewer=viewer, limit=10)
        if o.kind in (SessionKind.FAMILY_SESSION, SessionKind.COUPLES_SESSION)
    ]
    seen = {o.pk for o in shared}
    return {"sessions": shared, "family_sessions": [o for o in own_family if o.pk not in seen]}


def attendance_section(*, viewer, person, today=None) -> dict:
    today = today or local_today(person)
    week_start = monday_of(today)
    start, end = local_week_bounds(week_start, person.time_zone)
    records = attendance_for_person(viewer=viewer, person=person).filter(
        occurrence__starts_at__gte=start, occurrence__starts_at__lt=end
    )
    minutes = records.aggregate(total=Sum("minutes"))["total"] or 0
    # The treatment plan's weekly target where it sets one; otherwise the ASAM 2.1 floor, where the
    # age only picks the floor (adolescents 6 h, adults 9 h) and the date itself is never shown.
    planned = weekly_target_for_attendance(viewer=viewer, person=person)
    if planned:
        target = planned
    else:
        identity = getattr(person, "clinical_identity", None)
        target = weekly_target_minutes(born=getattr(identity, "date_of_birth", None), on=week_start)
    return {
        "from_plan": bool(planned),
        "week_start": week_start,
        "hours": round(minutes / 60, 1),
        "target_hours": round(target / 60, 1),
        "sessions": records.filter(minutes__gt=0).count(),
        "percent": min(100, round(100 * minutes / target)) if target else 0,
    }


def progress_section(*, viewer, person) -> dict:
    if not consent_allows(viewer=viewer, subject=person, category=Category.PROGRESS):
        raise Http404
    summary = ProgressSummary.objects.filter(participant=person).first()
    # Only the days checked in count towards the streak; no answer is read here.
    return {"summary": summary, "streak": streak_for(person=person, today=local_today(person))}


def checkins_section(*, viewer, person) -> dict:
    recent = list(checkins_for_viewer(viewer=viewer, person=person)[:7])
    return {
        "recent": recent,
        "streak": streak_for(person=person, today=local_today(person), days=[c.local_date for c in recent]),
    }


def measures_section(*, viewer, person) -> dict:
    latest = {}
    for response in measures_for_viewer(viewer=viewer, person=person)[:50]:
        latest.setdefault(response.measure, response)
    return {"latest": list(latest.values())}


def own_progress_summary(*, viewer) -> ProgressSummary | None:
    return ProgressSummary.objects.filter(participant=viewer).first()


def course_done_for(*, viewer) -> set[str]:
    return set(CourseProgress.objects.filter(person=viewer).values_list("module", flat=True))


# --- Couples contract ---------------------------------------------------------------------------


@dataclass
class Couple:
    participant: object
    partner: object
    program: object


def _couples_consents():
    return Consent.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).select_related(
        "participant", "recipient_user", "program"
    )


def couples_for_viewer(*, viewer) -> list[Couple]:
    """The couples the viewer is one of, under a couples-contract consent in force."""
    if not viewer.is_authenticated:
        return []
    found = []
    for consent in _couples_consents().filter(participant=viewer) | _couples_consents().filter(recipient_user=viewer):
        if Category.COUPLES_CONTRACT in consent.categories and consent.recipient_user_id:
            found.append(Couple(consent.participant, consent.recipient_user, consent.program))
    return found


def couple_for_viewer(*, viewer, participant_id) -> tuple[Couple, bool]:
    """The couple of a participant, for one of the two (who may write) or the care team of the
    contract's program (who reads); (couple, may_write). Anyone else: 404."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        participant_id = int(participant_id)
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    for couple in couples_for_viewer(viewer=viewer):
        if couple.participant.pk == participant_id:
            return couple, True
    for consent in _couples_consents().filter(participant_id=participant_id):
        if Category.COUPLES_CONTRACT in consent.categories and consent.recipient_user_id:
            if is_care_team_of(viewer, consent.participant, program_id=consent.program_id):
                return Couple(consent.participant, consent.recipient_user, consent.program), False
    raise Http404


@dataclass
class CalendarCell:
    day: datetime.date
    entry: ContractDay | None
    is_today: bool


def contract_calendar(*, couple: Couple, today: datetime.date | None = None, days: int = 28) -> dict:
    """The last four weeks, oldest first; a day with nothing recorded is simply open (neutral)."""
    today = today or local_today(couple.participant)
    first = today - datetime.timedelta(days=days - 1)
    entries = {
        d.day: d for d in ContractDay.objects.filter(participant=couple.participant, day__gte=first, day__lte=today)
    }
    cells = [
        CalendarCell(
            day=first + datetime.timedelta(days=i),
            entry=entries.get(first + datetime.timedelta(days=i)),
            is_today=i == days - 1,
        )
        for i in range(days)
    ]
    stated = sum(1 for c in cells if c.entry)
    return {
        "cells": cells,
        "today": today,
        "today_entry": entries.get(today),
        "stated": stated,
        "acknowledged": sum(1 for c in cells if c.entry and c.entry.acknowledged_at),
        "days": days,
        "percent": round(100 * stated / days),
    }


def contract_days_for_staff(*, viewer, program, people, since, until, tz) -> list[tuple[int, datetime.date, int]]:
    """(participant id, day, 1) for each day a couple stated their daily recovery contract, for
    ``people`` (a queryset of user ids) in the program between two instants: a day of contact with
    the partner, for the isolation radar. Staff of the program only (``viewer`` None is the
    reports' periodic job). The contract's day is already the couple's own local day."""
    if viewer is not None and program.pk not in program_ids_where(viewer, *STAFF_ROLES):
        raise Http404
    first, last = since.astimezone(tz).date(), (until.astimezone(tz) - datetime.timedelta(microseconds=1)).date()
    return list(
        ContractDay.objects.filter(participant__in=people, program=program, day__gte=first, day__lte=last)
        .values("participant_id", "day")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("participant_id", "day", "n")
    )


def caring_notes_for(*, couple: Couple, limit: int = 20):
    return list(CaringNote.objects.filter(participant=couple.participant).select_related("author")[:limit])


def session_topics_for(*, viewer, couple: Couple, limit: int = 20):
    """The clinician reads every topic; each partner reads what they noted themself."""
    topics = SessionTopic.objects.filter(participant=couple.participant).select_related("author")
    if viewer.pk in (couple.participant.pk, couple.partner.pk):
        topics = topics.filter(author=viewer)
    return list(topics[:limit])


def contract_agreement_open(*, couple: Couple) -> ContractAgreement | None:
    """The couple's current term (agreed by one, both, or waiting), or None when there is none."""
    return ContractAgreement.objects.filter(
        participant=couple.participant, partner=couple.partner, stopped_at__isnull=True
    ).first()


def contract_agreement_history(*, couple: Couple, limit: int = 10) -> list[ContractAgreement]:
    """Every term, newest first: who agreed when, who stopped when."""
    return list(
        ContractAgreement.objects.filter(participant=couple.participant, partner=couple.partner).select_related(
            "stopped_by"
        )[:limit]
    )


def activity_weeks(*, couple: Couple, today: datetime.date | None = None, past_weeks: int = 3) -> list[dict]:
    """This week, next week (where plans are made), then the last few weeks, newest first, each with its
    activities; one query whatever the number of activities."""
    today = today or local_today(couple.participant)
    this_week = monday_of(today)
    starts = [this_week, this_week + datetime.timedelta(weeks=1)] + [
        this_week - datetime.timedelta(weeks=n) for n in range(1, past_weeks + 1)
    ]
    by_week: dict[datetime.date, list[SharedActivity]] = {start: [] for start in starts}
    for activity in SharedActivity.objects.filter(
        participant=couple.participant, partner=couple.partner, week_start__in=starts
    ).select_related("proposed_by", "marked_by"):
        by_week[activity.week_start].append(activity)
    return [
        {
            "start": start,
            "end": start + datetime.timedelta(days=6),
            "activities": by_week[start],
            "is_current": start == this_week,
            "is_next": start > this_week,
            "may_plan": start >= this_week,
        }
        for start in starts
    ]
