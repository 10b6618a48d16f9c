"""Reads of intake packets, scoped to the viewer: the person themself, or their care team."""

from django.db.models import QuerySet
from django.http import Http404

from hearth.programs.models import STAFF_ROLES, Membership, Role
from hearth.programs.selectors import program_ids_where

from .models import IntakePacket


def packets_for_owner(*, viewer) -> QuerySet[IntakePacket]:
    return IntakePacket.objects.filter(person=viewer).select_related("program")


def packet_for_owner(*, viewer, packet_id: int) -> IntakePacket:
    try:
        return packets_for_owner(viewer=viewer).get(pk=packet_id)
    except (IntakePacket.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def packets_for_care_team(*, viewer) -> QuerySet[IntakePacket]:
    """Packets of participants in programs the viewer staffs (the packet's own program only)."""
    program_ids = program_ids_where(viewer, *STAFF_ROLES)
    participants = Membership.objects.filter(
        program_id__in=program_ids, role=Role.PARTICIPANT, ended_at__isnull=True
    ).values("user_id")
    return (
        IntakePacket.objects.filter(program_id__in=program_ids, person_id__in=participants)
        .select_related("person", "program", "reviewed_by")
        .order_by("status", "-submitted_at", "-created_at")
    )


def packet_for_care_team(*, viewer, packet_id: int) -> IntakePacket:
    try:
        return packets_for_care_team(viewer=viewer).get(pk=packet_id)
    except (IntakePacket.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def participant_programs_of(*, viewer):
    from hearth.programs.models import Program

    return Program.objects.filter(pk__in=program_ids_where(viewer, Role.PARTICIPANT)).order_by("name")
