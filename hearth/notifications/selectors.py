from django.db.models import QuerySet

from .models import Notification


def notifications_for_recipient(*, viewer) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=viewer)
