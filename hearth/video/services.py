"""Every write to video rooms: join tokens, the waiting room, host and participant controls, stays.

Each write is transactional, audited where it concerns a person, and publishes to the room's
channel-layer groups on commit. Presence feeds attendance through scheduling's service."""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.messaging.models import Kind as ConversationKind
from hearth.messaging.selectors import member_for
from hearth.messaging.services import MessagingError, conversation_create, member_add, member_remove
from hearth.scheduling.models import Occurrence
from hearth.scheduling.selectors import hosts_for_occurrence, is_on_roster, roster_for_occurrence
from hearth.scheduling.services import attendance_record_presence

from . import conf, events
from .backends import backend_of, choose_backend, new_media_secret
from .janus import JanusError
from .models import Room, Seat, SeatState, UsedJoinToken
from .selectors import (
    admitted_count,
    auto_admits,
    is_room_host,
    may_enter,
    peers_in,
    people_count,
    room_is_open,
    waiting_queue,
)

logger = logging.getLogger(__name__)
TOKEN_SALT = "hearth.video.join"


class VideoError(Exception):
    """A refusal a person can act on: ``code`` for programs, ``message`` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _closed() -> VideoError:
    return VideoError("room_closed", _("This room is closed. It opens a few minutes before the session starts."))


def _locked() -> VideoError:
    return VideoError("room_locked", _("The host has locked this room. Ask the host to unlock it."))


def _not_on_roster() -> VideoError:
    return VideoError("not_on_roster", _("You are not on the list for this session."))


def _room(occurrence: Occurrence) -> Room:
    """The occurrence's room, made on first use with the backend its size calls for."""
    room = Room.objects.filter(occurrence=occurrence).first()
    if room is not None:
        return room
    room, created = Room.objects.get_or_create(
        occurrence=occurrence,
        defaults={"backend": choose_backend(people_count(occurrence)), "media_secret": new_media_secret()},
    )
    if created:
        try:
            backend_of(room).room_open(room)
        except JanusError as exc:
            logger.error("video: could not open the media room of room %s: %s", room.pk, exc)
            room.delete()
            raise VideoError(
                "media_unavailable", _("Video is not available right now. Please try again soon.")
            ) from None
    return room


def media_for(room: Room, seat: Seat) -> dict:
    """What the person's browser needs to send and receive media (never a server secret)."""
    try:
        return backend_of(room).admitted(room, seat)
    except JanusError as exc:
        logger.error("video: media config for seat %s failed: %s", seat.pk, exc)
        return {"backend": room.backend, "error": "media_unavailable"}


def _capacity(room: Room) -> int:
    return backend_of(room).capacity()


# --- join tokens --------------------------------------------------------------------------------


def join_token_issue(*, actor, occurrence: Occurrence) -> str:
    """A short-lived, single-use token for one person and one room. Only for people who may enter
    a room that is open (and, when it is locked, only for people already in the call)."""
    if not may_enter(occurrence, actor):
        raise _not_on_roster()
    room = _room(occurrence)
    if not room_is_open(occurrence, room):
        raise _closed()
    seat = Seat.objects.filter(room=room, person=actor).first()
    host = is_room_host(occurrence, actor)
    if room.locked and not host and (seat is None or seat.state != SeatState.ADMITTED):
        raise _locked()
    payload = {"o": occurrence.pk, "p": actor.pk, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=False)


def _token_payload(token: str) -> dict:
    if not isinstance(token, str) or not token or len(token) > 512:
        raise VideoError("token_invalid", _("This join link is not valid. Go back to the session and join again."))
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=conf.join_token_seconds())
    except signing.SignatureExpired:
        raise VideoError("token_expired", _("This join link has expired. Join again from the session page.")) from None
    except signing.BadSignature:
        raise VideoError(
            "token_invalid", _("This join link is not valid. Go back to the session and join again.")
        ) from None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), int | str) for k in ("o", "p", "n")):
        raise VideoError("token_invalid", _("This join link is not valid. Go back to the session and join again."))
    return payload


@dataclass
class Joined:
    room: Room
    seat: Seat
    host: bool


def room_join(*, actor, occurrence: Occurrence, token: str) -> Joined:
    """Spend a join token and take a seat: hosts go straight in, people already admitted come back
    in, social events admit by themselves, and everyone else waits for a host."""
    payload = _token_payload(token)
    if payload["o"] != occurrence.pk or payload["p"] != actor.pk:
        raise VideoError("token_invalid", _("This join link is for someone else or another room."))
    host = is_room_host(occurrence, actor)
    if not host and not is_on_roster(occurrence, actor):
        raise _not_on_roster()
    now = timezone.now()
    room = _room(occurrence)
    # Spent before anything else is checked, in its own transaction: a refused attempt uses it up too.
    try:
        with transaction.atomic():
            UsedJoinToken.objects.create(nonce=str(payload["n"])[:32], room=room, person=actor)
    except IntegrityError:
        raise VideoError(
            "token_used", _("This join link was already used. Join again from the session page.")
        ) from None
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        if not room_is_open(occurrence, room, now):
            raise _closed()
        seat, _created = Seat.objects.select_for_update().get_or_create(
            room=room, person=actor, defaults={"is_host": host}
        )
        if room.locked and not host and seat.state != SeatState.ADMITTED:
            raise _locked()
        seat.is_host = host
        if host:
            seat.state = SeatState.ADMITTED
        elif seat.state == SeatState.ADMITTED:
            pass  # a reconnect: still admitted
        elif auto_admits(occurrence) and not seat.was_removed and admitted_count(room) < _capacity(room):
            seat.state = SeatState.ADMITTED
        else:
            seat.state = SeatState.WAITING
        seat.connections += 1
        if seat.state == SeatState.ADMITTED and seat.connections == 1:
            _stay_begin(seat, now)
        seat.updated_at = now
        seat.save()
        if host and room.conversation_id is None:
            _session_chat_open(room, host=actor)
        audit_record(
            actor=actor,
            action="video.room.joined",
            subject=actor,
            obj=room,
            data={"occurrence": occurrence.pk, "state": seat.state},
        )
        _after_commit_seat_changed(room, seat)
    return Joined(room=room, seat=seat, host=host)


# --- the in-room chat (a messaging conversation) -------------------------------------------------


def _session_chat_open(room: Room, *, host) -> None:
    """The session's chat, started by the first host to arrive, with the roster and the hosts."""
    occurrence = room.occurrence
    people = {person.pk: person for person in roster_for_occurrence(occurrence)}
    people.update({person.pk: person for person in hosts_for_occurrence(occurrence)})
    try:
        with transaction.atomic():
            conversation = conversation_create(
                actor=host,
                program=occurrence.program,
                kind=ConversationKind.SESSION,
                title=occurrence.title,
                members=list(people.values()),
            )
    except MessagingError as exc:
        logger.warning("video: no session chat for room %s: %s", room.pk, exc.code)
        return
    room.conversation = conversation
    room.save(update_fields=["conversation"])


def _session_chat_member(room: Room, *, host, person, member: bool) -> None:
    conversation = room.conversation
    if conversation is None:
        return
    try:
        with transaction.atomic():
            is_member = member_for(viewer=person, conversation=conversation) is not None
            if member and not is_member:
                member_add(actor=host, conversation=conversation, user=person)
            elif not member and is_member:
                member_remove(actor=host, conversation=conversation, user=person)
    except MessagingError as exc:
        logger.warning("video: session chat membership in room %s unchanged: %s", room.pk, exc.code)


# --- stays -> attendance ------------------------------------------------------------------------


def _stay_begin(seat: Seat, now: datetime.datetime) -> None:
    grace = datetime.timedelta(seconds=conf.reconnect_grace_seconds())
    if seat.stay_started_at is None or seat.stay_left_at is None or now - seat.stay_left_at > grace:
        seat.stay_started_at = now
    seat.stay_left_at = None
    seat.connected_at = now


def _stay_end(seat: Seat, now: datetime.datetime, occurrence: Occurrence) -> None:
    """Close the connected stretch and record the stay with attendance. The stay keeps its first
    join time across reconnects, so the recorded stretches overlap and merge into one."""
    if seat.connected_at is None:
        return
    seat.seconds_present += max(0, int((now - seat.connected_at).total_seconds()))
    seat.connected_at = None
    seat.stay_left_at = now
    if seat.stay_started_at is None or seat.is_host:
        return
    try:
        attendance_record_presence(
            occurrence=occurrence, person=seat.person, joined_at=seat.stay_started_at, left_at=now
        )
    except ValidationError:
        # Not on the roster any more (hosts never are): the stay is still kept on the seat.
        logger.info("video: presence of seat %s not recorded as attendance", seat.pk)


def _own_seat(room: Room, actor) -> Seat | None:
    return Seat.objects.select_for_update().select_related("room__occurrence").filter(room=room, person=actor).first()


# --- leaving ------------------------------------------------------------------------------------


def room_disconnect(*, actor, room: Room) -> None:
    """A socket closed (network drop, tab closed). The seat stays admitted so an automatic
    reconnection comes straight back; the stay is closed and recorded. The person's media token
    lives on through the reconnect grace, then media_sweep revokes it."""
    now = timezone.now()
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update().select_related("room__occurrence").filter(room=room, person=actor).first()
        )
        if seat is None or seat.connections == 0:
            return
        seat.connections -= 1
        was_admitted = seat.state == SeatState.ADMITTED
        if seat.connections == 0:
            if seat.state == SeatState.ADMITTED:
                _stay_end(seat, now, seat.room.occurrence)
                seat.hand_raised = False
            elif seat.state == SeatState.WAITING:
                seat.state = SeatState.LEFT
        seat.updated_at = now
        seat.save()
        _after_commit_seat_changed(room, seat, left=was_admitted and seat.connections == 0)


def room_leave(*, actor, room: Room) -> None:
    """The person pressed Leave: they are out of the call until a host admits them again."""
    now = timezone.now()
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update().select_related("room__occurrence").filter(room=room, person=actor).first()
        )
        if seat is None:
            return
        was_admitted = seat.state == SeatState.ADMITTED
        if was_admitted:
            _stay_end(seat, now, seat.room.occurrence)
        seat.state = SeatState.LEFT if not seat.is_host else SeatState.ADMITTED
        seat.hand_raised = False
        seat.updated_at = now
        seat.save()
        audit_record(actor=actor, action="video.room.left", subject=actor, obj=room, data={})
        _after_commit_seat_changed(room, seat, left=was_admitted)
        # Leaving ends the person's media at once: their token opens nothing, their feed goes.
        transaction.on_commit(lambda: _media_revoke(room, seat))


# --- host controls ------------------------------------------------------------------------------


def _require_host(actor, room: Room) -> None:
    if not is_room_host(room.occurrence, actor):
        raise VideoError("not_host", _("Only the host can do that."))


def _target_seat(room: Room, person_id: int) -> Seat:
    seat = Seat.objects.select_for_update().select_related("person").filter(room=room, person_id=person_id).first()
    if seat is None:
        raise VideoError("person_not_found", _("That person is not in this room."))
    return seat


def seat_admit(*, actor, room: Room, person_id: int) -> Seat:
    _require_host(actor, room)
    now = timezone.now()
    with transaction.atomic():
        Room.objects.select_for_update().get(pk=room.pk)
        seat = _target_seat(room, person_id)
        if seat.state == SeatState.ADMITTED:
            return seat
        if seat.state != SeatState.WAITING or seat.connections == 0:
            raise VideoError("not_waiting", _("That person is not in the waiting room any more."))
        if admitted_count(room) >= _capacity(room):
            raise VideoError(
                "room_full",
                _("The room is full (%(max)s people). Someone has to leave first.") % {"max": _capacity(room)},
            )
        seat.state = SeatState.ADMITTED
        seat.admitted_by = actor
        _stay_begin(seat, now)
        seat.updated_at = now
        seat.save()
        audit_record(actor=actor, action="video.seat.admitted", subject=seat.person, obj=room, data={})
        _session_chat_member(room, host=actor, person=seat.person, member=True)
        _after_commit_seat_changed(room, seat)
    return seat


def seat_remove(*, actor, room: Room, person_id: int) -> Seat:
    """Take a person out of the call. They can come back only if a host admits them again."""
    _require_host(actor, room)
    now = timezone.now()
    with transaction.atomic():
        seat = _target_seat(room, person_id)
        if seat.is_host:
            raise VideoError("cannot_remove_host", _("A host cannot be removed."))
        was_admitted = seat.state == SeatState.ADMITTED
        if was_admitted:
            _stay_end(seat, now, room.occurrence)
        seat.state = SeatState.REMOVED
        seat.was_removed = True
        seat.hand_raised = False
        seat.updated_at = now
        seat.save()
        audit_record(actor=actor, action="video.seat.removed", subject=seat.person, obj=room, data={})
        _session_chat_member(room, host=actor, person=seat.person, member=False)
        _after_commit_seat_changed(room, seat, left=was_admitted)
        transaction.on_commit(lambda: _media_revoke(room, seat))
    return seat


def room_lock(*, actor, room: Room, locked: bool) -> Room:
    _require_host(actor, room)
    with transaction.atomic():
        room = Room.objects.select_for_update().select_related("occurrence").get(pk=room.pk)
        room.locked = locked
        room.save(update_fields=["locked"])
        audit_record(actor=actor, action="video.room.locked" if locked else "video.room.unlocked", obj=room, data={})
        frame = {"type": "locked", "locked": locked}
        transaction.on_commit(lambda: events.publish(events.room_group(room.pk), frame))
    return room


def hands_lower(*, actor, room: Room) -> int:
    _require_host(actor, room)
    with transaction.atomic():
        lowered = Seat.objects.filter(room=room, hand_raised=True).update(hand_raised=False, updated_at=timezone.now())
        transaction.on_commit(lambda: events.publish(events.room_group(room.pk), {"type": "hands_lowered"}))
    return lowered


def mute_ask(*, actor, room: Room, person_id: int) -> None:
    """Ask someone to mute. Only they can mute their microphone: Hearth never controls it remotely."""
    _require_host(actor, room)
    seat = Seat.objects.filter(room=room, person_id=person_id, state=SeatState.ADMITTED).first()
    if seat is None:
        raise VideoError("person_not_found", _("That person is not in the call."))
    events.publish(events.person_group(room.pk, person_id), {"type": "ask_mute", "by": actor.display_name})


def room_end(*, actor, room: Room) -> Room:
    """End the session for everyone: every stay is recorded and the room closes for good."""
    _require_host(actor, room)
    now = timezone.now()
    with transaction.atomic():
        room = Room.objects.select_for_update().select_related("occurrence").get(pk=room.pk)
        room.ended_at = now
        room.save(update_fields=["ended_at"])
        for seat in Seat.objects.select_for_update().select_related("person").filter(room=room):
            if seat.state == SeatState.ADMITTED:
                _stay_end(seat, now, room.occurrence)
            seat.state = SeatState.LEFT
            seat.hand_raised = False
            seat.updated_at = now
            seat.save()
        audit_record(actor=actor, action="video.room.ended", obj=room, data={"occurrence": room.occurrence_id})
        transaction.on_commit(lambda: events.publish(events.room_group(room.pk), {"type": "ended"}, ended=True))
        transaction.on_commit(lambda: _media_close(room))
    return room


def media_sweep(*, now: datetime.datetime | None = None) -> int:
    """Revoke the media of everyone disconnected for longer than the reconnect grace (a periodic
    job): a token that outlives its socket must not keep opening the call. Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=conf.reconnect_grace_seconds())
    seats = (
        Seat.objects.filter(connections=0, updated_at__lte=cutoff)
        .exclude(media_token="")
        .select_related("room")
        .order_by("pk")
    )
    count = 0
    for seat in seats:
        _media_revoke(seat.room, seat)
        count += 1
    return count


def _media_revoke(room: Room, seat: Seat) -> None:
    try:
        backend_of(room).revoke(room, seat)
    except JanusError as exc:
        logger.error("video: could not revoke the media token of seat %s: %s", seat.pk, exc)


def _media_close(room: Room) -> None:
    try:
        backend_of(room).room_close(room)
    except JanusError as exc:
        logger.error("video: could not close the media room of room %s: %s", room.pk, exc)


# --- participant controls -----------------------------------------------------------------------


def hand_set(*, actor, room: Room, raised: bool) -> None:
    with transaction.atomic():
        seat = Seat.objects.select_for_update().filter(room=room, person=actor, state=SeatState.ADMITTED).first()
        if seat is None:
            raise VideoError("not_admitted", _("You are not in the call yet."))
        seat.hand_raised = raised
        seat.save(update_fields=["hand_raised"])
        frame = {"type": "hand", "id": actor.pk, "name": actor.display_name, "raised": raised}
        transaction.on_commit(lambda: events.publish(events.room_group(room.pk), frame, admitted_only=True))


# --- events -------------------------------------------------------------------------------------


def _after_commit_seat_changed(room: Room, seat: Seat, *, left: bool = False) -> None:
    """Tell the person, the call and the hosts what changed for one seat."""

    def publish():
        person = {
            "id": seat.person_id,
            "name": seat.person.display_name,
            "host": seat.is_host,
            "feed": seat.media_feed_id,
        }
        if seat.state == SeatState.ADMITTED and not left:
            events.publish(
                events.person_group(room.pk, seat.person_id),
                {
                    "type": "admitted",
                    "peers": peers_in(room, exclude_id=seat.person_id),
                    "media": media_for(room, seat),
                },
                state=SeatState.ADMITTED,
            )
            events.publish(
                events.room_group(room.pk),
                {"type": "peer_joined", "peer": {**person, "hand": seat.hand_raised}},
                admitted_only=True,
                peer_joined=seat.person_id,
            )
        elif seat.state == SeatState.REMOVED:
            events.publish(
                events.person_group(room.pk, seat.person_id),
                {"type": "removed", "message": _("The host removed you from this call.")},
                state=SeatState.REMOVED,
            )
        if left:
            events.publish(
                events.room_group(room.pk),
                {
                    "type": "peer_left",
                    "id": seat.person_id,
                    "name": person["name"],
                    "removed": seat.state == SeatState.REMOVED,
                },
                admitted_only=True,
                peer_left=seat.person_id,
            )
        events.publish(events.hosts_group(room.pk), {"type": "queue", "waiting": waiting_queue(room)})

    transaction.on_commit(publish)
