"""Safety signals belong to a program (#13 item 3): only that program's care team is alerted,
sees the signal in its lists, may open it or answer it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from hearth.notifications.models import Notification
from hearth.programs.models import Role
from hearth.safety.selectors import open_signals_for_viewer, signal_for_viewer, signals_about_person
from hearth.safety.services import safety_signal_acknowledge, safety_signal_raise
from hearth.tests.factories import UserFactory, grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def dual(world):
    person = UserFactory(display_name="Dual")
    grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort, primary_clinician=world.clinician)
    grant_role(person, world.other_program, Role.PARTICIPANT, primary_clinician=world.other_clinician)
    return person


def test_a_signal_of_program_b_reaches_and_shows_only_program_bs_care_team(world, dual, client_for):
    signal = safety_signal_raise(
        person=dual,
        source="checkins.use_reported",
        severity="urgent",
        evidence="Osprey 77",
        program=world.other_program,
    )
    assert signal.program_id == world.other_program.pk
    alerted = set(
        Notification.objects.filter(url__endswith=f"/signals/{signal.pk}/").values_list("recipient_id", flat=True)
    )
    assert alerted == {world.other_clinician.pk}
    assert list(open_signals_for_viewer(viewer=world.other_clinician)) == [signal]
    assert signal not in open_signals_for_viewer(viewer=world.clinician)
    assert list(signals_about_person(viewer=world.clinician, person=dual)) == []
    with pytest.raises(Http404):
        signal_for_viewer(viewer=world.clinician, signal_id=signal.pk)
    assert client_for(world.clinician).get(reverse("signal_detail", args=[signal.pk])).status_code == 404
    assert client_for(world.other_clinician).get(reverse("signal_detail", args=[signal.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        safety_signal_acknowledge(actor=world.clinician, signal=signal)
    signal.refresh_from_db()
    assert signal.acknowledged_at is None


def test_a_signal_without_a_program_goes_to_the_persons_home_program(world, dual):
    signal = safety_signal_raise(person=dual, source="checkins.use_reported", severity="high")
    assert signal.program_id == world.program.pk
    assert list(signals_about_person(viewer=world.clinician, person=dual)) == [signal]
    assert list(signals_about_person(viewer=world.other_clinician, person=dual)) == []


def test_outsiders_get_404_for_a_signal_id_of_any_shape(world, dual):
    signal = safety_signal_raise(person=dual, source="checkins.use_reported", severity="high")
    for signal_id in (signal.pk, 10**12, "x"):
        with pytest.raises(Http404):
            signal_for_viewer(viewer=world.other_participant, signal_id=signal_id)
