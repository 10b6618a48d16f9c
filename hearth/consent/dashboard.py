"""Home dashboard sections about sharing: what a family member receives, what a participant shares."""

from hearth.programs.permissions import is_family, is_participant

from .selectors import consents_for_participant, consents_received


def family_section(request) -> dict | None:
    if not is_family(request.user):
        return None
    received = list(consents_received(viewer=request.user))
    return {
        "template": "consent/dashboard_family.html",
        "received": received,
        "shown_people": [c.participant_id for c in received],
    }


def participant_section(request) -> dict | None:
    if not is_participant(request.user):
        return None
    consents = consents_for_participant(viewer=request.user).filter(revoked_at__isnull=True)
    return {"template": "consent/dashboard_participant.html", "consents": list(consents[:5])}
