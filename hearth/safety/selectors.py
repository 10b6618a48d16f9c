import json

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hearth.consent.models import Category
from hearth.consent.selectors import consent_allows
from hearth.programs.models import STAFF_ROLES, Membership, Role
from hearth.programs.selectors import (
    care_program_ids,
    is_care_team_of,
    participants_for_viewer,
    primary_clinicians_of,
    program_ids_where,
)

from .models import ALERTING_SEVERITIES, SafetyPlanVersion, SafetySignal, Severity, SignalEvent
from .phones import phone_href

User = get_user_model()


def _signals_for_viewer(viewer) -> QuerySet[SafetySignal]:
    """Signals of the programs where the viewer is staff, about people they care for there: the
    care team is per program, so a person's program-B signal is not program A's to see."""
    programs = program_ids_where(viewer, *STAFF_ROLES)
    # The person still takes part in the signal's own program (checked per signal: open signals are few).
    in_care = Membership.objects.filter(
        program_id=OuterRef("program_id"), user_id=OuterRef("person_id"), role=Role.PARTICIPANT, ended_at__isnull=True
    )
    return SafetySignal.objects.filter(
        Q(program_id__in=programs) & Q(Exists(in_care))
        # Null: raised while the person took part in no program; their care team anywhere sees it.
        | Q(program__isnull=True, person__in=participants_for_viewer(viewer=viewer))
    )


def open_signals_for_viewer(*, viewer) -> QuerySet[SafetySignal]:
    """Unacknowledged signals about people in the viewer's care, most urgent and newest first."""
    return (
        _signals_for_viewer(viewer)
        .filter(acknowledged_at__isnull=True, severity__in=ALERTING_SEVERITIES)
        .select_related("person")
        .order_by("severity", "-raised_at")
    )


def signals_about_person(*, viewer, person) -> QuerySet[SafetySignal]:
    programs = care_program_ids(viewer, person)
    if not programs:
        raise Http404
    return SafetySignal.objects.filter(Q(program_id__in=programs) | Q(program__isnull=True), person=person).order_by(
        "-raised_at"
    )


def signal_for_viewer(*, viewer, signal_id: int) -> SafetySignal:
    try:
        signal = SafetySignal.objects.select_related("person").get(
            pk=signal_id, person__in=participants_for_viewer(viewer=viewer)
        )
    except (SafetySignal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if signal.program_id is not None and signal.program_id not in care_program_ids(viewer, signal.person):
        raise Http404
    return signal


def signal_events_for_viewer(*, viewer, signal: SafetySignal) -> QuerySet[SignalEvent]:
    """The signal's timeline; ``signal`` must come from ``signal_for_viewer``."""
    signal_for_viewer(viewer=viewer, signal_id=signal.pk)
    return SignalEvent.objects.filter(signal=signal).select_related("actor").order_by("at", "pk")


def safety_plan_for_viewer(*, viewer, person) -> SafetyPlanVersion | None:
    """The newest version of the person's plan, for the person, their care team or someone they
    consented to share it with; 404 for anyone else. None when there is no plan yet."""
    if not consent_allows(viewer=viewer, subject=person, category=Category.SAFETY_PLAN):
        raise Http404
    return (
        SafetyPlanVersion.objects.filter(plan__person=person)
        .select_related("reviewed_by", "saved_by")
        .order_by("-number")
        .first()
    )


def person_for_plan_viewer(*, viewer, person_id: int):
    """The participant whose plan the viewer may read, or 404."""
    try:
        person = User.objects.get(pk=person_id, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not Membership.objects.filter(user=person, role=Role.PARTICIPANT, ended_at__isnull=True).exists():
        raise Http404
    if not consent_allows(viewer=viewer, subject=person, category=Category.SAFETY_PLAN):
        raise Http404
    return person


def own_safety_plan(*, viewer) -> SafetyPlanVersion | None:
    """The viewer's own current plan (for the crisis page and panel), or None."""
    if not viewer.is_authenticated:
        return None
    return SafetyPlanVersion.objects.filter(plan__person=viewer).order_by("-number").first()


def plan_contacts(version: SafetyPlanVersion | None) -> list[dict]:
    if version is None or not version.contacts:
        return []
    try:
        people = json.loads(version.contacts)
    except ValueError:
        return []
    return [{**p, "href": phone_href(p.get("phone", ""))} for p in people if isinstance(p, dict)]


def plan_needs_clinician(*, viewer, person) -> str:
    """What the care team should do about the person's plan after an urgent signal: "make",
    "review" or "" (nothing)."""
    if not is_care_team_of(viewer, person):
        return ""
    latest = SafetyPlanVersion.objects.filter(plan__person=person).order_by("-number").first()
    if latest is None:
        return "make"
    last_urgent = (
        SafetySignal.objects.filter(person=person, severity=Severity.URGENT)
        .order_by("-raised_at")
        .values_list("raised_at", flat=True)
        .first()
    )
    if latest.reviewed_at is None or (last_urgent and latest.reviewed_at < last_urgent):
        return "review"
    return ""


PLAN_SECTIONS = (
    ("warning_signs", _("1. Warning signs")),
    ("coping_strategies", _("2. Things I can do on my own")),
    ("distractions", _("3. People and places that take my mind off things")),
)
PLAN_SECTIONS_AFTER_CONTACTS = (("environment", _("6. Making my surroundings safer")),)


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def plan_for_display(*, version: SafetyPlanVersion, person) -> dict:
    """The plan as the page shows it: each section's lines, contacts with links, and who to call."""
    return {
        "version": version,
        "reasons": _lines(version.reasons_for_living),
        "sections": [
            {"id": key, "title": title, "lines": _lines(getattr(version, key))} for key, title in PLAN_SECTIONS
        ],
        "contacts": plan_contacts(version),
        "professionals": _lines(version.professionals),
        "clinicians": [c.display_name for c in primary_clinicians_of(person=person)],
        "after": [
            {"id": key, "title": title, "lines": _lines(getattr(version, key))}
            for key, title in PLAN_SECTIONS_AFTER_CONTACTS
        ],
    }
