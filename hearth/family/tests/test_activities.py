"""The weekly shared rewarding activity: one proposes, the other agrees, either marks it; both and
the clinician see it; outsiders, a withdrawn consent and a stale page change nothing."""

import datetime

import pytest
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.consent.services import consent_revoke
from hearth.family.models import ActivityStatus, SharedActivity
from hearth.family.selectors import local_today
from hearth.safety.models import SafetySignal
from hearth.scheduling.selectors import monday_of


def _url(couple):
    return reverse("family:activities", args=[couple.participant.pk])


def _week(couple, weeks=0):
    return (monday_of(local_today(couple.participant)) + datetime.timedelta(weeks=weeks)).isoformat()


def _propose(client, couple, title="Walk in the park", weeks=0):
    return client.post(_url(couple), {"action": "propose", "week": _week(couple, weeks), "title": title})


def _act(client, couple, activity, action, **extra):
    data = {"action": action, "activity": activity.pk, "version": activity.version, **extra}
    return client.post(_url(couple), data)


def test_propose_agree_and_mark_seen_by_both_and_the_clinician(couple, world, client_for):
    def me():
        return client_for(couple.participant)

    def partner():
        return client_for(couple.partner)

    assert _propose(partner(), couple).status_code == 302
    activity = SharedActivity.objects.get()
    assert activity.status == ActivityStatus.PROPOSED and activity.proposed_by == couple.partner
    assert _act(me(), couple, activity, "agree").status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AGREED
    assert _act(partner(), couple, activity, "done").status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE and activity.marked_by == couple.partner
    for person in (couple.participant, couple.partner, world.clinician):
        html = client_for(person).get(_url(couple)).content.decode()
        assert "Walk in the park" in html and "Done" in html
    # The clinician's couples-session view (the contract page) shows this week's plan too.
    html = client_for(world.clinician).get(reverse("family:contract", args=[couple.participant.pk])).content.decode()
    assert "Walk in the park" in html
    assert AuditEntry.objects.filter(action="family.activities.viewed", actor=world.clinician).exists()
    assert set(AuditEntry.objects.filter(action__startswith="family.activity.").values_list("action", flat=True)) == {
        "family.activity.proposed",
        "family.activity.agreed",
        "family.activity.marked",
    }


def test_the_proposer_cannot_agree_for_the_other(couple, client_for):
    def me():
        return client_for(couple.participant)

    _propose(me(), couple)
    activity = SharedActivity.objects.get()
    response = _act(me(), couple, activity, "agree")
    assert response.status_code == 400 and "cannot agree for them" in response.content.decode()
    assert SharedActivity.objects.get().status == ActivityStatus.PROPOSED


def test_a_stale_agreement_is_refused_after_the_words_changed(couple, client_for):
    """The partner opened the page, then the proposer changed the words: agreeing to the old words is refused."""

    def me():
        return client_for(couple.participant)

    def partner():
        return client_for(couple.partner)

    _propose(me(), couple, title="Dinner out")
    seen_by_partner = SharedActivity.objects.get()
    assert _act(me(), couple, seen_by_partner, "edit", title="Dinner at home").status_code == 302
    response = _act(partner(), couple, seen_by_partner, "agree")
    assert response.status_code == 400 and "changed since you opened the page" in response.content.decode()
    current = SharedActivity.objects.get()
    assert current.status == ActivityStatus.PROPOSED and current.title == "Dinner at home"
    assert _act(partner(), couple, current, "agree").status_code == 302


def test_next_week_is_planned_but_not_marked_and_other_weeks_are_refused(couple, client_for):
    def me():
        return client_for(couple.participant)

    def partner():
        return client_for(couple.partner)

    assert _propose(me(), couple, weeks=1).status_code == 302
    activity = SharedActivity.objects.get()
    _act(partner(), couple, activity, "agree")
    activity.refresh_from_db()
    response = _act(me(), couple, activity, "done")
    assert response.status_code == 400 and "not started yet" in response.content.decode()
    for weeks in (-1, 2):
        response = _propose(me(), couple, title="Too far", weeks=weeks)
        assert response.status_code == 400 and "this week or next week" in response.content.decode()
    assert SharedActivity.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"action": "propose", "title": "No week"},
        {"action": "propose", "week": "not-a-date", "title": "x"},
        {"action": "propose", "week": "2026-01-05", "title": "   "},
        {"action": "propose", "week": "THIS_WEEK", "title": "x" * 201},
        {"action": "agree", "activity": "999999", "version": "1"},
        {"action": "agree", "activity": "abc"},
        {"action": "explode"},
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(couple, client_for, data):
    if data.get("week") == "THIS_WEEK":
        data = {**data, "week": _week(couple)}
    response = client_for(couple.participant).post(_url(couple), data)
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert not SharedActivity.objects.exists()


@pytest.mark.parametrize("persona", ["family_with_consent", "other_participant", "other_clinician", "mentor"])
def test_someone_not_in_the_couple_gets_404_and_changes_nothing(couple, world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(_url(couple)).status_code == 404
    assert _propose(client, couple).status_code == 404
    assert not SharedActivity.objects.exists()


def test_the_clinician_reads_but_does_not_plan(couple, world, client_for):
    assert _propose(client_for(world.clinician), couple).status_code == 403
    assert not SharedActivity.objects.exists()


def test_after_withdrawal_nothing_changes_and_nothing_is_shown(couple, client_for):
    _propose(client_for(couple.participant), couple)
    activity = SharedActivity.objects.get()
    consent_revoke(actor=couple.participant, consent=couple.consent)

    def partner():
        return client_for(couple.partner)

    assert partner().get(_url(couple)).status_code == 404
    assert _act(partner(), couple, activity, "agree").status_code == 404
    assert SharedActivity.objects.get().status == ActivityStatus.PROPOSED


def test_an_activity_of_another_couple_is_not_reachable(couple, world, client_for):
    from hearth.family.models import SharedActivity as Model

    other = Model.objects.create(
        participant=world.other_participant,
        partner=couple.partner,
        program=world.program,
        week_start=monday_of(local_today(couple.participant)),
        title="Not yours",
        proposed_by=world.other_participant,
    )
    response = _act(client_for(couple.participant), couple, other, "agree")
    assert response.status_code == 400 and "no such activity" in response.content.decode()
    other.refresh_from_db()
    assert other.status == ActivityStatus.PROPOSED


def test_activity_words_go_through_safety_screening(couple, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _propose(client_for(couple.partner), couple, title="I want to kill myself").status_code == 302
    assert SafetySignal.objects.filter(person=couple.participant, source="family.contract").exists()
