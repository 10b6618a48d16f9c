"""A completed, reviewed intake for every demo participant, filled at home in their first days
and reviewed by their primary clinician the next day. Screenings are scored by the services;
Jordan's PHQ-9 item 9 raises the urgent safety signal the care team is still following.

Written through the intake services as of the past day (``time_machine``), so timestamps and
audit entries fall on that day. Idempotent: a participant with a packet is left alone."""

import datetime
import random
import zoneinfo

import time_machine
from django.utils import timezone

from hearth.checkins.demo import answers_for
from hearth.checkins.measures import SCREENERS
from hearth.safety.models import SafetySignal
from hearth.safety.services import safety_signal_acknowledge

from .documents import DOCUMENTS
from .models import Availability, IntakePacket, SexAtBirth
from .services import (
    PHQ9_ITEM9_SOURCE,
    intake_about_save,
    intake_consent_sign,
    intake_packet_start,
    intake_review,
    intake_screening_submit,
    intake_submit,
)

INTAKE_DAYS_AGO = 43

# key -> (sex at birth, PHQ-9, GAD-7, AUDIT-C, DAST-10 totals at intake)
SCREENING = {
    "alex": (SexAtBirth.FEMALE, 14, 12, 8, 2),
    "jordan": (SexAtBirth.UNSAID, 13, 11, 3, 6),
    "luis": (SexAtBirth.MALE, 11, 9, 9, 1),
    "kim": (SexAtBirth.FEMALE, 7, 6, 2, 5),
    "marcus": (SexAtBirth.MALE, 9, 8, 10, 3),
    "ana": (SexAtBirth.FEMALE, 12, 13, 7, 1),
    "devon": (SexAtBirth.MALE, 10, 8, 9, 2),
    "grace": (SexAtBirth.FEMALE, 8, 10, 6, 0),
    "omar": (SexAtBirth.MALE, 12, 9, 4, 7),
    "tess": (SexAtBirth.FEMALE, 13, 11, 3, 6),
    "ray": (SexAtBirth.MALE, 10, 7, 11, 2),
    "nina": (SexAtBirth.FEMALE, 9, 12, 2, 5),
}
GENDER = {"jordan": "Non-binary"}
EMERGENCY = {
    "alex": ("Chris Moore (partner)", "+1 312 555 0142"),
    "luis": ("Elena Hernández (madre)", "+1 312 555 0177"),
    "marcus": ("Patricia Bell (sister)", "+1 312 555 0163"),
}
ACCESS_NEEDS = {
    "nina": "Captions in video sessions, please.",
    "omar": "Works late Thursdays; may join 15 minutes late.",
}
REVIEW_NOTES = {
    "jordan": "PHQ-9 item 9 positive (several days). Safety plan started with Jordan; follow up at every contact.",
    "kim": "Lives alone, few supports nearby. Watch for isolation; encourage peer contact between sessions.",
    "marcus": "Alcohol primary. Sister Pat supportive. Evening shifts may clash with group.",
}


def _at(day: datetime.date, tz, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=tz)


def _complete(key: str, person, program, clinician, start: datetime.datetime) -> None:
    rng = random.Random(f"intake:{key}")  # noqa: S311 - seeded demo noise
    sex, phq9, gad7, auditc, dast10 = SCREENING[key]
    identity = person.clinical_identity
    with time_machine.travel(start, tick=False):
        packet = intake_packet_start(actor=person, program=program)
    with time_machine.travel(start + datetime.timedelta(minutes=12), tick=False):
        name, phone = EMERGENCY.get(key, (f"A friend of {person.display_name}", "+1 312 555 0199"))
        intake_about_save(
            actor=person,
            packet=packet,
            date_of_birth=identity.date_of_birth,
            phone=identity.phone,
            emergency_contact_name=name,
            emergency_contact_phone=phone,
            language=person.language,
            time_zone=person.time_zone,
            accessibility_needs=ACCESS_NEEDS.get(key, ""),
            sex_at_birth=sex,
            gender_identity=GENDER.get(key, ""),
            availability=[Availability.WEEKDAY_EVENING] + ([Availability.WEEKEND] if rng.random() < 0.5 else []),
            availability_note="",
        )
    totals = {"phq9": phq9, "gad7": gad7, "auditc": auditc, "dast10": dast10}
    for minutes, (code, measure) in enumerate(SCREENERS.items(), start=20):
        fixed = {8: 1 if key == "jordan" else 0} if code == "phq9" else None
        answers = answers_for(measure, totals[code], rng, fixed=fixed)
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            intake_screening_submit(actor=person, packet=packet, measure_code=code, answers=answers)
    for minutes, code in enumerate(DOCUMENTS, start=30):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            intake_consent_sign(actor=person, packet=packet, document_code=code, signed_name=identity.legal_name)
    with time_machine.travel(start + datetime.timedelta(minutes=40), tick=False):
        intake_submit(actor=person, packet=packet)
    with time_machine.travel(start + datetime.timedelta(hours=15), tick=False):
        intake_review(
            actor=clinician,
            packet=packet,
            note=REVIEW_NOTES.get(key, "Screenings reviewed with the participant. Ready for group."),
        )
        # The clinician saw the intake's item 9 signal at review and started a safety plan.
        for signal in SafetySignal.objects.filter(
            person=person, source=PHQ9_ITEM9_SOURCE, acknowledged_at__isnull=True
        ):
            safety_signal_acknowledge(actor=clinician, signal=signal)


def seed(people) -> None:
    for index, (key, person) in enumerate(people.participants.items()):
        if IntakePacket.objects.filter(person=person, program=people.program).exists():
            continue
        membership = person.memberships.filter(program=people.program, role="participant").first()
        tz = zoneinfo.ZoneInfo(person.time_zone)
        day = timezone.now().astimezone(tz).date() - datetime.timedelta(days=INTAKE_DAYS_AGO - index % 2)
        _complete(key, person, people.program, membership.primary_clinician, _at(day, tz, 18))
