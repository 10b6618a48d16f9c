from django.db.models import Exists, OuterRef, Q, QuerySet

from hearth.programs.models import Membership, Role
from hearth.programs.selectors import program_ids_where

from .models import AuditEntry


def disclosures_for_subject(*, viewer) -> QuerySet[AuditEntry]:
    """Who else looked at or changed the viewer's record ("accounting of disclosures")."""
    return (
        AuditEntry.objects.filter(subject=viewer)
        .exclude(actor=viewer)
        .exclude(actor__isnull=True)
        .select_related("actor")
    )


def audit_entries_for_admin(
    *,
    viewer,
    action_prefix: str = "",
    subject_id: int | None = None,
    actor_id: int | None = None,
    since=None,
    until=None,
) -> QuerySet[AuditEntry]:
    """Entries about, or by, people of the programs the viewer administers."""
    program_ids = program_ids_where(viewer, Role.ADMIN)
    in_programs_subject = Membership.objects.filter(user=OuterRef("subject_id"), program_id__in=program_ids)
    in_programs_actor = Membership.objects.filter(user=OuterRef("actor_id"), program_id__in=program_ids)
    entries = AuditEntry.objects.filter(Q(Exists(in_programs_subject)) | Q(Exists(in_programs_actor)))
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    if subject_id is not None:
        entries = entries.filter(subject_id=subject_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.select_related("actor", "subject")
