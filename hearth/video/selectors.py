"""Reads for video rooms, scoped to the viewer."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from hearth.programs.models import Role
from hearth.programs.selectors import program_ids_where
from hearth.scheduling.models import SOCIAL_KINDS, Occurrence
from hearth.scheduling.selectors import hosted_q, hosts_for_occurrence, is_on_roster, roster_for_occurrence, roster_q

from . import conf
from .models import Room, Seat, SeatState


def occurrence_for_joiner(*, viewer, occurrence_id) -> Occurrence:
    """A session whose room the viewer may enter (on its roster, or hosting it), or 404.

    Staff who do not host and people of other programs do not learn that the room exists."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        return (
            Occurrence.objects.filter(roster_q(viewer) | hosted_q([viewer.pk]))
            .select_related("program", "series")
            .get(pk=occurrence_id)
        )
    except (Occurrence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_room_host(occurrence: Occurrence, person) -> bool:
    """A host of the session who is a clinician (or program admin) of its program."""
    if not person.is_authenticated:
        return False
    staff = program_ids_where(person, Role.CLINICIAN, Role.ADMIN)
    return occurrence.program_id in staff and hosts_for_occurrence(occurrence).filter(pk=person.pk).exists()


def may_enter(occurrence: Occurrence, person) -> bool:
    return is_room_host(occurrence, person) or is_on_roster(occurrence, person)


def people_count(occurrence: Occurrence) -> int:
    """How many people the room is for: the roster and the hosts."""
    roster = set(roster_for_occurrence(occurrence).values_list("pk", flat=True))
    return len(roster | set(hosts_for_occurrence(occurrence).values_list("pk", flat=True)))


def auto_admits(occurrence: Occurrence) -> bool:
    """Social events let people straight in; clinical sessions use the waiting room."""
    return occurrence.kind in SOCIAL_KINDS


@dataclass(frozen=True)
class Window:
    opens_at: datetime.datetime
    closes_at: datetime.datetime


def room_window(occurrence: Occurrence) -> Window:
    return Window(
        opens_at=occurrence.starts_at - datetime.timedelta(minutes=conf.open_minutes_before()),
        closes_at=occurrence.ends_at + datetime.timedelta(minutes=conf.close_minutes_after()),
    )


def room_is_open(occurrence: Occurrence, room: Room | None, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if occurrence.cancelled_at is not None or (room is not None and room.ended_at is not None):
        return False
    window = room_window(occurrence)
    return window.opens_at <= now < window.closes_at


def room_for(occurrence: Occurrence) -> Room | None:
    return Room.objects.filter(occurrence=occurrence).first()


def seat_of(room: Room, person) -> Seat | None:
    return Seat.objects.filter(room=room, person=person).first()


def _person(seat: Seat) -> dict:
    return {"id": seat.person_id, "name": seat.person.display_name, "host": seat.is_host}


def peers_in(room: Room, *, exclude_id: int | None = None) -> list[dict]:
    """Admitted people with an open connection, as the call shows them."""
    seats = (
        Seat.objects.filter(room=room, state=SeatState.ADMITTED, connections__gt=0)
        .exclude(person_id=exclude_id)
        .select_related("person")
        .order_by("pk")
    )
    # "feed": the Janus publisher id the server gave each seat; pages map feeds to people by it.
    return [{**_person(seat), "feed": seat.media_feed_id, "hand": seat.hand_raised} for seat in seats]


def waiting_queue(room: Room) -> list[dict]:
    """People in the waiting room, in arrival order (hosts see this list)."""
    seats = (
        Seat.objects.filter(room=room, state=SeatState.WAITING, connections__gt=0)
        .select_related("person")
        .order_by("updated_at", "pk")
    )
    return [{**_person(seat), "removed_before": seat.was_removed} for seat in seats]


def admitted_count(room: Room) -> int:
    return Seat.objects.filter(room=room, state=SeatState.ADMITTED, connections__gt=0).count()


def stays_for_occurrence(occurrence: Occurrence) -> dict[int, Seat]:
    room = room_for(occurrence)
    if room is None:
        return {}
    return {seat.person_id: seat for seat in Seat.objects.filter(room=room).filter(~Q(stay_started_at=None))}
