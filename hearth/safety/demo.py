"""Demo safety data: Jordan's safety plan (written with their clinician, reviewed), and an open
urgent signal from Jordan's PHQ-9 item 9 at intake, waiting on Jordan's primary clinician."""

from hearth.programs.selectors import primary_clinicians_of

from .models import SafetyPlan, SafetySignal, Severity
from .services import safety_plan_review, safety_plan_save, safety_signal_raise

JORDAN_PLAN = {
    "warning_signs": "Not sleeping for two nights\nSkipping group\nThinking nobody would notice if I was gone",
    "coping_strategies": "Walk around the block with music on\nCold water on my face, slow breaths\n"
    "Write in my journal for ten minutes",
    "distractions": "Coffee shop on 5th Street\nMy cousin Ana's place\nThe Tuesday evening meeting",
    "professionals": "Community mental health center: 312 555 0142",
    "environment": "Ana keeps my extra medication\nNo alcohol in the apartment",
    "reasons_for_living": "My little sister, Mia\nSeeing the ocean next summer",
}
JORDAN_CONTACTS = [
    {"name": "Ana (cousin)", "phone": "+1 312 555 0117"},
    {"name": "Sam (sponsor)", "phone": "312 555 0180"},
]


def seed(people) -> None:
    jordan = people.participants["jordan"]
    clinician = primary_clinicians_of(person=jordan).first()
    if not SafetyPlan.objects.filter(person=jordan).exists() and clinician is not None:
        version = safety_plan_save(
            actor=clinician, person=jordan, based_on=0, sections=JORDAN_PLAN, contacts=JORDAN_CONTACTS
        )
        safety_plan_review(actor=clinician, person=jordan, number=version.number)
    if SafetySignal.objects.filter(person=jordan).exists():
        return
    # Raised after the plan was reviewed, so the clinician is prompted to go over it again.
    safety_signal_raise(
        person=jordan,
        source="intake.phq9.item9",
        severity=Severity.URGENT,
        evidence="PHQ-9 item 9 answered 'several days' at intake.",
    )
