import datetime

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


def _checkin_still_needed(reminder) -> bool:
    """The daily check-in reminder is sent only if the person has not checked in that local day."""
    from hearth.checkins.selectors import own_checkin_for_day

    try:
        day = datetime.date.fromisoformat(reminder.slot)
    except ValueError:
        return True
    return own_checkin_for_day(viewer=reminder.person, day=day) is None


class NotificationsConfig(AppConfig):
    name = "hearth.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        if apps.is_installed("hearth.checkins"):
            from .services import reminder_check_register

            reminder_check_register("checkins.reminder", _checkin_still_needed)
