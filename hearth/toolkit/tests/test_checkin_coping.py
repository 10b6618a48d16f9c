"""Using a self-help tool counts as a coping action in the check-in: check-ins offers the options
the toolkit registered, ticks the written tools the person already used that day, and refuses
anything not on the list."""

import pytest
from django.urls import reverse

from hearth.checkins.coping import coping_choices
from hearth.checkins.models import CheckIn
from hearth.toolkit.services import journal_entry_create, thought_record_create


def _form_data(page, **overrides):
    initial = page.context["form"].initial
    data = {
        "local_date": initial["local_date"].isoformat(),
        "version": str(initial["version"]),
        "mood": "6",
        "craving": "3",
        "sleep_hours": "7",
        "sleep_quality": "good",
        "used": "no",
        "note": "",
    }
    data.update(overrides)
    return data


def test_toolkit_tools_are_offered_and_written_ones_are_ticked(world, client_for):
    keys = dict(coping_choices())
    assert {"toolkit.urge-surfing", "toolkit.box-breathing", "toolkit.thought-record", "toolkit.gratitude"} <= set(keys)
    thought_record_create(actor=world.participant, situation="Payday", thought="I deserve one", feeling="Restless 7")
    journal_entry_create(actor=world.participant, body="Three things", kind="gratitude")
    client = client_for(world.participant)
    page = client.get(reverse("checkins:checkin"))
    assert "What helped today?" in page.content.decode()
    assert page.context["form"].initial["coping"] == ["toolkit.gratitude", "toolkit.thought-record"]
    response = client.post(
        reverse("checkins:checkin"),
        _form_data(page, coping=["toolkit.box-breathing", "toolkit.thought-record"]),
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(person=world.participant).coping == ["toolkit.box-breathing", "toolkit.thought-record"]
    progress = client.get(reverse("checkins:progress")).content.decode()
    assert "Helped:" in progress and "Box breathing" in progress


def test_someone_elses_tools_are_not_ticked(world, client_for):
    thought_record_create(actor=world.other_participant, situation="x", thought="y", feeling="z")
    page = client_for(world.participant).get(reverse("checkins:checkin"))
    assert page.context["form"].initial["coping"] == []


@pytest.mark.parametrize("bad", ["toolkit.nope", "x" * 300])
def test_unknown_coping_action_is_refused_and_nothing_saved(world, client_for, bad):
    client = client_for(world.participant)
    page = client.get(reverse("checkins:checkin"))
    response = client.post(reverse("checkins:checkin"), _form_data(page, coping=[bad]))
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_service_refuses_unknown_coping_keys(world):

    from django.core.exceptions import ValidationError

    from hearth.checkins.services import checkin_submit, local_today

    with pytest.raises(ValidationError) as error:
        checkin_submit(
            actor=world.participant,
            person=world.participant,
            local_date=local_today(world.participant),
            mood=5,
            craving=2,
            sleep_hours=7,
            sleep_quality="good",
            coping=["toolkit.box-breathing", "made.up"],
        )
    assert "coping" in error.value.message_dict
    assert not CheckIn.objects.exists()


def test_demo_check_ins_tick_toolkit_tools_on_harder_days(db):
    from hearth.accounts import demo as accounts_demo
    from hearth.checkins import demo as checkins_demo

    people = accounts_demo.seed_people()
    checkins_demo.seed(people)
    with_coping = CheckIn.objects.exclude(coping=[])
    assert with_coping.exists()
    keys = dict(coping_choices())
    assert all(set(c.coping) <= set(keys) and c.craving >= 3 for c in with_coping)
