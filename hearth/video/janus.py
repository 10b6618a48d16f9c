"""Hearth's server-side client for Janus 1.1 (HTTP API and Admin API) and its VideoRoom plugin.

Hearth creates and destroys VideoRoom rooms with the plugin's ``admin_key`` and a per-room secret,
and lets people in with tokens: each admitted person gets a random token that Hearth registers
with Janus (core ``token_auth`` through the Admin API, restricted to the VideoRoom plugin) and
adds to the room's ``allowed`` list. Neither the admin key, the admin secret nor the room secret
ever reaches a browser. Standard library only: one short JSON request at a time."""

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

VIDEOROOM = "janus.plugin.videoroom"


class JanusError(Exception):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


@dataclass
class JanusSettings:
    url: str  # e.g. http://127.0.0.1:8088/janus (loopback; nginx publishes it)
    admin_url: str  # e.g. http://127.0.0.1:7088/admin (never published)
    admin_secret: str
    admin_key: str  # the VideoRoom plugin's admin_key
    timeout: float = 5.0


def _transaction() -> str:
    return secrets.token_hex(8)


class JanusClient:
    def __init__(self, settings: JanusSettings):
        self.settings = settings
        self._service_token: str | None = None

    # --- transport -------------------------------------------------------------------------

    def _post(self, url: str, payload: dict) -> dict:
        request = urllib.request.Request(  # noqa: S310 (a configured http(s) URL)
            url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:  # noqa: S310
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise JanusError(f"Janus is not reachable: {exc}") from exc
        if answer.get("janus") == "error":
            error = answer.get("error", {})
            raise JanusError(error.get("reason", "Janus error"), error.get("code"))
        return answer

    def _admin(self, request: str, **fields) -> dict:
        payload = {"janus": request, "transaction": _transaction(), "admin_secret": self.settings.admin_secret}
        return self._post(self.settings.admin_url, {**payload, **fields})

    # --- tokens (core token_auth) ----------------------------------------------------------

    def token_add(self, token: str, plugins=(VIDEOROOM,)) -> None:
        self._admin("add_token", token=token, plugins=list(plugins))

    def token_remove(self, token: str) -> None:
        try:
            self._admin("remove_token", token=token)
        except JanusError as exc:
            if exc.code != 470:  # JANUS_ERROR_TOKEN_NOT_FOUND: already gone
                raise

    def service_token(self) -> str:
        """Hearth's own token for the API (Janus asks every request for one when token_auth is on)."""
        if self._service_token is None:
            token = secrets.token_urlsafe(24)
            self.token_add(token)
            self._service_token = token
        return self._service_token

    # --- sessions and the VideoRoom plugin -------------------------------------------------

    def _videoroom(self, body: dict) -> dict:
        """One synchronous VideoRoom request on a short-lived session and handle."""
        token = self.service_token()
        base = self.settings.url.rstrip("/")
        session = self._post(base, {"janus": "create", "transaction": _transaction(), "token": token})["data"]["id"]
        try:
            handle = self._post(
                f"{base}/{session}",
                {"janus": "attach", "plugin": VIDEOROOM, "transaction": _transaction(), "token": token},
            )["data"]["id"]
            answer = self._post(
                f"{base}/{session}/{handle}",
                {"janus": "message", "body": body, "transaction": _transaction(), "token": token},
            )
        finally:
            try:
                self._post(f"{base}/{session}", {"janus": "destroy", "transaction": _transaction(), "token": token})
            except JanusError:
                pass
        data = answer.get("plugindata", {}).get("data", {})
        if "error" in data:
            raise JanusError(data["error"], data.get("error_code"))
        return data

    def room_create(self, *, room: int, secret: str, publishers: int, description: str = "", bitrate: int = 0) -> dict:
        """``bitrate``: the most each publisher may send, in bits per second (Janus asks publishers
        for it with REMB; ``bitrate_cap`` keeps them from raising it). 0: no limit."""
        return self._videoroom(
            {
                "request": "create",
                "admin_key": self.settings.admin_key,
                "room": room,
                "secret": secret,
                "description": description[:60],
                "publishers": publishers,
                "bitrate": bitrate,
                "bitrate_cap": bitrate > 0,
                "is_private": True,
                "permanent": False,
                "record": False,  # Hearth never records
                "allowed": [],
            }
        )

    def room_settings(self, *, room: int) -> dict | None:
        """The room as Janus describes it (publishers, bitrate…); private rooms need the admin key."""
        rooms = self._videoroom({"request": "list", "admin_key": self.settings.admin_key}).get("list", [])
        return next((entry for entry in rooms if entry.get("room") == room), None)

    def room_exists(self, *, room: int) -> bool:
        return bool(self._videoroom({"request": "exists", "room": room}).get("exists"))

    def room_allow(self, *, room: int, secret: str, tokens: list[str]) -> None:
        self._videoroom({"request": "allowed", "room": room, "secret": secret, "action": "add", "allowed": tokens})

    def room_disallow(self, *, room: int, secret: str, tokens: list[str]) -> None:
        self._videoroom({"request": "allowed", "room": room, "secret": secret, "action": "remove", "allowed": tokens})

    def room_kick(self, *, room: int, secret: str, participant: int) -> None:
        self._videoroom({"request": "kick", "room": room, "secret": secret, "id": participant})

    def room_participants(self, *, room: int) -> list[dict]:
        return self._videoroom({"request": "listparticipants", "room": room}).get("participants", [])

    def room_destroy(self, *, room: int, secret: str) -> None:
        try:
            self._videoroom({"request": "destroy", "room": room, "secret": secret, "permanent": False})
        except JanusError as exc:
            if exc.code != 426:  # JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM: already gone
                raise

    def person_token(self, *, room: int, secret: str) -> str:
        """A new token that opens the Janus API (VideoRoom only) and this one room."""
        token = secrets.token_urlsafe(24)
        self.token_add(token)
        self.room_allow(room=room, secret=secret, tokens=[token])
        return token
