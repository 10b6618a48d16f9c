import datetime

import pytest
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.consent.services import consent_revoke
from hearth.family.models import CaringNote, ContractDay, SessionTopic
from hearth.family.selectors import local_today
from hearth.safety.models import SafetySignal


def _post(client, couple, **data):
    return client.post(reverse("family:contract", args=[couple.participant.pk]), data)


def _today(couple):
    return local_today(couple.participant).isoformat()


def test_a_contract_day_stated_then_acknowledged_shows_on_both_calendars(couple, client_for):
    client = client_for(couple.participant)
    assert _post(client, couple, action="state", day=_today(couple)).status_code == 302
    partner = client_for(couple.partner)
    assert _post(partner, couple, action="acknowledge", day=_today(couple), medication_observed="on").status_code == 302
    entry = ContractDay.objects.get(participant=couple.participant)
    assert entry.acknowledged_at is not None and entry.medication_observed
    for person in (couple.participant, couple.partner):
        html = client_for(person).get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
        assert f'data-day="{_today(couple)}"' in html and "is-stated" in html
    # The partner's look is a disclosure: audited with the participant as subject, notice shown.
    assert AuditEntry.objects.filter(
        action="family.contract.viewed", actor=couple.partner, subject=couple.participant
    ).exists()
    assert "42 CFR part 2" in html


def test_recorded_twice_is_refused_and_changes_nothing(couple, client_for):
    client = client_for(couple.participant)
    _post(client, couple, action="state", day=_today(couple))
    response = _post(client, couple, action="state", day=_today(couple))
    assert response.status_code == 400 and "already recorded" in response.content.decode()
    assert ContractDay.objects.count() == 1


def test_tomorrow_is_refused(couple, client_for):
    tomorrow = (local_today(couple.participant) + datetime.timedelta(days=1)).isoformat()
    response = _post(client_for(couple.participant), couple, action="state", day=tomorrow)
    assert response.status_code == 400 and "only record today" in response.content.decode()
    assert not ContractDay.objects.exists()


def test_acknowledging_nothing_or_twice_is_refused(couple, client_for):
    partner = client_for(couple.partner)
    assert _post(partner, couple, action="acknowledge", day=_today(couple)).status_code == 400
    _post(client_for(couple.participant), couple, action="state", day=_today(couple))
    partner = client_for(couple.partner)
    assert _post(partner, couple, action="acknowledge", day=_today(couple)).status_code == 302
    assert _post(partner, couple, action="acknowledge", day=_today(couple)).status_code == 400


def test_the_partner_cannot_state_and_the_participant_cannot_acknowledge(couple, client_for):
    assert _post(client_for(couple.partner), couple, action="state", day=_today(couple)).status_code == 403
    assert not ContractDay.objects.exists()


@pytest.mark.parametrize("persona", ["family_with_consent", "other_participant", "other_clinician", "mentor"])
def test_someone_not_in_the_couple_gets_404_and_changes_nothing(couple, world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(reverse("family:contract", args=[couple.participant.pk])).status_code == 404
    assert _post(client, couple, action="note", text="hello").status_code == 404
    assert not CaringNote.objects.exists()


def test_the_clinician_reads_calendar_adherence_and_topics_but_writes_nothing(couple, world, client_for):
    _post(client_for(couple.participant), couple, action="state", day=_today(couple))
    _post(client_for(couple.partner), couple, action="topic", text="Money worries")
    client = client_for(world.clinician)
    html = client.get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
    assert "1 / 28" in html and "Money worries" in html
    assert _post(client, couple, action="note", text="x").status_code == 403


def test_after_withdrawal_nothing_is_recorded(couple, client_for):
    consent_revoke(actor=couple.participant, consent=couple.consent)
    assert _post(client_for(couple.participant), couple, action="state", day=_today(couple)).status_code == 404
    assert _post(client_for(couple.partner), couple, action="note", text="thanks").status_code == 404
    assert not ContractDay.objects.exists() and not CaringNote.objects.exists()


def test_caring_notes_are_read_by_the_other_partner(couple, client_for):
    _post(client_for(couple.participant), couple, action="note", text="Sam made my lunch")
    html = client_for(couple.partner).get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
    assert "Sam made my lunch" in html


def test_a_statement_of_use_goes_to_the_clinician_not_as_an_accusation(
    couple, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client_for(couple.participant), couple, action="topic", text="I drank last night")
    assert response.status_code == 302  # never blocked
    signal = SafetySignal.objects.get(source="family.contract")
    assert signal.person_id == couple.participant.pk
    # The topic is for the clinician: the partner sees neither it nor any flag about it.
    html = client_for(couple.partner).get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
    assert "drank last night" not in html
    assert SessionTopic.objects.count() == 1


def test_bad_action_is_a_clear_error(couple, client_for):
    response = _post(client_for(couple.participant), couple, action="explode")
    assert response.status_code == 400
