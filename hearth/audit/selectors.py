from django.db.models import QuerySet

from .models import AuditEntry


def disclosures_for_subject(*, viewer) -> QuerySet[AuditEntry]:
    """Who else looked at or changed the viewer's record ("accounting of disclosures")."""
    return (
        AuditEntry.objects.filter(subject=viewer)
        .exclude(actor=viewer)
        .exclude(actor__isnull=True)
        .select_related("actor")
    )
