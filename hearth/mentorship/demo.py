"""Mentorship in the embedded demo: Sam R. and Rosa D. with profiles, training and mentees they have
been meeting for a few weeks (contacts, a meeting each mentor planned, a first chat), one proposal
waiting for Sam's answer, and Nina waiting for a match; last month's and this month's supervision
notes; Luis sharing his check-ins with Rosa and Marcus his plan with Sam. Everything goes through
the services.

Idempotent: when Sam already has a mentor profile, the mentorships are not made again; notes and
sharing are added where missing."""

import datetime

from django.utils import timezone

from hearth.consent.models import Category, Consent
from hearth.messaging.services import message_send

from .models import MentorProfile, Mentorship, MentorshipStatus, SupervisionNote, month_start
from .services import (
    contact_log,
    conversation_open,
    meeting_schedule,
    mentor_share_grant,
    mentorship_propose,
    mentorship_respond,
    profile_approve,
    profile_save,
    request_create,
    supervision_note_save,
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
    sam, _rosa = people.mentors
    if not MentorProfile.objects.filter(user=sam).exists():
        _seed_mentorships(people)
    _seed_supervision_notes(people)
    _seed_sharing(people)


# mentor key -> (last month's note, this month's note)
NOTES = {
    "sam": (
        "Sam keeps a steady weekly rhythm with all three mentees and logs every contact. Talked about "
        "not carrying Marcus's hard weeks alone: he will bring them to supervision.",
        "Omar has not been reached for over a week; Sam will try a morning call and a message. "
        "Training renewal (QPR) due within the year.",
    ),
    "rosa": (
        "Rosa mentors in Spanish and English with warmth and good boundaries. Agreed she raises a "
        "worry early rather than late, as she did for Grace.",
        "Grace's worry went to the care team the same day. Rosa is tired this month; we planned one "
        "evening a week without calls.",
    ),
}
# participant key -> (categories shared with their mentor, purpose in their own words)
SHARES = {
    "luis": ([Category.CHECKINS], "Para que Rosa sepa cómo voy entre una llamada y otra"),
    "marcus": ([Category.TREATMENT_PLAN], "So Sam knows what I am working on"),
}


def _seed_supervision_notes(people) -> None:
    """Last month's and this month's note from each mentor's supervisor (James for Sam, Maria for Rosa)."""
    this_month = month_start(timezone.localdate())
    last_month = month_start(this_month - datetime.timedelta(days=1))
    for key, mentor in zip(("sam", "rosa"), people.mentors, strict=True):
        profile = MentorProfile.objects.filter(user=mentor).select_related("supervisor").first()
        if profile is None or profile.supervisor is None:
            continue
        for month, body in zip((last_month, this_month), NOTES[key], strict=True):
            if not SupervisionNote.objects.filter(profile=profile, month=month).exists():
                supervision_note_save(actor=profile.supervisor, profile=profile, month=month, body=body, version=0)


def _seed_sharing(people) -> None:
    now = timezone.now()
    for key, (categories, purpose) in SHARES.items():
        participant = people.participants[key]
        mentorship = (
            Mentorship.objects.filter(mentee=participant, status=MentorshipStatus.ACTIVE)
            .select_related("mentor")
            .first()
        )
        if (
            mentorship is None
            or Consent.objects.filter(participant=participant, recipient_user=mentorship.mentor).exists()
        ):
            continue
        mentor_share_grant(
            actor=participant,
            mentorship=mentorship,
            categories=categories,
            purpose=purpose,
            expires_at=now + datetime.timedelta(days=90),
            signature=participant.clinical_identity.legal_name,
        )


def _seed_mentorships(people) -> None:
    sam, rosa = people.mentors
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
        # Each mentor plans the next meeting themself (evening in Chicago).
        meeting = (now + datetime.timedelta(days=2 + n % 4)).replace(hour=23, minute=30, second=0, microsecond=0)
        meeting_schedule(
            actor=mentors[mentor_key],
            mentorship=mentorship,
            starts_at=meeting,
            ends_at=meeting + datetime.timedelta(minutes=45),
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
