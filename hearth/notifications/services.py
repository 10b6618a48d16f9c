"""``notify`` is the one way any part of Hearth tells a person something."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone, translation

from .kinds import title_for
from .models import Notification


def user_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def notify(*, recipient, kind: str, url: str = "", urgent: bool = False) -> Notification:
    """Store an in-app notification in the recipient's language and push the new unread count."""
    with translation.override(recipient.language or "en"):
        title = title_for(kind)
    notification = Notification.objects.create(recipient=recipient, kind=kind, title=title, url=url, urgent=urgent)
    transaction.on_commit(lambda: publish_unread_count(recipient.pk))
    return notification


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def publish_unread_count(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        user_group(user_id), {"type": "notification.unread", "count": unread_count(user_id)}
    )


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (all, or the given ids)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = unread.update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: publish_unread_count(actor.pk))
    return count
