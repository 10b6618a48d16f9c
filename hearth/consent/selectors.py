"""The one answer to "may this viewer see this kind of information about this person now?"."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hearth.programs.selectors import care_program_ids, is_care_team_of

from .models import Consent


def consent_program_ids(*, viewer, subject, category: str, at=None) -> set[int] | None:
    """The programs whose information of ``category`` about ``subject`` the viewer may see now:
    None for the person themself (all of it); the programs where the viewer is on the subject's
    care team; and the programs of consents in force that name the viewer and the category (a
    consent is given to one program's records, never to the person's other programs)."""
    if not viewer.is_authenticated or subject is None:
        return set()
    if viewer.pk == subject.pk:
        return None
    programs = care_program_ids(viewer, subject)
    at = at or timezone.now()
    for program_id, categories in Consent.objects.filter(
        participant=subject, recipient_user=viewer, revoked_at__isnull=True, expires_at__gt=at
    ).values_list("program_id", "categories"):
        if category in categories:
            programs.add(program_id)
    return programs


def consent_allows(*, viewer, subject, category: str, program=None, at=None) -> bool:
    """True for the person themself and their care team; for anyone else only under a consent
    in force that names the viewer and the category. With ``program`` (information that belongs
    to one program: a session, a task, a conversation), only the care team of that program or a
    consent given to that program."""
    programs = consent_program_ids(viewer=viewer, subject=subject, category=category, at=at)
    if programs is None:
        return True
    if program is None:
        return bool(programs)
    return getattr(program, "pk", program) in programs


def discloses_outside_care_team(*, viewer, subject) -> bool:
    """Showing ``subject``'s information to ``viewer`` is a disclosure under a consent (family, partner):
    the page then carries the 42 CFR § 2.32 notice (``_part2_notice.html``)."""
    return viewer.pk != subject.pk and not is_care_team_of(viewer, subject)


def consents_for_participant(*, viewer) -> QuerySet[Consent]:
    return Consent.objects.filter(participant=viewer).select_related("recipient_user", "program")


def consent_for_participant(*, viewer, consent_id: int) -> Consent:
    try:
        return consents_for_participant(viewer=viewer).get(pk=consent_id)
    except (Consent.DoesNotExist, ValueError):
        raise Http404 from None


def consents_received(*, viewer) -> QuerySet[Consent]:
    """Consents in force that name the viewer as recipient (what a family member may see)."""
    return Consent.objects.filter(
        recipient_user=viewer, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("participant")


def consents_for_subject_for_staff(*, viewer, person) -> QuerySet[Consent]:
    """The care team sees which disclosures a participant has consented to."""
    if not is_care_team_of(viewer, person):
        raise Http404
    return Consent.objects.filter(participant=person).select_related("recipient_user")
