import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hearth.notifications.models import Notification
from hearth.safety.models import AcknowledgeAction, SignalEvent, SignalEventKind
from hearth.safety.services import safety_signal_acknowledge, safety_signal_raise, signals_escalate_due
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def on_call(world):
    """A second clinician of the program: on the on-call list, not the participant's own."""
    person = UserFactory(display_name="On-call clinician")
    grant_role(person, world.program, Role.CLINICIAN)
    return person


def _alerted(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind, urgent=True).values_list("recipient_id", flat=True))


def test_the_ladder_climbs_until_someone_answers(world, on_call):
    with time_machine.travel(START, tick=False) as clock:
        signal = safety_signal_raise(
            person=world.participant, source="messaging.message", severity="urgent", evidence="I can't stay safe"
        )
        # At once: the primary clinician only, on every channel, quiet hours ignored (urgent).
        assert _alerted("safety.signal") == {world.clinician.pk}
        assert signal.next_escalation_at == START + 15 * MINUTE

        # Before the interval nothing moves, however often the job runs.
        clock.move_to(START + 14 * MINUTE)
        assert signals_escalate_due() == 0
        assert _alerted("safety.escalation") == set()

        # 15 minutes unanswered: the on-call list (the program's clinicians) and the admin.
        clock.move_to(START + 15 * MINUTE)
        assert signals_escalate_due() == 1
        assert signals_escalate_due() == 0  # idempotent: a second run in the same minute does nothing
        assert _alerted("safety.escalation") == {world.clinician.pk, on_call.pk, world.admin.pk}
        assert Notification.objects.filter(kind="safety.escalation").count() == 3

        # And again at each interval.
        clock.move_to(START + 30 * MINUTE)
        assert signals_escalate_due() == 1
        assert Notification.objects.filter(kind="safety.escalation").count() == 6

        # Someone answers: the ladder stops.
        clock.move_to(START + 31 * MINUTE)
        safety_signal_acknowledge(
            actor=on_call, signal=signal, action=AcknowledgeAction.CALLED_EMERGENCY, note="EMS on the way"
        )
        clock.move_to(START + 90 * MINUTE)
        assert signals_escalate_due() == 0
        assert Notification.objects.filter(kind="safety.escalation").count() == 6

    events = list(SignalEvent.objects.filter(signal=signal))
    assert [e.kind for e in events] == [
        SignalEventKind.RAISED,
        SignalEventKind.NOTIFIED,
        SignalEventKind.ESCALATED,
        SignalEventKind.ESCALATED,
        SignalEventKind.ACKNOWLEDGED,
    ]
    assert [e.level for e in events if e.kind == SignalEventKind.ESCALATED] == [1, 2]
    assert events[1].recipients == [world.clinician.pk]
    acknowledged = events[-1]
    assert acknowledged.actor == on_call and acknowledged.at == START + 31 * MINUTE
    assert acknowledged.action == AcknowledgeAction.CALLED_EMERGENCY and acknowledged.note == "EMS on the way"
    signal.refresh_from_db()
    assert signal.acknowledged_by == on_call and signal.next_escalation_at is None


def test_the_interval_is_a_program_setting(world):
    world.program.escalation_minutes = 5
    world.program.save(update_fields=["escalation_minutes"])
    with time_machine.travel(START, tick=False) as clock:
        safety_signal_raise(person=world.participant, source="tests.x", severity="urgent")
        clock.move_to(START + 5 * MINUTE)
        assert signals_escalate_due() == 1


def test_a_missed_minute_still_escalates_once_not_a_burst(world):
    with time_machine.travel(START, tick=False) as clock:
        safety_signal_raise(person=world.participant, source="tests.x", severity="urgent")
        clock.move_to(START + 120 * MINUTE)  # the job was down for two hours
        assert signals_escalate_due() == 1
        assert signals_escalate_due() == 0


def test_non_urgent_signals_alert_the_care_team_and_do_not_escalate(world):
    with time_machine.travel(START, tick=False) as clock:
        signal = safety_signal_raise(person=world.participant, source="tests.x", severity="moderate")
        assert signal.next_escalation_at is None
        clock.move_to(START + 60 * MINUTE)
        assert signals_escalate_due() == 0


def test_without_a_primary_clinician_the_whole_care_team_is_alerted(world):
    signal = safety_signal_raise(person=world.other_participant, source="tests.x", severity="urgent")
    assert set(SignalEvent.objects.get(signal=signal, kind="notified").recipients) == {
        world.clinician.pk,
        world.admin.pk,
    }


def test_notifications_carry_no_clinical_content(world):
    evidence = "I have pills saved up"
    with time_machine.travel(START, tick=False) as clock:
        safety_signal_raise(person=world.participant, source="messaging.message", severity="urgent", evidence=evidence)
        clock.move_to(START + 15 * MINUTE)
        signals_escalate_due()
    for notification in Notification.objects.filter(kind__startswith="safety."):
        assert "pills" not in notification.title and world.participant.display_name not in notification.title
        assert notification.url.startswith("/signals/")


def test_acknowledging_needs_the_care_team_and_a_note_for_other(world):
    with pytest.raises(PermissionDenied):
        safety_signal_acknowledge(actor=world.other_clinician, signal=world.signal)
    with pytest.raises(ValidationError):
        safety_signal_acknowledge(actor=world.clinician, signal=world.signal, action=AcknowledgeAction.OTHER)
    with pytest.raises(ValidationError):
        safety_signal_acknowledge(actor=world.clinician, signal=world.signal, action="shrugged")
    safety_signal_acknowledge(actor=world.clinician, signal=world.signal, action=AcknowledgeAction.REACHED_PERSON)
    with pytest.raises(ValidationError):
        safety_signal_acknowledge(actor=world.admin, signal=world.signal)


def test_signal_page_shows_the_timeline_to_the_care_team_only(world, client_for):
    url = reverse("signal_detail", args=[world.signal.pk])
    page = client_for(world.clinician).get(url).content.decode()
    assert "Timeline" in page and "Care team alerted" in page
    assert "Make a safety plan together" in page
    for persona in ("participant", "other_clinician", "family_with_consent", "mentor"):
        assert client_for(world.personas()[persona]).get(url).status_code == 404


def test_answering_from_the_signal_page(world, client_for):
    client = client_for(world.clinician)
    url = reverse("signal_acknowledge", args=[world.signal.pk])
    assert client.post(url, {"action": "other", "note": ""}).status_code == 302
    world.signal.refresh_from_db()
    assert world.signal.acknowledged_at is None
    response = client.post(url, {"action": "other", "note": "Left a voicemail, will call back at 5"}, follow=True)
    world.signal.refresh_from_db()
    assert world.signal.acknowledged_by == world.clinician
    page = response.content.decode()
    assert "Left a voicemail" in page and "Acknowledged" in page
    assert timezone.now() - world.signal.acknowledged_at < datetime.timedelta(minutes=1)


def test_person_page_prompts_for_a_plan_after_an_urgent_signal(world, client_for):
    from hearth.safety.services import safety_plan_review, safety_plan_save

    person_url = reverse("person_detail", args=[world.participant.pk])
    client = client_for(world.clinician)
    assert "Make a safety plan together" in client.get(person_url).content.decode()
    safety_plan_save(
        actor=world.clinician, person=world.participant, based_on=0, sections={"warning_signs": "x"}, contacts=[]
    )
    safety_plan_review(actor=world.clinician, person=world.participant, number=1)
    assert "safety plan together" not in client.get(person_url).content.decode()
    safety_signal_raise(person=world.participant, source="tests.x", severity="urgent")
    assert "Review the safety plan together" in client.get(person_url).content.decode()
