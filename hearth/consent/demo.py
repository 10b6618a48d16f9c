"""Demo consents: each relative can see what their participant chose to share."""

import datetime

from django.utils import timezone

from hearth.accounts.demo import FAMILY

from .models import Category, Consent, RecipientKind
from .services import consent_grant

# family key -> (recipient kind, categories)
SHARING = {
    "chris": (RecipientKind.PARTNER, [Category.ATTENDANCE, Category.PROGRESS, Category.MESSAGING]),
    "elena": (RecipientKind.FAMILY, [Category.ATTENDANCE, Category.MESSAGING]),
    "pat": (RecipientKind.FAMILY, [Category.SCHEDULE, Category.CHECKINS]),
}


def seed(people) -> None:
    for key, _legal, _display, participant_key in FAMILY:
        kind, categories = SHARING[key]
        relative, participant = people.family[key], people.participants[participant_key]
        if Consent.objects.filter(recipient_user=relative, participant=participant).exists():
            continue
        consent_grant(
            actor=participant,
            program=people.program,
            recipient_kind=kind,
            recipient_user=relative,
            recipient_name=relative.display_name,
            categories=list(categories),
            purpose="To support my recovery at home",
            expires_at=timezone.now() + datetime.timedelta(days=180),
            signature=participant.clinical_identity.legal_name,
        )
