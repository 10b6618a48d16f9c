import pytest
from django.core.management import call_command

from hearth.notifications.models import Notification
from hearth.programs.models import Membership, Role
from hearth.safety.models import SafetyPlanVersion, SafetySignal, SignalEvent
from hearth.safety.tasks import escalate_unanswered_signals

pytestmark = pytest.mark.django_db


def test_demo_jordan_has_a_plan_and_an_urgent_signal_waits_on_their_clinician():
    call_command("seed_demo")
    membership = Membership.objects.get(user__display_name="Jordan", role=Role.PARTICIPANT)
    jordan, clinician = membership.user, membership.primary_clinician
    plan = SafetyPlanVersion.objects.get(plan__person=jordan)
    assert plan.reviewed_by == clinician and "Mia" in plan.reasons_for_living
    signal = SafetySignal.objects.get(person=jordan, severity="urgent", acknowledged_at__isnull=True)
    assert signal.next_escalation_at is not None
    assert SignalEvent.objects.get(signal=signal, kind="notified").recipients == [clinician.pk]
    assert Notification.objects.filter(recipient=clinician, kind="safety.signal", urgent=True).exists()
    call_command("seed_demo")
    assert SafetyPlanVersion.objects.filter(plan__person=jordan).count() == 1


def test_the_periodic_task_runs_the_escalation_service(world):
    # Huey runs tasks immediately in tests; nothing is due, so nothing moves.
    assert escalate_unanswered_signals.call_local() == 0
