"""Demo notifications: every participant has been welcomed."""

from .models import Notification
from .services import notify


def seed(people) -> None:
    for person in people.participants.values():
        if not Notification.objects.filter(recipient=person, kind="system.welcome").exists():
            notify(recipient=person, kind="system.welcome", url="/profile/")
