"""Media backends behind one interface, chosen per deployment and per room size.

*mesh*: browsers connect to each other; Hearth's socket only relays signalling (small rooms, no
extra server). *janus*: Janus VideoRoom as SFU; Hearth creates and destroys the room and hands
each admitted person a Janus token (never a Janus secret) plus short-lived TURN credentials."""

import secrets

from . import conf
from .janus import JanusClient
from .models import Room
from .turn import turn_credential

MESH, JANUS, AUTO = "mesh", "janus", "auto"


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

    def removed(self, room: Room, seat) -> None:
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
            room=room.pk, secret=room.media_secret, publishers=self.capacity(), description=f"hearth-{room.pk}"
        )

    def admitted(self, room: Room, seat) -> dict:
        client = self.client()
        token = client.person_token(room=room.pk, secret=room.media_secret)
        previous = seat.__class__.objects.filter(pk=seat.pk).values_list("media_token", flat=True).first()
        seat.__class__.objects.filter(pk=seat.pk).update(media_token=token)
        seat.media_token = token
        if previous:  # a reconnection: the token of the earlier connection opens nothing new
            client.room_disallow(room=room.pk, secret=room.media_secret, tokens=[previous])
            client.token_remove(previous)
        return {
            "backend": JANUS,
            "server": conf.janus_public_url(),
            "room": room.pk,
            "token": token,
            "ice_servers": _ice_servers(seat.person_id),
        }

    def removed(self, room: Room, seat) -> None:
        """The person's Janus token stops opening anything, so they cannot publish or subscribe again."""
        if not seat.media_token:
            return
        client = self.client()
        client.room_disallow(room=room.pk, secret=room.media_secret, tokens=[seat.media_token])
        client.token_remove(seat.media_token)
        # A revoked token does not end a session already open: kick what the person publishes
        # (Hearth's page publishes under the person's id as its display name).
        for participant in client.room_participants(room=room.pk):
            if participant.get("display") == str(seat.person_id):
                client.room_kick(room=room.pk, secret=room.media_secret, participant=participant["id"])

    def room_close(self, room: Room) -> None:
        client = self.client()
        client.room_destroy(room=room.pk, secret=room.media_secret)
        for token in room.seats.exclude(media_token="").values_list("media_token", flat=True):
            client.token_remove(token)


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
