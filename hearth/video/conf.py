"""Video settings with their defaults; each can be set in Django settings (and so from the environment)."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def open_minutes_before() -> int:
    """The room opens this many minutes before the session starts."""
    return int(_get("VIDEO_OPEN_MINUTES_BEFORE", 10))


def close_minutes_after() -> int:
    """The room closes this many minutes after the session ends."""
    return int(_get("VIDEO_CLOSE_MINUTES_AFTER", 30))


def mesh_max_people() -> int:
    """Browser-to-browser calls grow as n²: above this many people a room needs the SFU."""
    return int(_get("VIDEO_MESH_MAX_PEOPLE", 4))


def join_token_seconds() -> int:
    return int(_get("VIDEO_JOIN_TOKEN_SECONDS", 60))


def reconnect_grace_seconds() -> int:
    """A reconnect within this long continues the same stay (attendance is not split)."""
    return int(_get("VIDEO_RECONNECT_GRACE_SECONDS", 120))


def max_sdp_bytes() -> int:
    return int(_get("VIDEO_MAX_SDP_BYTES", 32 * 1024))


def ice_servers() -> list[dict]:
    """STUN/TURN servers handed to browsers (mesh); empty means host candidates only."""
    return list(_get("VIDEO_ICE_SERVERS", []))


def turn_secret() -> str:
    return str(_get("VIDEO_TURN_SECRET", ""))


def turn_urls() -> list[str]:
    return list(_get("VIDEO_TURN_URLS", []))


def turn_ttl_seconds() -> int:
    return int(_get("VIDEO_TURN_TTL_SECONDS", 3600))


def backend_name() -> str:
    """ "mesh", "janus", or "auto" (mesh up to mesh_max_people() on the roster, Janus above)."""
    return str(_get("VIDEO_BACKEND", "mesh"))


def janus_max_people() -> int:
    return int(_get("VIDEO_JANUS_MAX_PEOPLE", 25))


def janus_bitrate() -> int:
    """The most video each person sends through Janus, in bits per second. Janus forwards every
    stream to everyone else, so each person receives (people - 1) times this: 12 people at the
    default are about 2.8 Mbit/s down. 0 lets browsers send what they like (often 1.5–2.5 Mbit/s)."""
    return max(0, int(_get("VIDEO_JANUS_BITRATE", 256_000)))


def janus_settings():
    from .janus import JanusSettings

    return JanusSettings(
        url=str(_get("VIDEO_JANUS_URL", "http://127.0.0.1:8088/janus")),
        admin_url=str(_get("VIDEO_JANUS_ADMIN_URL", "http://127.0.0.1:7088/admin")),
        admin_secret=str(_get("VIDEO_JANUS_ADMIN_SECRET", "")),
        admin_key=str(_get("VIDEO_JANUS_ADMIN_KEY", "")),
    )


def janus_public_url() -> str:
    """Where browsers reach Janus's API (nginx proxies it on the site's own origin)."""
    return str(_get("VIDEO_JANUS_PUBLIC_URL", "/janus"))


def rate_limit() -> tuple[int, int]:
    """Frames a connection may send per window (seconds); ICE candidates come in bursts."""
    return int(_get("VIDEO_RATE_LIMIT", 300)), int(_get("VIDEO_RATE_WINDOW", 10))
