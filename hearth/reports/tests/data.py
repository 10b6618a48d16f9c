"""A small fixed program whose every figure is worked out by hand in test_selectors.py.

Program zone America/Chicago (UTC-6 until 8 March 2026, UTC-5 after); every event is at a time
that falls on the same calendar day in Chicago and in UTC. "Now" is Monday 30 March 2026.

| person | lifecycle |
|---|---|
| Ana | intake 1 Feb, active 2 Feb (admitted), still active |
| Ben | intake 1 Mar, active 3 Mar (admitted), still active |
| Cy  | intake 1 Mar, active 4 Mar, discharged from active 12 Mar (a drop-out) |
| Di  | intake 31 Dec, active 1 Jan, completed 18 Mar |
| Ed  | referred 1 Mar, discharged 10 Mar (never admitted) |
| Fay | a membership without an enrolment (e.g. just invited); only on the radar |

Tracks: Ana and Ben are on "Stabilise", Di on "Build skills"; Cy, Ed and Fay on none.
Community: Ana posts on 20 March and replies on 26 March (and deletes a post on 27 March); Ben
goes to a game night on 14 March (and misses a film night on 21 March). Mentor: Ana's mentor
reaches her on 24 March (twice that day) and fails to reach her on 27 March.
"""

import datetime
from dataclasses import dataclass

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.community.models import Group, Post, Thread
from hearth.mentorship.models import ContactLog, MentorRequest, Mentorship
from hearth.messaging.models import Conversation, Kind, Message
from hearth.programs.models import Enrolment, EnrolmentTransition, Role, Track
from hearth.scheduling.models import Attendance, Occurrence, SessionKind
from hearth.tests.factories import CohortFactory, ProgramFactory, UserFactory, grant_role

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 30, 18, 0, tzinfo=UTC)
START, END = datetime.date(2026, 3, 2), datetime.date(2026, 3, 29)


def at(month: int, day: int, hour: int = 17) -> datetime.datetime:
    year = 2025 if month == 12 else 2026
    return datetime.datetime(year, month, day, hour, 0, tzinfo=UTC)


@dataclass
class Fixed:
    program: object
    cohort: object
    clinician: object
    people: dict
    tracks: dict


def _enrol(membership, moves, track=None) -> None:
    enrolment = Enrolment.objects.create(membership=membership, state=moves[-1][1], track=track)
    previous = ""
    for when, state in moves:
        EnrolmentTransition.objects.create(enrolment=enrolment, from_state=previous, to_state=state, at=when)
        previous = state


def _measure(person, code, total, when) -> None:
    MeasureResponse.objects.create(
        person=person,
        measure=code,
        instance_date=when.date(),
        answers=[],
        total=total,
        band="",
        level="ok",
        submitted_at=when,
    )


def build_fixed() -> Fixed:
    program = ProgramFactory(name="Fixed IOP", time_zone="America/Chicago")
    cohort = CohortFactory(program=program, name="Spring")
    clinician = UserFactory(display_name="Clin")
    grant_role(clinician, program, Role.CLINICIAN)
    people = {name: UserFactory(display_name=name) for name in ("Ana", "Ben", "Cy", "Di", "Ed", "Fay")}
    members = {name: grant_role(person, program, Role.PARTICIPANT, cohort=cohort) for name, person in people.items()}
    for member in members.values():  # all in the program since before the report's window
        member.started_at = at(1, 5)
        member.save(update_fields=["started_at"])
    tracks = {
        "stabilise": Track.objects.create(program=program, name="Stabilise", order=1),
        "skills": Track.objects.create(program=program, name="Build skills", order=2),
    }
    _enrol(members["Ana"], [(at(2, 1), "intake"), (at(2, 2), "active")], tracks["stabilise"])
    _enrol(members["Ben"], [(at(3, 1), "intake"), (at(3, 3), "active")], tracks["stabilise"])
    _enrol(members["Cy"], [(at(3, 1), "intake"), (at(3, 4), "active"), (at(3, 12), "discharged")])
    _enrol(members["Di"], [(at(12, 31), "intake"), (at(1, 1), "active"), (at(3, 18), "completed")], tracks["skills"])
    _enrol(members["Ed"], [(at(3, 1), "referred"), (at(3, 10), "discharged")])

    # Check-ins: Ana 2-8 March ("no one" 2-5, "a peer" 6-8); Ben 2-8 March naming nobody either
    # way; Cy 9 and 10 March.
    for day in range(2, 9):
        CheckIn.objects.create(
            person=people["Ana"],
            local_date=datetime.date(2026, 3, day),
            mood=5,
            craving=2,
            sleep_hours=7,
            sleep_quality="good",
            connections=["no_one"] if day <= 5 else ["peer"],
        )
        CheckIn.objects.create(
            person=people["Ben"],
            local_date=datetime.date(2026, 3, day),
            mood=6,
            craving=1,
            sleep_hours=7,
            sleep_quality="good",
            connections=[],
        )
    for day in (9, 10):
        CheckIn.objects.create(
            person=people["Cy"],
            local_date=datetime.date(2026, 3, day),
            mood=4,
            craving=3,
            sleep_hours=6,
            sleep_quality="fair",
            connections=["group"],
        )

    # One evening group each Wednesday (18:00 in Chicago = 23:00 UTC).
    marks = {
        4: {"Ana": "present", "Ben": "late", "Cy": "absent", "Di": "excused"},
        11: {"Ana": "absent", "Ben": "present"},
        18: {},
        25: {"Ana": "left_early"},
    }
    for day, statuses in marks.items():
        occurrence = Occurrence.objects.create(
            program=program,
            kind=SessionKind.GROUP_THERAPY,
            title="Evening group",
            cohort=cohort,
            starts_at=at(3, day, 23),
            ends_at=at(3, day, 23) + datetime.timedelta(hours=3),
        )
        for name, status in statuses.items():
            Attendance.objects.create(occurrence=occurrence, person=people[name], status=status)

    # Questionnaires.
    _measure(people["Ana"], "phq9", 15, at(2, 20))
    _measure(people["Ana"], "phq9", 8, at(3, 20))
    _measure(people["Ana"], "phq9", 2, at(4, 5))  # after the range: not counted
    _measure(people["Ben"], "phq9", 12, at(3, 5))
    _measure(people["Ben"], "phq9", 10, at(3, 19))
    _measure(people["Cy"], "phq9", 9, at(3, 6))  # one answer only
    _measure(people["Di"], "gad7", 10, at(3, 2))  # one answer only
    _measure(people["Ben"], "barc10", 30, at(3, 5))
    _measure(people["Ben"], "barc10", 36, at(3, 26))
    _measure(people["Ed"], "phq9", 20, at(3, 2))  # never in care: not counted
    _measure(people["Ed"], "phq9", 5, at(3, 9))
    _measure(people["Ana"], "ucla3", 7, at(3, 20))

    # Chat: Ben writes to the cohort on 2 March (before his admission), 10 and 28 March (twice
    # that day); his family writes on 21 March. Fay has a family conversation nobody has used.
    group = Conversation.objects.create(program=program, kind=Kind.COHORT, title="Spring")
    family = Conversation.objects.create(program=program, kind=Kind.FAMILY, participant=people["Ben"])
    Conversation.objects.create(program=program, kind=Kind.FAMILY, participant=people["Fay"])
    relative = UserFactory(display_name="Ben's sister")
    grant_role(relative, program, Role.FAMILY, related_participant=people["Ben"])
    for seq, (conversation, sender, when) in enumerate(
        [
            (group, people["Ben"], at(3, 2)),  # the day before his admission
            (group, people["Ben"], at(3, 10)),
            (group, people["Ben"], at(3, 28)),
            (group, people["Ben"], at(3, 28, 19)),
            (family, relative, at(3, 21)),
        ],
        start=1,
    ):
        Message.objects.create(
            conversation=conversation, seq=seq, sender=sender, client_msg_id=f"m{seq}", body="hello", created_at=when
        )

    # Community: posts and replies, and social events (sessions of a social kind).
    group = Group.objects.create(program=program, name="Mornings")
    thread = Thread.objects.create(group=group, author=people["Ana"], title="Early walks", created_at=at(3, 20))
    Post.objects.create(thread=thread, author=people["Ana"], body="x", is_opening=True, created_at=at(3, 20))
    Post.objects.create(thread=thread, author=people["Ana"], body="x", created_at=at(3, 26))
    Post.objects.create(thread=thread, author=people["Ana"], body="x", created_at=at(3, 27), deleted_at=at(3, 27))
    for day, kind, status in ((14, SessionKind.GAME_NIGHT, "present"), (21, SessionKind.MOVIE_SCREENING, "absent")):
        event = Occurrence.objects.create(
            program=program,
            kind=kind,
            title="Social",
            cohort=cohort,
            starts_at=at(3, day, 20),
            ends_at=at(3, day, 22),
        )
        Attendance.objects.create(occurrence=event, person=people["Ben"], status=status)

    # Mentor contacts: reached twice on 24 March, not reached on 27 March.
    mentor = UserFactory(display_name="Mo")
    grant_role(mentor, program, Role.MENTOR)
    request = MentorRequest.objects.create(participant=people["Ana"], program=program, status="matched")
    mentorship = Mentorship.objects.create(
        request=request, program=program, mentor=mentor, mentee=people["Ana"], status="active", started_at=at(3, 1)
    )
    for when, how in ((at(3, 24, 15), "good"), (at(3, 24, 19), "okay"), (at(3, 27), "no_answer")):
        ContactLog.objects.create(
            mentorship=mentorship, logged_by=mentor, happened_at=when, channel="call", minutes=20, how_it_went=how
        )
    return Fixed(program=program, cohort=cohort, clinician=clinician, people=people, tracks=tracks)
