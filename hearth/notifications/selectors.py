from django.db.models import Exists, OuterRef, QuerySet

from hearth.programs.models import Membership, Role
from hearth.programs.selectors import program_ids_where

from .models import Delivery, Notification, PushSubscription


def notifications_for_recipient(*, viewer) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=viewer)


def push_subscriptions_for_person(*, viewer) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(person=viewer).order_by("-created_at")


def deliveries_for_program_admin(*, viewer, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries to people in the programs the viewer administers, newest first. Rows carry the
    kind, channel, status and provider error, never content."""
    program_ids = program_ids_where(viewer, Role.ADMIN)
    in_program = Membership.objects.filter(
        user=OuterRef("notification__recipient_id"), program_id__in=program_ids, ended_at__isnull=True
    )
    deliveries = (
        Delivery.objects.filter(Exists(in_program))
        .select_related("notification__recipient")
        .order_by("-created_at", "-pk")
    )
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries
