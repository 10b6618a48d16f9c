"""A participant's first day on the dashboard: next steps through profile, intake, the first
check-in, the next session (one tap to join once its room opens) and how to reach the care team.

Each step is done by what the person did (a packet sent, a check-in saved) or by putting it away;
put-away steps are stored per person (services.next_step_dismiss) and stay hidden."""

import zoneinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.checkins.selectors import checkins_for_viewer
from hearth.intake.models import PacketStatus
from hearth.intake.selectors import packets_for_owner
from hearth.programs.permissions import is_participant
from hearth.scheduling.selectors import upcoming_for_viewer
from hearth.video.selectors import room_window

from .models import DismissedStep

# The steps a person may put away, in the order they are offered. The next session is not one:
# it changes every week and is the reason to come back.
STEPS = ("profile", "intake", "checkin", "care_team", "family")


def dismissed_steps_of(person) -> set[str]:
    return set(DismissedStep.objects.filter(person=person).values_list("step", flat=True))


def first_day_section(request) -> dict | None:
    person = request.user
    if not is_participant(person):
        return None
    hidden = dismissed_steps_of(person)
    packets = list(packets_for_owner(viewer=person))
    sent = any(p.status != PacketStatus.OPEN for p in packets)
    started = next((p for p in packets if p.status == PacketStatus.OPEN), None)
    checked_in = checkins_for_viewer(viewer=person, person=person).exists()
    steps = [
        {
            "key": "profile",
            "title": _("Check your profile and the name peers see"),
            "text": _("Peers see your display name, never your legal name. Add pronouns if you like."),
            "url": reverse("profile"),
            "action": _("Open my profile"),
            "done": False,
        },
        {
            "key": "intake",
            "title": _("Fill in your intake forms"),
            "text": _("About twenty minutes: a few questionnaires, your emergency contact and the program's consents."),
            "url": reverse("intake:packet", args=[started.pk]) if started else reverse("intake:home"),
            "action": _("Continue my intake") if started else _("Start my intake"),
            "done": sent,
        },
        {
            "key": "checkin",
            "title": _("Do your first daily check-in"),
            "text": _("Two minutes: mood, craving, sleep. Your care team sees how your week goes."),
            "url": reverse("checkins:checkin"),
            "action": _("Check in now"),
            "done": checked_in,
        },
        {
            "key": "care_team",
            "title": _("How to reach your care team"),
            "text": _(
                "Write to them any time in Messages; they answer in working hours. In a crisis, "
                "“Get help now” at the top of every page calls for help straight away."
            ),
            "url": reverse("conversation_new"),
            "action": _("Write to my care team"),
            "done": False,
        },
        {
            "key": "family",
            "title": _("Choose what family can see"),
            "text": _("Nothing is shared outside your care team unless you say so, and you can stop it any time."),
            "url": reverse("consent_list"),
            "action": _("Choose what to share"),
            "done": False,
        },
    ]
    shown = [step for step in steps if not step["done"] and step["key"] not in hidden]
    return {
        "template": "home/first_day.html",
        "steps": shown,
        "done_count": len(steps) - len(shown),
        "total": len(steps),
        "next_session": _next_session(person),
    }


def _next_session(person) -> dict | None:
    upcoming = upcoming_for_viewer(viewer=person, limit=1)
    if not upcoming:
        return None
    occurrence = upcoming[0]
    now = timezone.now()
    window = room_window(occurrence)
    try:
        zone = zoneinfo.ZoneInfo(person.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return {
        "occurrence": occurrence,
        "starts": occurrence.starts_at.astimezone(zone),
        "opens": window.opens_at.astimezone(zone),
        "is_open": window.opens_at <= now < window.closes_at,
        "join_url": reverse("video:room", args=[occurrence.pk]),
        "detail_url": reverse("scheduling:occurrence_detail", args=[occurrence.pk]),
    }
