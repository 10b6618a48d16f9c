"""Seed the embedded demo: one program, two cohorts, staff, participants, mentors and family,
a week of sessions with attendance, and chat history.

Idempotent: running it again changes nothing and prints the logins.
"""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import ClinicalIdentity, User
from hearth.consent.models import Category, RecipientKind
from hearth.consent.services import consent_grant
from hearth.messaging.demo import seed_demo_chat
from hearth.notifications.services import notify
from hearth.programs.models import Cohort, Membership, Program, Role
from hearth.safety.services import safety_signal_raise
from hearth.scheduling.demo import seed_demo_schedule

DEMO_PASSWORD = "hearth-demo-passphrase"
DOMAIN = "hearth.example"

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
FAMILY = [
    # (key, legal, display, participant key, recipient kind, categories)
    (
        "chris",
        "Chris Moore",
        "Chris (Alex's partner)",
        "alex",
        RecipientKind.PARTNER,
        [Category.ATTENDANCE, Category.PROGRESS, Category.MESSAGING],
    ),
    (
        "elena",
        "Elena Hernández",
        "Elena (Luis's mother)",
        "luis",
        RecipientKind.FAMILY,
        [Category.ATTENDANCE, Category.MESSAGING],
    ),
    (
        "pat",
        "Patricia Bell",
        "Pat (Marcus's sister)",
        "marcus",
        RecipientKind.FAMILY,
        [Category.SCHEDULE, Category.CHECKINS],
    ),
]


def email_for(key: str, role: str) -> str:
    return f"{key}.{role}@{DOMAIN}"


class Command(BaseCommand):
    help = "Create the demo program and people (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        if Program.objects.filter(slug="evening-iop").exists():
            self.stdout.write("Demo data already present.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self._print_logins()

    def _person(self, key, role, legal, display, language="en", pronouns=""):
        user = User.objects.create_user(
            email_for(key, role),
            DEMO_PASSWORD,
            display_name=display,
            language=language,
            pronouns=pronouns,
            time_zone="America/Chicago",
        )
        ClinicalIdentity.objects.create(
            user=user,
            legal_name=legal,
            phone="+1 312 555 01" + str(10 + user.pk % 90).zfill(2),
            date_of_birth=datetime.date(1975 + user.pk % 25, 1 + user.pk % 12, 1 + user.pk % 27),
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    def _with_mfa(self, user):
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)

    def _seed(self):
        program = Program.objects.create(
            name="Evening IOP — Adults",
            slug="evening-iop",
            time_zone="America/Chicago",
            on_call_phone="+1-312-555-0100",
        )
        cohorts = [
            Cohort.objects.create(program=program, name="Cohort A (Mon · Wed · Thu)"),
            Cohort.objects.create(program=program, name="Cohort B (Tue · Thu · Fri)"),
        ]
        admin = self._person(ADMIN[0], "admin", ADMIN[1], ADMIN[2])
        Membership.objects.create(user=admin, program=program, role=Role.ADMIN)
        self._with_mfa(admin)
        clinicians = []
        for key, legal, display, language in CLINICIANS:
            clinician = self._person(key, "clinician", legal, display, language)
            Membership.objects.create(user=clinician, program=program, role=Role.CLINICIAN)
            self._with_mfa(clinician)
            clinicians.append(clinician)
        for key, legal, display in MENTORS:
            mentor = self._person(key, "mentor", legal, display)
            Membership.objects.create(user=mentor, program=program, role=Role.MENTOR)
            self._with_mfa(mentor)
        participants = {}
        for index, (key, legal, display, pronouns, language) in enumerate(PARTICIPANTS):
            person = self._person(key, "participant", legal, display, language, pronouns)
            Membership.objects.create(
                user=person,
                program=program,
                role=Role.PARTICIPANT,
                cohort=cohorts[index % 2],
                primary_clinician=clinicians[index % 3],
            )
            participants[key] = person
        for key, legal, display, participant_key, kind, categories in FAMILY:
            relative = self._person(key, "family", legal, display)
            participant = participants[participant_key]
            Membership.objects.create(user=relative, program=program, role=Role.FAMILY, related_participant=participant)
            consent_grant(
                actor=participant,
                program=program,
                recipient_kind=kind,
                recipient_user=relative,
                recipient_name=display,
                categories=list(categories),
                purpose="To support my recovery at home",
                expires_at=timezone.now() + datetime.timedelta(days=180),
                signature=participant.clinical_identity.legal_name,
            )
        safety_signal_raise(
            person=participants["jordan"],
            source="intake.phq9.item9",
            severity="urgent",
            evidence="PHQ-9 item 9 answered 'several days' at intake.",
        )
        for person in participants.values():
            notify(recipient=person, kind="system.welcome", url="/profile/")
        seed_demo_schedule(
            admin=admin, program=program, cohorts=cohorts, clinicians=clinicians, participants=participants
        )
        seed_demo_chat(program=program, staff=clinicians[0])

    def _print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  program admin : {email_for(ADMIN[0], 'admin')}  (MFA)")
        for key, *_ in CLINICIANS:
            self.stdout.write(f"  clinician     : {email_for(key, 'clinician')}  (MFA)")
        for key, *_ in MENTORS:
            self.stdout.write(f"  peer mentor   : {email_for(key, 'mentor')}  (MFA)")
        for key, *_ in PARTICIPANTS[:3]:
            self.stdout.write(f"  participant   : {email_for(key, 'participant')}")
        self.stdout.write(f"  … and {len(PARTICIPANTS) - 3} more participants (<name>.participant@{DOMAIN})")
        for key, *_ in FAMILY:
            self.stdout.write(f"  family        : {email_for(key, 'family')}")
        self.stdout.write("Staff and mentors need a code: python manage.py demo_totp EMAIL  (or make totp EMAIL=...)\n")
