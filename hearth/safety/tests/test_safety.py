import pytest

from hearth.audit.models import AuditEntry
from hearth.notifications.models import Notification
from hearth.safety.models import SafetySignal
from hearth.safety.services import safety_signal_raise

pytestmark = pytest.mark.django_db


def test_raising_a_signal_alerts_the_care_team_without_clinical_content(world):
    evidence = "PHQ-9 item 9 answered 'nearly every day'"
    signal = safety_signal_raise(
        person=world.participant, source="intake.phq9.item9", severity="urgent", evidence=evidence
    )
    # Urgent: the primary clinician at once; the on-call list and admin only if nobody answers.
    alerted = set(Notification.objects.filter(kind="safety.signal", urgent=True).values_list("recipient_id", flat=True))
    assert alerted == {world.clinician.pk}
    for notification in Notification.objects.filter(kind="safety.signal"):
        assert "PHQ" not in notification.title and evidence not in notification.title
    assert AuditEntry.objects.filter(action="safety.signal.raised", subject=world.participant).exists()
    assert SafetySignal.objects.get(pk=signal.pk).evidence == evidence


def test_unknown_severity_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        safety_signal_raise(person=world.participant, source="x.y", severity="apocalyptic")


def test_clinician_sees_and_acknowledges_the_signal(world, client_for):
    client = client_for(world.clinician)
    assert "Needs attention now" in client.get("/dashboard/").content.decode()
    assert world.participant.display_name in client.get("/dashboard/").content.decode()
    response = client.post(f"/safety/signals/{world.signal.pk}/acknowledge/", {"action": "reached_person"})
    assert response.status_code == 302
    world.signal.refresh_from_db()
    assert world.signal.acknowledged_by == world.clinician
    # A clinician of another program never learns the signal exists.
    assert client_for(world.other_clinician).post(f"/safety/signals/{world.signal.pk}/acknowledge/").status_code == 404
