"""Presence → attendance: joins and leaves fill minutes through scheduling's attendance service,
and a reconnect within two minutes does not split the stay."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from hearth.scheduling.models import Attendance, AttendanceStatus
from hearth.video.models import Seat
from hearth.video.services import join_token_issue, room_disconnect, room_join, room_leave, seat_admit
from hearth.video.tests.conftest import open_session

MIN = datetime.timedelta(minutes=1)


@pytest.fixture
def started(world):
    """A one-hour session that started ten minutes ago."""
    return open_session(world, starts_in_minutes=-10, minutes=60)


def at(moment):
    return time_machine.travel(moment, tick=False)


def enter(person, occurrence):
    return room_join(actor=person, occurrence=occurrence, token=join_token_issue(actor=person, occurrence=occurrence))


def test_a_reconnect_within_two_minutes_continues_the_stay(world, started):
    t0 = timezone.now().replace(microsecond=0)
    with at(t0):
        host = enter(world.clinician, started)
        enter(world.participant, started)
        seat_admit(actor=world.clinician, room=host.room, person_id=world.participant.pk)
    with at(t0 + 20 * MIN):
        room_disconnect(actor=world.participant, room=host.room)  # the network drops
    with at(t0 + 21 * MIN + datetime.timedelta(seconds=50)):
        again = enter(world.participant, started)
        assert again.seat.state == "admitted"  # straight back in, no waiting room
    with at(t0 + 40 * MIN):
        room_disconnect(actor=world.participant, room=host.room)
        room_disconnect(actor=world.clinician, room=host.room)
    attendance = Attendance.objects.get(occurrence=started, person=world.participant)
    assert attendance.minutes == 40  # one stay, the gap inside it included
    assert attendance.source == "video" and attendance.status == AttendanceStatus.PRESENT
    host_seat = Seat.objects.get(room=host.room, person=world.clinician)
    assert host_seat.seconds_present == 40 * 60
    assert not Attendance.objects.filter(person=world.clinician).exists()  # hosts are not on the roster


def test_a_longer_gap_splits_the_stay(world, started):
    t0 = timezone.now().replace(microsecond=0)
    with at(t0):
        host = enter(world.clinician, started)
        enter(world.participant, started)
        seat_admit(actor=world.clinician, room=host.room, person_id=world.participant.pk)
    with at(t0 + 10 * MIN):
        room_disconnect(actor=world.participant, room=host.room)
    with at(t0 + 15 * MIN):
        enter(world.participant, started)
    with at(t0 + 30 * MIN):
        room_leave(actor=world.participant, room=host.room)
        room_disconnect(actor=world.participant, room=host.room)
    attendance = Attendance.objects.get(occurrence=started, person=world.participant)
    assert attendance.minutes == 25
    assert len(attendance.presence) == 2


def test_waiting_time_is_not_attendance(world, started):
    t0 = timezone.now().replace(microsecond=0)
    with at(t0):
        host = enter(world.clinician, started)
        enter(world.participant, started)
    with at(t0 + 5 * MIN):
        seat_admit(actor=world.clinician, room=host.room, person_id=world.participant.pk)
    with at(t0 + 15 * MIN):
        room_disconnect(actor=world.participant, room=host.room)
    assert Attendance.objects.get(occurrence=started, person=world.participant).minutes == 10


def test_staff_corrections_are_kept(world, started):
    from hearth.scheduling.services import attendance_mark

    attendance_mark(actor=world.clinician, occurrence=started, person=world.participant, status="excused")
    t0 = timezone.now().replace(microsecond=0)
    with at(t0):
        host = enter(world.clinician, started)
        enter(world.participant, started)
        seat_admit(actor=world.clinician, room=host.room, person_id=world.participant.pk)
    with at(t0 + 5 * MIN):
        room_disconnect(actor=world.participant, room=host.room)
    attendance = Attendance.objects.get(occurrence=started, person=world.participant)
    assert (attendance.status, attendance.minutes, len(attendance.presence)) == ("excused", 0, 1)
