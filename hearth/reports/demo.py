"""What the program report counts in the embedded demo: the program's tracks and every demo
participant's path through the lifecycle (referred, intake, admitted a few weeks ago on a
staggered schedule; Grace and Kim stepped down, the newest on "Stabilise", the rest on "Build
skills"), so the census, retention, adherence and the track filter have believable history.
Everything goes through programs' services; the transitions are then dated back to when they
happened, as other demos do.

Idempotent: when the program already has tracks, nothing is made again."""

import datetime

from django.utils import timezone

from hearth.programs.models import EnrolmentState, EnrolmentTransition, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_track_set, enrolment_transition, track_create

TRACKS = [
    ("Stabilise", "The first weeks: safety, sleep, cravings and a daily check-in."),
    ("Build skills", "Groups and practice for the long haul."),
    ("Step-down", "Fewer groups, more life outside; getting ready to finish."),
]
# Days ago each participant was admitted (in accounts' PARTICIPANTS order: Alex ... Nina).
ADMITTED_DAYS_AGO = [43, 43, 42, 41, 40, 38, 36, 35, 33, 29, 22, 12]
STEPPED_DOWN = {"grace": 6, "kim": 3}  # key -> days ago


def seed(people) -> None:
    program = people.program
    if program.tracks.exists():
        return
    actor = people.admin
    tracks = [
        track_create(actor=actor, program=program, name=name, order=order, description=description)
        for order, (name, description) in enumerate(TRACKS, start=1)
    ]
    stabilise, skills, step_down = tracks
    now = timezone.now()
    memberships = {
        m.user_id: m for m in Membership.objects.filter(program=program, role=Role.PARTICIPANT).select_related("user")
    }
    for days, (key, person) in zip(ADMITTED_DAYS_AGO, people.participants.items(), strict=False):
        admitted = now - datetime.timedelta(days=days, hours=3)
        enrolment = enrolment_open(actor=actor, membership=memberships[person.pk])
        moves = [(EnrolmentState.INTAKE, admitted - datetime.timedelta(days=3)), (EnrolmentState.ACTIVE, admitted)]
        if key in STEPPED_DOWN:
            moves.append((EnrolmentState.STEP_DOWN, now - datetime.timedelta(days=STEPPED_DOWN[key], hours=5)))
        for state, _when in moves:
            enrolment = enrolment_transition(actor=actor, enrolment=enrolment, to_state=state, reason="Demo history")
        track = step_down if key in STEPPED_DOWN else stabilise if days < 14 else skills
        enrolment_track_set(actor=actor, enrolment=enrolment, track=track)
        # Date the history back: referral a week before intake, then each move when it happened.
        transitions = list(EnrolmentTransition.objects.filter(enrolment=enrolment).order_by("pk"))
        when = [moves[0][1] - datetime.timedelta(days=7)] + [at for _state, at in moves]
        for transition, at in zip(transitions, when, strict=True):
            EnrolmentTransition.objects.filter(pk=transition.pk).update(at=at)
