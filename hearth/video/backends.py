"""Media backends behind one interface, chosen per deployment and per room size.

*mesh*: browsers connect to each other; Hearth's socket only relays signalling (small rooms, no
extra server). *janus*: Janus VideoRoom as SFU; Hearth creates and destroys the room and hands
each admitted person a Janus token (never a Janus secret) plus short-lived TURN credentials."""

import secrets

from . import conf
from .janus import JanusClient, JanusError
from .models import Room, Seat, SeatState
from .turn import turn_credential

MESH, JANUS, AUTO = "mesh", "janus", "auto"
NO_SUCH_ROOM = 426  # JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM


def _ice_servers(person_id: int) -> list[dict]:
    servers = conf.ice_servers()
    if conf.turn_secret() and conf.turn_urls():
        servers = [*servers, turn_credential(user_id=person_id).as_ice_server()]
    return servers


class MeshBackend:
    name = MESH

    def capacity(self) -> int:
        return conf.mesh_max_people()

    def room_open(self, room: Room) -> None:
        return None

    def admitted(self, room: Room, seat) -> dict:
        return {"backend": MESH, "ice_servers": _ice_servers(seat.person_id)}

    def revoke(self, room: Room, seat) -> None:
        return None

    def room_close(self, room: Room) -> None:
        return None


class JanusBackend:
    name = JANUS
    _client: JanusClient | None = None

    @classmethod
    def client(cls) -> JanusClient:
        # One client per process: it holds Hearth's own API token.
        if cls._client is None or cls._client.settings != conf.janus_settings():
            cls._client = JanusClient(conf.janus_settings())
        return cls._client

    def capacity(self) -> int:
        return conf.janus_max_people()

    def room_open(self, room: Room) -> None:
        self.client().room_create(
            room=room.pk,
            secret=room.media_secret,
            publishers=self.capacity(),
            description=f"hearth-{room.pk}",
            bitrate=conf.janus_bitrate(),
        )

    def admitted(self, room: Room, seat) -> dict:
        client = self.client()
        token = client.person_token(room=room.pk, secret=room.media_secret)
        previous = Seat.objects.filter(pk=seat.pk).values_list("media_token", flat=True).first()
        Seat.objects.filter(pk=seat.pk).update(media_token=token)
        seat.media_token = token
        if previous:  # a reconnection: the token of the earlier connection opens nothing new
            self._token_revoke(client, room, previous)
        # An earlier connection may still publish under this person's feed id (its Janus session
        # outlives a dropped socket): it goes, so the new connection can publish under it.
        self._kick(client, room, lambda feed: feed == seat.media_feed_id)
        return {
            "backend": JANUS,
            "server": conf.janus_public_url(),
            "room": room.pk,
            "token": token,
            "feed": seat.media_feed_id,
            "ice_servers": _ice_servers(seat.person_id),
        }

    def revoke(self, room: Room, seat) -> None:
        """The person's Janus token stops opening anything, and what they publish leaves the room.

        A revoked token does not end a Janus session already open, so the feed is kicked too: by the
        feed id the server gave the seat, never by the ``display`` the client chose. Any feed no
        admitted person owns (published under an id the server never gave out) goes with it."""
        client = self.client()
        token = Seat.objects.filter(pk=seat.pk).values_list("media_token", flat=True).first()
        if token:
            self._token_revoke(client, room, token)
            Seat.objects.filter(pk=seat.pk, media_token=token).update(media_token="")
        seat.media_token = ""
        owned = set(
            Seat.objects.filter(room=room, state=SeatState.ADMITTED)
            .exclude(pk=seat.pk)
            .exclude(media_token="")
            .values_list("media_feed_id", flat=True)
        )
        self._kick(client, room, lambda feed: feed == seat.media_feed_id or feed not in owned)

    @staticmethod
    def _token_revoke(client: JanusClient, room: Room, token: str) -> None:
        try:
            client.room_disallow(room=room.pk, secret=room.media_secret, tokens=[token])
        except JanusError as exc:
            if exc.code != NO_SUCH_ROOM:  # the room is gone already: nothing left to disallow
                raise
        client.token_remove(token)

    @staticmethod
    def _kick(client: JanusClient, room: Room, doomed) -> None:
        try:
            participants = client.room_participants(room=room.pk)
        except JanusError as exc:
            if exc.code == NO_SUCH_ROOM:
                return
            raise
        for participant in participants:
            if doomed(participant.get("id")):
                client.room_kick(room=room.pk, secret=room.media_secret, participant=participant["id"])

    def room_close(self, room: Room) -> None:
        client = self.client()
        client.room_destroy(room=room.pk, secret=room.media_secret)
        for token in room.seats.exclude(media_token="").values_list("media_token", flat=True):
            client.token_remove(token)
        room.seats.update(media_token="")


BACKENDS = {MESH: MeshBackend(), JANUS: JanusBackend()}


def choose_backend(roster_size: int) -> str:
    name = conf.backend_name()
    if name == AUTO:
        return MESH if roster_size <= conf.mesh_max_people() else JANUS
    if name not in BACKENDS:
        raise ValueError(f"VIDEO_BACKEND must be mesh, janus or auto, not {name!r}")
    return name


def backend_of(room: Room):
    return BACKENDS.get(room.backend, BACKENDS[MESH])


def new_media_secret() -> str:
    return secrets.token_urlsafe(24)
