"""Demo of a participant's first day: two people who joined today, one English- and one
Spanish-speaking, with nothing done yet (the dashboard's next steps lead them). Staff already sent
Sofía her intake forms from her person page. Seeded last, after the apps' weeks of history, so no
rule has run over them. Idempotent."""

from django.utils import timezone

from hearth.accounts import demo as accounts_demo
from hearth.accounts.models import User
from hearth.intake.services import intake_packet_send
from hearth.programs.models import Membership, Role

# (key, legal name, display name, pronouns, language, cohort index, clinician index)
NEWCOMERS = [
    ("sofia", "Sofía Castillo", "Sofía", "she/her", "es", 0, 0),
    ("ben", "Benjamin Hart", "Ben", "he/him", "en", 1, 1),
]


def seed(people) -> None:
    for key, legal, display, pronouns, language, cohort, clinician in NEWCOMERS:
        email = accounts_demo.email_for(key, "participant")
        if User.objects.filter(email=email).exists():
            continue
        person = accounts_demo.demo_person(key, "participant", legal, display, language, pronouns)
        Membership.objects.create(
            user=person,
            program=people.program,
            role=Role.PARTICIPANT,
            cohort=people.cohorts[cohort],
            primary_clinician=people.clinicians[clinician],
            started_at=timezone.now(),
        )
        if key == "sofia":
            intake_packet_send(actor=people.clinicians[clinician], person=person, program=people.program)


def logins() -> list[str]:
    return [
        f"  new today     : {accounts_demo.email_for(key, 'participant')}  (first day: next steps)"
        for key, *_ in NEWCOMERS
    ]
