"""Every kind of notification, its wording and its group. Wording is generic on purpose: a
notification can be seen on a lock screen or by someone else in the room, so it never carries
clinical content. People choose channels per *group* of kinds (preferences page)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "system.welcome": _("Welcome to Hearth"),
    "consent.granted": _("Someone shared information with you in Hearth"),
    "safety.signal": _("A person in your care may need support now. Open Hearth to see who."),
    "safety.escalation": _("A safety alert in your program has not been answered yet. Open Hearth now."),
    "safety.plan_review": _("A safety plan is ready for your review in Hearth"),
    "messaging.message": _("You have a new message in Hearth"),
    "scheduling.reminder": _("You have a session coming up in Hearth"),
    "scheduling.changed": _("A session on your calendar changed in Hearth"),
    "checkins.reminder": _("Time for your daily check-in in Hearth"),
    "outreach.task": _("You have a new outreach task in Hearth"),
    "community.moderation": _(
        "A moderator reviewed something in your Hearth community groups. Open Hearth to see why."
    ),
    "community.group": _("There is news about a group you asked to join in Hearth"),
    "community.mention": _("Someone mentioned you in a Hearth community group"),
    "community.activity": _("There are new posts in a Hearth community group you follow"),
    "community.proposal": _("A social event idea is waiting for review in Hearth"),
    "community.digest": _("Your weekly Hearth community summary: there are new posts in your groups"),
    "community.proposal_decided": _("There is news about a social event you proposed in Hearth"),
    "community.alumni": _("There is news about your community access in Hearth"),
    "mentorship.news": _("There is news about your peer mentorship in Hearth"),
    "toolkit.homework": _("Your care team gave you something to do in Hearth"),
    "toolkit.homework_reminder": _("A gentle reminder: something from your care team is waiting in Hearth"),
    "intake.sent": _("You have forms to fill in, in Hearth"),
}

GROUPS = {
    "safety": _("Safety alerts about people in your care"),
    "messages": _("New messages"),
    "sessions": _("Session reminders and changes"),
    "checkins": _("Daily check-in reminder"),
    "account": _("Your account and sharing"),
    "work": _("Staff tasks"),
    "homework": _("Homework from your care team"),
}

KIND_GROUP = {
    "system.welcome": "account",
    "consent.granted": "account",
    "safety.signal": "safety",
    "safety.escalation": "safety",
    "safety.plan_review": "safety",
    "messaging.message": "messages",
    "scheduling.reminder": "sessions",
    "scheduling.changed": "sessions",
    "checkins.reminder": "checkins",
    "outreach.task": "work",
    "community.moderation": "messages",
    "community.group": "messages",
    "community.mention": "messages",
    "community.activity": "messages",
    "community.proposal": "work",
    "community.digest": "messages",
    "community.proposal_decided": "messages",
    "community.alumni": "account",
    "mentorship.news": "messages",
    "toolkit.homework": "homework",
    "toolkit.homework_reminder": "homework",
    "intake.sent": "account",
}

# Channel defaults when a person has not chosen (no ChannelPreference row). In-app is always on:
# the list in Hearth is the record every other channel points back to.
DEFAULT_CHANNELS = {"email": True, "sms": False, "push": True}


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: add it to notifications.kinds.KINDS")


def title_for(kind: str) -> str:
    check_kind(kind)
    return str(KINDS[kind])


def group_for(kind: str) -> str:
    check_kind(kind)
    return KIND_GROUP[kind]
