"""Every kind of notification and its wording. Wording is generic on purpose: a notification can
be seen on a lock screen or by someone else in the room, so it never carries clinical content."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "system.welcome": _("Welcome to Hearth"),
    "consent.granted": _("Someone shared information with you in Hearth"),
    "safety.signal": _("A person in your care may need support now. Open Hearth to see who."),
    "messaging.message": _("You have a new message in Hearth"),
    "scheduling.reminder": _("You have a session coming up in Hearth"),
    "checkins.reminder": _("Time for your daily check-in in Hearth"),
    "outreach.task": _("You have a new outreach task in Hearth"),
}


def title_for(kind: str) -> str:
    try:
        return str(KINDS[kind])
    except KeyError:
        raise ValueError(f"Unknown notification kind {kind!r}: add it to notifications.kinds.KINDS") from None
