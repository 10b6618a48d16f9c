"""Mentorship in the embedded demo: Sam R. and Rosa D. with profiles, training and mentees they have
been meeting for a few weeks (contacts, a meeting coming up, a first chat), one proposal waiting for
Sam's answer, and Nina waiting for a match. Everything goes through the services.

Idempotent: when Sam already has a mentor profile, nothing is made again."""

import datetime

from django.utils import timezone

from hearth.messaging.services import message_send
from hearth.scheduling.models import SessionKind
from hearth.scheduling.services import occurrence_schedule

from .models import MentorProfile
from .services import (
    contact_log,
    conversation_open,
    mentorship_propose,
    mentorship_respond,
    profile_approve,
    profile_save,
    request_create,
    training_record,
    worry_raise,
)

EVENINGS = [[1, 17 * 60, 23 * 60], [3, 17 * 60, 23 * 60]]  # Tuesday and Thursday evenings
PROFILES = {
    "sam": {
        "pathways": ["twelve_step", "mat"],
        "years_in_recovery": 8,
        "languages": ["en"],
        "gender": "man",
        "age_range": "46-55",
        "interests": ["hiking", "sports", "cooking"],
        "lived_experience": ["veteran", "parent", "justice"],
        "availability": [*EVENINGS, [5, 6 * 60, 12 * 60]],
        "capacity": 4,
    },
    "rosa": {
        "pathways": ["smart", "faith"],
        "years_in_recovery": 5,
        "languages": ["en", "es"],
        "gender": "woman",
        "age_range": "36-45",
        "interests": ["music", "gardening", "cooking", "faith"],
        "lived_experience": ["parent", "immigrant", "grief"],
        "availability": [[0, 17 * 60, 23 * 60], [2, 17 * 60, 23 * 60], [5, 12 * 60, 17 * 60]],
        "capacity": 4,
    },
}
# participant key -> (mentor key, preferences, weeks since the match began)
MATCHES = {
    "marcus": ("sam", {"gender": "man", "lived_experience": ["veteran"], "availability": EVENINGS}, 5),
    "devon": ("sam", {"pathways": ["twelve_step"], "interests": ["hiking"]}, 4),
    "omar": ("sam", {"lived_experience": ["justice"], "availability": [[5, 6 * 60, 12 * 60]]}, 3),
    "luis": ("rosa", {"languages": ["es"], "lived_experience": ["parent"], "availability": [[0, 17 * 60, 23 * 60]]}, 5),
    "ana": ("rosa", {"languages": ["es"], "gender": "woman", "interests": ["music"]}, 4),
    "grace": ("rosa", {"pathways": ["smart"], "lived_experience": ["grief"]}, 3),
}
PROPOSED = ("tess", "sam", {"interests": ["cooking", "hiking"], "availability": EVENINGS})
WAITING = ("nina", {"gender": "woman", "languages": ["en"], "pathways": ["twelve_step"], "interests": ["reading"]})
CONTACTS = [  # days after the start, channel, minutes, how it went, note
    (1, "call", 25, "good", "First call. Talked about what they want from a mentor."),
    (5, "message", 10, "good", ""),
    (9, "video", 40, "okay", "Hard week at work; we made a plan for the weekend."),
    (13, "call", 0, "no_answer", ""),
    (14, "call", 20, "good", "Went to a meeting together afterwards."),
    (19, "in_person", 60, "good", "Coffee before group."),
    (26, "call", 15, "hard", "Tired and low; encouraged them to tell their clinician."),
    (31, "message", 5, "good", ""),
]
FIRST_MESSAGES = ["Hi! I'm glad we matched. How is your week going?", "Pretty good. Thursday group helped a lot."]


def seed(people) -> None:
    sam, rosa = people.mentors
    if MentorProfile.objects.filter(user=sam).exists():
        return
    now = timezone.now()
    mentors = {"sam": sam, "rosa": rosa}
    admin, maria, james = people.admin, people.clinicians[0], people.clinicians[1]
    profiles = {}
    for key, fields in PROFILES.items():
        profile = profile_save(actor=mentors[key], program=people.program, time_zone=mentors[key].time_zone, **fields)
        completed = now.date() - datetime.timedelta(days=200)
        training_record(
            actor=admin,
            profile=profile,
            name="Certified Peer Recovery Specialist",
            completed_on=completed,
            expires_on=completed + datetime.timedelta(days=730),
        )
        training_record(
            actor=admin,
            profile=profile,
            name="Suicide prevention (QPR)",
            completed_on=completed,
            expires_on=completed + datetime.timedelta(days=365),
        )
        profile_approve(actor=admin, profile=profile, supervisor=james if key == "sam" else maria)
        profiles[key] = profile

    for n, (participant_key, (mentor_key, prefs, weeks)) in enumerate(MATCHES.items()):
        participant = people.participants[participant_key]
        start = now - datetime.timedelta(weeks=weeks)
        asker = maria if participant_key == "devon" else participant  # Devon's clinician asked for him
        request = request_create(actor=asker, participant=participant, program=people.program, **prefs)
        mentorship = mentorship_propose(
            actor=maria, request=request, profile=profiles[mentor_key], now=start - datetime.timedelta(days=2)
        )
        mentorship_respond(actor=mentors[mentor_key], mentorship=mentorship, accept=True, now=start)
        mentorship = mentorship_respond(actor=participant, mentorship=mentorship, accept=True, now=start)
        for day, channel, minutes, went, note in CONTACTS:
            # Omar's mentor has not reached him for a while: supervision shows him as overdue.
            if start + datetime.timedelta(days=day) > now - datetime.timedelta(days=9 if n == 2 else 0):
                break
            contact_log(
                actor=mentors[mentor_key],
                mentorship=mentorship,
                happened_at=start + datetime.timedelta(days=day, hours=19),
                channel=channel,
                minutes=minutes,
                how_it_went=went,
                note=note,
            )
        meeting = (now + datetime.timedelta(days=2 + n % 4)).replace(hour=23, minute=30, second=0, microsecond=0)
        occurrence_schedule(
            actor=maria,
            program=people.program,
            kind=SessionKind.MENTOR_MEETING,
            title=f"Mentor meeting · {participant.display_name}",
            starts_at=meeting,
            ends_at=meeting + datetime.timedelta(minutes=45),
            hosts=[mentors[mentor_key]],
            people=[participant],
        )
        conversation = conversation_open(actor=mentors[mentor_key], mentorship=mentorship)
        for i, (speaker, line) in enumerate(zip((mentors[mentor_key], participant), FIRST_MESSAGES, strict=True)):
            message_send(actor=speaker, conversation=conversation, client_msg_id=f"demo-mentor-{i}", body=line)
        if participant_key == "grace":
            worry_raise(
                actor=rosa,
                mentorship=mentorship,
                text="Grace has missed our last two calls and sounded very tired when we spoke.",
            )

    participant_key, mentor_key, prefs = PROPOSED
    request = request_create(
        actor=people.participants[participant_key],
        participant=people.participants[participant_key],
        program=people.program,
        **prefs,
    )
    mentorship_propose(actor=maria, request=request, profile=profiles[mentor_key])
    participant_key, prefs = WAITING
    request_create(
        actor=people.participants[participant_key],
        participant=people.participants[participant_key],
        program=people.program,
        **prefs,
    )
