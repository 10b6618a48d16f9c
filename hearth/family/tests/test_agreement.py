"""Both partners agree to the daily contract for themselves; either may stop; the history stays."""

from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.consent.services import consent_revoke
from hearth.family.models import ContractAgreement, ContractDay
from hearth.family.selectors import local_today


def _post(client, couple, **data):
    return client.post(reverse("family:contract", args=[couple.participant.pk]), data)


def _state_today(client, couple):
    return _post(client, couple, action="state", day=local_today(couple.participant).isoformat())


def test_no_day_is_recorded_until_both_have_agreed(couple_unagreed, client_for):
    couple = couple_unagreed

    def me():
        return client_for(couple.participant)

    response = _state_today(me(), couple)
    assert response.status_code == 400 and "both agreed" in response.content.decode()
    assert _post(me(), couple, action="agree").status_code == 302
    # One of the two is not enough.
    assert _state_today(me(), couple).status_code == 400
    assert not ContractDay.objects.exists()
    html = client_for(couple.partner).get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
    assert "I agree to the daily contract" in html and f"{couple.participant.display_name} has agreed" in html
    assert _post(client_for(couple.partner), couple, action="agree").status_code == 302
    assert ContractAgreement.objects.get().in_force
    assert _state_today(me(), couple).status_code == 302
    assert ContractDay.objects.count() == 1
    assert AuditEntry.objects.filter(action="family.contract.agreed", subject=couple.participant).count() == 2


def test_agreeing_twice_is_refused_and_changes_nothing(couple_unagreed, client_for):
    def me():
        return client_for(couple_unagreed.participant)

    _post(me(), couple_unagreed, action="agree")
    first = ContractAgreement.objects.get().participant_agreed_at
    response = _post(me(), couple_unagreed, action="agree")
    assert response.status_code == 400 and "already agreed" in response.content.decode()
    assert ContractAgreement.objects.get().participant_agreed_at == first


def test_either_may_stop_and_the_history_is_kept(couple, client_for):
    def partner():
        return client_for(couple.partner)

    assert _post(partner(), couple, action="stop").status_code == 302
    term = ContractAgreement.objects.get()
    assert term.stopped_at is not None and term.stopped_by == couple.partner
    # Stopped: nothing more is recorded, and stopping again is a clear error.
    assert _state_today(client_for(couple.participant), couple).status_code == 400
    assert _post(partner(), couple, action="stop").status_code == 400
    # Starting again opens a new term both agree to afresh; the old one stays in the history.
    for person in (couple.participant, couple.partner):
        assert _post(client_for(person), couple, action="agree").status_code == 302
    assert ContractAgreement.objects.count() == 2
    html = client_for(couple.participant).get(reverse("family:contract", args=[couple.participant.pk])).content
    assert b"stopped" in html and couple.partner.display_name.encode() in html
    assert _state_today(client_for(couple.participant), couple).status_code == 302


def test_someone_outside_the_couple_cannot_agree_or_stop(couple_unagreed, world, client_for):
    for persona in ("family_with_consent", "other_participant", "clinician"):
        client = client_for(getattr(world, persona))
        assert _post(client, couple_unagreed, action="agree").status_code in (403, 404)
    assert not ContractAgreement.objects.exists()


def test_after_withdrawal_neither_may_agree(couple_unagreed, client_for):
    consent_revoke(actor=couple_unagreed.participant, consent=couple_unagreed.consent)
    assert _post(client_for(couple_unagreed.partner), couple_unagreed, action="agree").status_code == 404
    assert not ContractAgreement.objects.exists()
