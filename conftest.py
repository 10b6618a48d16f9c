"""Standing personas shared by every test (healthchecks-style): one program with its people,
plus another program whose people must never see into the first."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

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

    def personas(self) -> dict:
        return {
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


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used-TOTP markers live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
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
def client_for(client):
    """client_for(user) -> a test client signed in as that person (or anonymous for None)."""

    def _client_for(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client_for
