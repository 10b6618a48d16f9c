"""The one answer to "may this viewer see this kind of information about this person now?"."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hearth.programs.selectors import is_care_team_of

from .models import Consent


def consent_allows(*, viewer, subject, category: str, at=None) -> bool:
    """True for the person themself and their care team; for anyone else only under a consent
    in force that names the viewer and the category."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == subject.pk or is_care_team_of(viewer, subject):
        return True
    at = at or timezone.now()
    for categories in Consent.objects.filter(
        participant=subject, recipient_user=viewer, revoked_at__isnull=True, expires_at__gt=at
    ).values_list("categories", flat=True):
        if category in categories:
            return True
    return False


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
