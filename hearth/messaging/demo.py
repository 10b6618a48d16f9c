"""Chat history for the embedded demo. seed_demo calls seed_demo_chat(program=..., staff=...) once
the program's people exist; everything goes through the services (sequence numbers, audit)."""

from hearth.programs.models import Membership, Role

from .models import Conversation, Kind
from .permissions import family_consent_in_force
from .services import conversation_create, message_send

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


def seed(people) -> None:
    """seed_demo's entry point: once per demo program."""
    if Conversation.objects.filter(program=people.program).exists():
        return
    seed_demo_chat(program=people.program, staff=people.clinicians[0])
