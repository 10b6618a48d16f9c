"""Chat history for the embedded demo. seed_demo calls seed(people) once the program's people
exist: the chats open six weeks ago, the cohorts talk between sessions since (Kim falls quiet ten
days ago, Marcus a week ago), and staff moderate a few messages (one reported and hidden, one
reported and kept, one report still waiting). Everything goes through the services (sequence
numbers, audit, detection), as of the past moment (``time_machine``)."""

import datetime
import zoneinfo

import time_machine
from django.utils import timezone

from hearth.programs.models import Membership, Role

from .models import Conversation, Kind, Message
from .permissions import family_consent_in_force
from .services import conversation_create, message_hide, message_report, message_send, report_resolve

COHORT_LINES = [
    "Morning, everyone. How did last night go?",
    "Rough evening, but I used the urge-surfing thing from Tuesday. It helped.",
    "Proud of you. Fifteen minutes at a time.",
    "Buenos días. Hoy cumplo dos semanas.",
    "Two weeks! That's huge.",
    "Reminder: group starts at 6:30 tonight. Bring one win from this week.",
]
DIRECT_LINES = [
    "Hi, I wanted to check in before Thursday's session.",
    "Thanks for reaching out. How are the mornings going?",
    "Better. Sleeping more.",
]


def seed_demo_chat(*, program, staff) -> int:
    """One chat per cohort, a private conversation between each participant and their clinician,
    a family conversation for each participant whose family has a consent. Returns messages made."""
    made = 0
    participants = Membership.objects.filter(
        program=program, role=Role.PARTICIPANT, ended_at__isnull=True
    ).select_related("user", "cohort", "primary_clinician")
    by_cohort: dict = {}
    for membership in participants:
        by_cohort.setdefault(membership.cohort, []).append(membership)
    for cohort, members in by_cohort.items():
        if cohort is None:
            continue
        people = [m.user for m in members]
        conversation = conversation_create(
            actor=staff, program=program, kind=Kind.COHORT, title=f"{cohort.name} · chat", members=people
        )
        speakers = [people[0], people[1 % len(people)], staff, people[2 % len(people)], people[0], staff]
        for n, (speaker, line) in enumerate(zip(speakers, COHORT_LINES, strict=True)):
            message_send(actor=speaker, conversation=conversation, client_msg_id=f"demo-{n}", body=line)
            made += 1
    for membership in participants:
        clinician = membership.primary_clinician
        if clinician is None:
            continue
        direct = conversation_create(actor=membership.user, program=program, kind=Kind.DIRECT, members=[clinician])
        for n, line in enumerate(DIRECT_LINES):
            speaker = membership.user if n % 2 == 0 else clinician
            message_send(actor=speaker, conversation=direct, client_msg_id=f"demo-{n}", body=line)
            made += 1
        probe = Conversation(program=program, kind=Kind.FAMILY, participant=membership.user)
        relatives = [
            m.user
            for m in Membership.objects.filter(
                program=program, role=Role.FAMILY, related_participant=membership.user, ended_at__isnull=True
            ).select_related("user")
            if family_consent_in_force(m.user, probe)
        ]
        if relatives:
            family = conversation_create(
                actor=clinician,
                program=program,
                kind=Kind.FAMILY,
                title=f"{membership.user.display_name} · family",
                participant=membership.user,
                members=[membership.user, *relatives],
            )
            message_send(
                actor=clinician,
                conversation=family,
                client_msg_id="demo-0",
                body="Welcome. This is a space for questions about supporting recovery at home.",
            )
            made += 1
    return made


# (days ago, hour, speaker key or "staff", line), per cohort chat (A, B).
HISTORY = [
    [
        (34, 21, "luis", "¿Alguien más tiene problemas para dormir? Yo me despierto a las 3."),
        (34, 21, "alex", "Me too, first few weeks. Chamomile and no phone after 10 helped."),
        (27, 20, "devon", "Week three. Harder than I thought but I'm here."),
        (27, 21, "staff", "Glad you're here, Devon. Bring that to group tomorrow."),
        (20, 22, "marcus", "Missed tonight, got stuck on a double shift. Sorry all."),
        (20, 22, "omar", "No worries man, we saved you a seat for Wednesday."),
        (13, 19, "ray", "Un mes hoy. Gracias a todos por el apoyo."),
        (13, 19, "alex", "A month! Felicidades, Ray."),
        (7, 20, "marcus", "Work is crazy this week. Will try to make Thursday."),
        (4, 21, "alex", "Anyone up for the Saturday walk at the lakefront?"),
        (4, 21, "devon", "I'm in. 9 am?"),
        (2, 20, "luis", "Voy también. Nos vemos el sábado."),
        (1, 21, "staff", "Marcus, we missed you this week. Reach out any time, we're here."),
    ],
    [
        (35, 20, "kim", "Hi all, I'm new. A bit nervous about group."),
        (35, 20, "grace", "Welcome Kim! Everyone was nervous the first week."),
        (28, 21, "jordan", "Tough day. Craving hit hard after a fight at home."),
        (28, 21, "tess", "You reached out, that's the skill. Proud of you."),
        (21, 20, "kim", "Thanks for the book tip, Nina. Started it last night."),
        (21, 20, "nina", "Chapter 4 is the good one, you'll see."),
        (14, 21, "ana", "¿Alguien quiere tomar un café el domingo?"),
        (14, 21, "kim", "Maybe, I'll see how I feel."),
        (10, 22, "kim", "Not feeling great this week. Might be quiet for a bit."),
        (10, 22, "grace", "We're here when you're ready, Kim."),
        (6, 20, "jordan", "Group tonight helped. Still a lot going on at home."),
        (3, 21, "tess", "Two months today!"),
        (3, 21, "nina", "Congrats Tess!"),
        (1, 20, "staff", "Kim, thinking of you. The group misses you on Thursdays."),
    ],
]
# (cohort index, days ago, speaker, line, reporter, what staff did: "hide" | "keep" | None)
MODERATED = [
    (0, 16, "devon", "Saw Luis's ex at the bar on Main St, she was asking where he lives now.", "luis", "hide"),
    (0, 9, "omar", "Honestly group felt pointless tonight.", "ray", "keep"),
    (1, 2, "grace", "Anyone selling a used bike? Message me, paying cash.", "nina", None),
]


def _moment(tz, days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.now().astimezone(tz).date() - datetime.timedelta(days=days_ago)
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
    return min(moment, timezone.now() - datetime.timedelta(minutes=30))


def seed_demo_history(people) -> None:
    """Six weeks of cohort conversation after the welcome lines, and a few moderated messages."""
    tz = zoneinfo.ZoneInfo(people.program.time_zone)
    staff = people.clinicians[0]
    chats = list(Conversation.objects.filter(program=people.program, kind=Kind.COHORT).order_by("pk"))
    speakers = {**people.participants, "staff": staff}
    for chat, lines in zip(chats, HISTORY, strict=False):
        for n, (days_ago, hour, key, line) in enumerate(lines):
            with time_machine.travel(_moment(tz, days_ago, hour, n % 60), tick=False):
                message_send(actor=speakers[key], conversation=chat, client_msg_id=f"demo-history-{n}", body=line)
    for n, (index, days_ago, key, line, reporter, action) in enumerate(MODERATED):
        chat = chats[index]
        posted = _moment(tz, days_ago, 22, 15)
        with time_machine.travel(posted, tick=False):
            message = message_send(
                actor=speakers[key], conversation=chat, client_msg_id=f"demo-moderated-{n}", body=line
            ).message
        with time_machine.travel(posted + datetime.timedelta(minutes=10), tick=False):
            report = message_report(actor=speakers[reporter], message=message, reason="Not okay for the group chat.")
        with time_machine.travel(posted + datetime.timedelta(hours=11), tick=False):
            if action == "hide":
                message_hide(actor=staff, message=message)
            elif action == "keep":
                report_resolve(actor=staff, report=report)


def seed(people) -> None:
    """seed_demo's entry point: once per demo program."""
    if Conversation.objects.filter(program=people.program).exists():
        return
    tz = zoneinfo.ZoneInfo(people.program.time_zone)
    with time_machine.travel(_moment(tz, 38, 19), tick=True):
        seed_demo_chat(program=people.program, staff=people.clinicians[0])
    if not Message.objects.filter(conversation__program=people.program, client_msg_id="demo-moderated-0").exists():
        seed_demo_history(people)
