import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "hearth.checkins"
    label = "checkins"
    verbose_name = _("Check-ins and measures")

    def ready(self):
        from hearth.notifications.reminders import CHECKIN_REMINDER_KIND, reminder_kind_register

        reminder_kind_register(CHECKIN_REMINDER_KIND, still_due=_checkins_still_needed)


def _checkins_still_needed(reminders) -> set[int]:
    """The daily check-in reminder is sent only if the person has not checked in that local day."""
    from .selectors import own_checkin_for_day

    due = set()
    for reminder in reminders:
        try:
            day = datetime.date.fromisoformat(reminder.slot)
        except ValueError:
            due.add(reminder.pk)
            continue
        if own_checkin_for_day(viewer=reminder.person, day=day) is None:
            due.add(reminder.pk)
    return due
