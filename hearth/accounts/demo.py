"""The demo's people: one program, two cohorts, staff, mentors, participants and family, each
with a clinical identity and (for staff and mentors) an authenticator. ``seed_demo`` calls
``seed_people()`` first and hands the result to every other app's seeder.

Idempotent: when the demo program exists, the same people are loaded instead of created."""

import datetime
import functools
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hearth.programs.models import Cohort, Membership, Program, Role

from .models import ClinicalIdentity, User

DEMO_PASSWORD = "hearth-demo-passphrase"
DOMAIN = "hearth.example"
PROGRAM_SLUG = "evening-iop"
TIME_ZONE = "America/Chicago"
# Everyone joined six weeks and a few days ago, so the history the apps seed has an enrolment before it.
ENROLLED_DAYS_AGO = 44

ADMIN = ("dana", "Dana Whitfield", "Dana (program director)")
CLINICIANS = [
    ("maria", "María Alvarez, LCSW", "María", "es"),
    ("james", "James Okafor, LPC", "James", "en"),
    ("priya", "Priya Raman, PsyD", "Dr. Priya", "en"),
]
MENTORS = [("sam", "Samuel Reed", "Sam R."), ("rosa", "Rosa Delgado", "Rosa D.")]
PARTICIPANTS = [
    ("alex", "Alexandra Moore", "Alex", "she/her", "en"),
    ("jordan", "Jordan Lee", "Jordan", "they/them", "en"),
    ("luis", "Luis Hernández", "Luis", "he/him", "es"),
    ("kim", "Kimberly Tran", "Kim T.", "she/her", "en"),
    ("marcus", "Marcus Bell", "Marcus", "he/him", "en"),
    ("ana", "Ana Sofía Ruiz", "Ana", "she/her", "es"),
    ("devon", "Devon Carter", "Dev", "he/him", "en"),
    ("grace", "Grace Whitaker", "Grace", "she/her", "en"),
    ("omar", "Omar Haddad", "O.", "he/him", "en"),
    ("tess", "Teresa Novak", "Tess", "she/her", "en"),
    ("ray", "Raymond Ortiz", "Ray", "he/him", "es"),
    ("nina", "Nina Petrova", "Nina", "she/her", "en"),
]
# (key, legal name, display name, participant key)
FAMILY = [
    ("chris", "Chris Moore", "Chris (Alex's partner)", "alex"),
    ("elena", "Elena Hernández", "Elena (Luis's mother)", "luis"),
    ("pat", "Patricia Bell", "Pat (Marcus's sister)", "marcus"),
]


@dataclass
class DemoPeople:
    program: Program
    cohorts: list
    admin: User
    clinicians: list
    mentors: list
    participants: dict = field(default_factory=dict)  # key -> User, in PARTICIPANTS order
    family: dict = field(default_factory=dict)  # key -> User


def email_for(key: str, role: str) -> str:
    return f"{key}.{role}@{DOMAIN}"


def seed_people() -> DemoPeople:
    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None:
        with transaction.atomic():
            return _create()
    by_email = {u.email: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}
    return DemoPeople(
        program=program,
        cohorts=list(Cohort.objects.filter(program=program).order_by("pk")),
        admin=by_email[email_for(ADMIN[0], "admin")],
        clinicians=[by_email[email_for(key, "clinician")] for key, *_ in CLINICIANS],
        mentors=[by_email[email_for(key, "mentor")] for key, *_ in MENTORS],
        participants={key: by_email[email_for(key, "participant")] for key, *_ in PARTICIPANTS},
        family={key: by_email[email_for(key, "family")] for key, *_ in FAMILY},
    )


@functools.cache
def _demo_password_hash() -> str:
    # One slow hash for all the demo accounts (they share the published demo passphrase) instead of
    # 21: hashing took a third of seed_demo's time.
    return make_password(DEMO_PASSWORD)


def _person(key, role, legal, display, language="en", pronouns=""):
    user = User(
        email=email_for(key, role),
        password=_demo_password_hash(),
        display_name=display,
        language=language,
        pronouns=pronouns,
        time_zone=TIME_ZONE,
    )
    user.save()
    ClinicalIdentity.objects.create(
        user=user,
        legal_name=legal,
        phone="+1 312 555 01" + str(10 + user.pk % 90).zfill(2),
        date_of_birth=datetime.date(1975 + user.pk % 25, 1 + user.pk % 12, 1 + user.pk % 27),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _with_mfa(user):
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def _create() -> DemoPeople:
    enrolled = timezone.now() - datetime.timedelta(days=ENROLLED_DAYS_AGO)
    program = Program.objects.create(
        name="Evening IOP — Adults",
        slug=PROGRAM_SLUG,
        time_zone=TIME_ZONE,
        on_call_phone="+1-312-555-0100",
        chat_retention_years=7,  # the shredder's dry run has a setting to read on a fresh make run
    )
    cohorts = [
        Cohort.objects.create(program=program, name="Cohort A (Mon · Wed · Thu)"),
        Cohort.objects.create(program=program, name="Cohort B (Tue · Thu · Fri)"),
    ]
    admin = _person(ADMIN[0], "admin", ADMIN[1], ADMIN[2])
    Membership.objects.create(user=admin, program=program, role=Role.ADMIN, started_at=enrolled)
    _with_mfa(admin)
    people = DemoPeople(program=program, cohorts=cohorts, admin=admin, clinicians=[], mentors=[])
    for key, legal, display, language in CLINICIANS:
        clinician = _person(key, "clinician", legal, display, language)
        Membership.objects.create(user=clinician, program=program, role=Role.CLINICIAN, started_at=enrolled)
        _with_mfa(clinician)
        people.clinicians.append(clinician)
    for key, legal, display in MENTORS:
        mentor = _person(key, "mentor", legal, display)
        Membership.objects.create(user=mentor, program=program, role=Role.MENTOR, started_at=enrolled)
        _with_mfa(mentor)
        people.mentors.append(mentor)
    for index, (key, legal, display, pronouns, language) in enumerate(PARTICIPANTS):
        person = _person(key, "participant", legal, display, language, pronouns)
        Membership.objects.create(
            user=person,
            program=program,
            role=Role.PARTICIPANT,
            cohort=cohorts[index % 2],
            primary_clinician=people.clinicians[index % 3],
            started_at=enrolled,
        )
        people.participants[key] = person
    for key, legal, display, participant_key in FAMILY:
        relative = _person(key, "family", legal, display)
        Membership.objects.create(
            user=relative,
            program=program,
            role=Role.FAMILY,
            related_participant=people.participants[participant_key],
            started_at=enrolled,
        )
        people.family[key] = relative
    return people


def logins() -> list[str]:
    lines = [
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        f"  program admin : {email_for(ADMIN[0], 'admin')}  (MFA)",
    ]
    lines += [f"  clinician     : {email_for(key, 'clinician')}  (MFA)" for key, *_ in CLINICIANS]
    lines += [f"  peer mentor   : {email_for(key, 'mentor')}  (MFA)" for key, *_ in MENTORS]
    lines += [f"  participant   : {email_for(key, 'participant')}" for key, *_ in PARTICIPANTS[:3]]
    lines.append(f"  … and {len(PARTICIPANTS) - 3} more participants (<name>.participant@{DOMAIN})")
    lines += [f"  family        : {email_for(key, 'family')}" for key, *_ in FAMILY]
    lines.append("Staff and mentors need a code: python manage.py demo_totp EMAIL  (or make totp EMAIL=...)")
    return lines


def demo_person(key, role, legal, display, language="en", pronouns="") -> User:
    """A demo account made like the others (the same passphrase and records), for seeders of the
    apps above that add people of their own (e.g. home's newcomers)."""
    return _person(key, role, legal, display, language, pronouns)
