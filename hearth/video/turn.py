"""Time-limited TURN credentials in coturn's ``use-auth-secret`` (TURN REST API) scheme.

coturn checks ``password == base64(HMAC-SHA1(static-auth-secret, username))`` and refuses the
credential once the ``expiry`` in ``username = "<expiry>:<user id>"`` has passed. The shared secret
stays on the server; browsers only ever see the derived, expiring pair."""

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from . import conf


@dataclass(frozen=True)
class TurnCredential:
    username: str
    password: str
    ttl: int
    urls: tuple[str, ...]

    def as_ice_server(self) -> dict:
        return {"urls": list(self.urls), "username": self.username, "credential": self.password}


def turn_password(secret: str, username: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def turn_credential(
    *, user_id: int, secret: str | None = None, ttl: int | None = None, now: float | None = None, urls=None
) -> TurnCredential:
    secret = conf.turn_secret() if secret is None else secret
    if not secret:
        raise ValueError("VIDEO_TURN_SECRET is not set")
    ttl = conf.turn_ttl_seconds() if ttl is None else ttl
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}:{user_id}"
    return TurnCredential(
        username=username,
        password=turn_password(secret, username),
        ttl=ttl,
        urls=tuple(conf.turn_urls() if urls is None else urls),
    )
