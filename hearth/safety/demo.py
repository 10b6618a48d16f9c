"""Demo safety signal: Jordan's PHQ-9 item 9 at intake, waiting on the care team."""

from .models import SafetySignal, Severity
from .services import safety_signal_raise


def seed(people) -> None:
    jordan = people.participants["jordan"]
    if SafetySignal.objects.filter(person=jordan).exists():
        return
    safety_signal_raise(
        person=jordan,
        source="intake.phq9.item9",
        severity=Severity.URGENT,
        evidence="PHQ-9 item 9 answered 'several days' at intake.",
    )
