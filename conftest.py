"""Standing personas shared by every test (healthchecks-style): one program with its people,
plus another program whose people must never see into the first."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import translation

from hearth.accounts.services import invitation_create
from hearth.consent.models import Category
from hearth.safety.services import safety_signal_raise
from hearth.tests.factories import CohortFactory, ProgramFactory, Role, UserFactory, enrol_mfa, grant_role, make_consent


@dataclass
class World:
    program: object
    other_program: object
    cohort: object
    participant: object
    other_participant: object
    clinician: object
    other_clinician: object
    mentor: object
    family_with_consent: object
    family_without: object
    admin: object
    consent: object = None
    invitation: object = None
    signal: object = None
    # The personas of the security review (issue #13); only the `everyone` fixture makes them.
    other_admin: object = None
    ended_clinician: object = None
    ended_mentor: object = None
    family_withdrawn: object = None
    family_expired: object = None
    family_second_role: object = None
    two_programs: object = None
    # Distinctive text (legal names, clinical values) -> the personas who may see it.
    secrets: dict = field(default_factory=dict)

    def personas(self) -> dict:
        people = {
            "participant": self.participant,
            "other_participant": self.other_participant,
            "clinician": self.clinician,
            "other_clinician": self.other_clinician,
            "mentor": self.mentor,
            "family_with_consent": self.family_with_consent,
            "family_without": self.family_without,
            "admin": self.admin,
            "anonymous": None,
        }
        for name in REVIEW_PERSONAS:
            if getattr(self, name) is not None:
                people[name] = getattr(self, name)
        return people


REVIEW_PERSONAS = (
    "other_admin",
    "ended_clinician",
    "ended_mentor",
    "family_withdrawn",
    "family_expired",
    "family_second_role",
    "two_programs",
)


# Tests that start their own servers and time them (the benches' smoke runs, Janus in a network namespace)
# run one after another on one xdist worker; the rest spread over the other workers (`make test`).
SERIAL_TESTS = ("bench/", "hearth/video/tests/test_janus")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SERIAL_TESTS):
            item.add_marker(pytest.mark.xdist_group("serial"))


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used-TOTP markers live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Spanish leaves the thread's language active; the next test starts in the default.
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    program = ProgramFactory(name="Evening IOP")
    other_program = ProgramFactory(name="Other program")
    cohort = CohortFactory(program=program)
    clinician = UserFactory(display_name="Clinician")
    other_clinician = UserFactory(display_name="Other clinician")
    admin = UserFactory(display_name="Admin")
    mentor = UserFactory(display_name="Mentor")
    participant = UserFactory(display_name="Participant")
    other_participant = UserFactory(display_name="Other participant")
    family_with_consent = UserFactory(display_name="Family with consent")
    family_without = UserFactory(display_name="Family without")
    grant_role(clinician, program, Role.CLINICIAN)
    grant_role(other_clinician, other_program, Role.CLINICIAN)
    grant_role(admin, program, Role.ADMIN)
    grant_role(mentor, program, Role.MENTOR)
    grant_role(participant, program, Role.PARTICIPANT, cohort=cohort, primary_clinician=clinician)
    grant_role(other_participant, program, Role.PARTICIPANT, cohort=cohort)
    grant_role(family_with_consent, program, Role.FAMILY, related_participant=participant)
    grant_role(family_without, program, Role.FAMILY, related_participant=participant)
    for staff in (clinician, other_clinician, admin, mentor):
        enrol_mfa(staff)
    shared = [Category.ATTENDANCE, Category.CHECKINS, Category.MESSAGING, Category.SAFETY_PLAN]
    consent = make_consent(participant, program, family_with_consent, categories=shared)
    invitation, _token = invitation_create(actor=admin, program=program, role=Role.PARTICIPANT, email="new@hearth.test")
    signal = safety_signal_raise(person=participant, source="tests.world", severity="high", evidence="world fixture")
    return World(
        program=program,
        other_program=other_program,
        cohort=cohort,
        participant=participant,
        other_participant=other_participant,
        clinician=clinician,
        other_clinician=other_clinician,
        mentor=mentor,
        family_with_consent=family_with_consent,
        family_without=family_without,
        admin=admin,
        consent=consent,
        invitation=invitation,
        signal=signal,
    )


@pytest.fixture
def everyone(world) -> World:
    return add_review_personas(world)


def add_review_personas(world: World) -> World:
    """The world with the personas of the security review, and secrets to search pages for:
    an admin of the other program; a clinician and a mentor of the program whose roles ended
    (through the service, after they had conversations); family whose consent was withdrawn or
    ran out; family without consent who is also a mentor here; a participant of both programs."""
    from django.utils import timezone

    from hearth.checkins.models import CheckIn
    from hearth.consent.services import consent_revoke
    from hearth.messaging.models import Conversation, ConversationMember, Kind
    from hearth.messaging.services import message_send
    from hearth.messaging.tests.conftest import cohort_conversation
    from hearth.programs.models import Membership
    from hearth.programs.services import staff_end
    from hearth.safety.models import SafetySignal

    program, other = world.program, world.other_program
    people = {name: UserFactory(display_name=name.replace("_", " ").capitalize()) for name in REVIEW_PERSONAS}
    grant_role(people["other_admin"], other, Role.ADMIN)
    grant_role(people["ended_clinician"], program, Role.CLINICIAN)
    grant_role(people["ended_mentor"], program, Role.MENTOR)
    for name in ("family_withdrawn", "family_expired", "family_second_role"):
        grant_role(people[name], program, Role.FAMILY, related_participant=world.participant)
    grant_role(people["family_second_role"], program, Role.MENTOR)
    grant_role(people["two_programs"], program, Role.PARTICIPANT, cohort=world.cohort)
    grant_role(people["two_programs"], other, Role.PARTICIPANT)
    for name in ("other_admin", "ended_clinician", "ended_mentor", "family_second_role"):
        enrol_mfa(people[name])
    shared = [Category.ATTENDANCE, Category.CHECKINS, Category.MESSAGING, Category.SCHEDULE]
    withdrawn = make_consent(world.participant, program, people["family_withdrawn"], categories=shared)
    consent_revoke(actor=world.participant, consent=withdrawn)
    make_consent(
        world.participant,
        program,
        people["family_expired"],
        categories=shared,
        signed_at=timezone.now() - datetime.timedelta(days=60),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    for name, user in people.items():
        setattr(world, name, user)
    # Conversations the ended roles and the relatives took part in, with something said in each;
    # the titles are secrets too (the conversation list shows them).
    cohort = cohort_conversation(world)
    family = Conversation.objects.create(
        program=program, kind=Kind.FAMILY, participant=world.participant, title="Kestrel family secret 7731"
    )
    direct = Conversation.objects.create(program=program, kind=Kind.DIRECT, title="Kestrel direct secret 4410")
    members = {
        cohort: [people["ended_clinician"], people["ended_mentor"]],
        family: [world.participant, world.clinician, world.family_with_consent, people["ended_clinician"]]
        + [people[name] for name in ("family_withdrawn", "family_expired", "family_second_role")],
        direct: [world.participant, people["ended_clinician"]],
    }
    for conversation, users in members.items():
        for user in users:
            ConversationMember.objects.create(conversation=conversation, user=user)
    said = {cohort: "Kestrel cohort 9902", family: "Kestrel family words 7732", direct: "Kestrel direct words 4411"}
    for conversation, body in said.items():
        message_send(actor=world.participant, conversation=conversation, client_msg_id="world", body=body)
    for name, role in (("ended_clinician", Role.CLINICIAN), ("ended_mentor", Role.MENTOR)):
        staff_end(actor=world.admin, membership=Membership.objects.get(user=people[name], program=program, role=role))
    today = timezone.localdate()
    # Check-ins and safety signals belong to a program: the person in two programs has one of
    # each in each, and each program's care team sees only its own (#13 item 3).
    checkins = (
        (world.participant, program, today, "Heron note 5521"),
        (people["two_programs"], program, today, "Heron note 8834"),
        (people["two_programs"], other, today - datetime.timedelta(days=1), "Heron note 8835"),
    )
    for person, in_program, day, note in checkins:
        CheckIn.objects.create(
            person=person,
            program=in_program,
            local_date=day,
            mood=4,
            craving=6,
            sleep_hours=6,
            sleep_quality="poor",
            note=note,
        )
    world.two_programs_signals = {
        in_program.pk: SafetySignal.objects.create(
            person=people["two_programs"],
            program=in_program,
            source="checkins.use_reported",
            severity="high",
            evidence=evidence,
        )
        for in_program, evidence in ((program, "Heron signal 6616"), (other, "Heron signal 6617"))
    }
    care_a = {"clinician", "admin"}
    care_b = {"other_clinician", "other_admin"}
    world.secrets = {
        # Legal names: the person and the care team of a program they take part in.
        "Legal Participant": {"participant", *care_a},
        "Legal Other participant": {"other_participant", *care_a},
        "Legal Two programs": {"two_programs", *care_a, *care_b},
        # Check-in notes stay with the person and their care team, whatever a consent says.
        "Heron note 5521": {"participant", *care_a},
        "Heron note 8834": {"two_programs", *care_a},
        "Heron note 8835": {"two_programs", *care_b},
        # Safety signals (staff pages only): the care team of the signal's own program.
        "Heron signal 6616": set(care_a),
        "Heron signal 6617": set(care_b),
        # The family conversation: its participant, staff of the program, family under consent.
        "Kestrel family secret 7731": {"participant", *care_a, "family_with_consent"},
        "Kestrel family words 7732": {"participant", *care_a, "family_with_consent"},
        # A private conversation with a clinician whose role ended: the participant only.
        "Kestrel direct secret 4410": {"participant"},
        "Kestrel direct words 4411": {"participant"},
        # The cohort group: its members (two_programs is in the cohort) and staff of the program.
        "Kestrel cohort 9902": {"participant", "other_participant", "two_programs", *care_a},
    }
    return world


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that person (or anonymous for None)."""

    def _client_for(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client_for
