"""Embedded: one machine, SQLite under var/, in-memory channel layer, Huey on SQLite, console + file mail.

Secrets that the environment does not provide are generated once into var/ (never committed),
so a fresh checkout runs with no setup and keeps its encrypted data readable across restarts.
"""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, SECRET_KEY, VAR_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = env("EMAIL_BACKEND", "hearth.core.mail.ConsoleAndFileEmailBackend")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://127.0.0.1 in the embedded server
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "mail").mkdir(exist_ok=True)


def _local_secret(name: str, make) -> str:
    path = Path(VAR_DIR) / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


if SECRET_KEY.startswith("insecure"):
    SECRET_KEY = _local_secret("secret-key", lambda: secrets.token_urlsafe(64))
if not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = [_local_secret("field-encryption.key", lambda: Fernet.generate_key().decode())]

# Serve static files straight from the app folders and node_modules (no collectstatic step).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if not env("WEBPUSH_VAPID_PRIVATE_KEY"):
    # A VAPID key pair made once for this machine, so web push works in the embedded demo.
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def _vapid_pem() -> str:
        key = ec.generate_private_key(ec.SECP256R1())
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    WEBPUSH_VAPID_PRIVATE_KEY = _local_secret("vapid-private.pem", _vapid_pem)
    _point = serialization.load_pem_private_key(WEBPUSH_VAPID_PRIVATE_KEY.encode(), None).public_key()
    WEBPUSH_VAPID_PUBLIC_KEY = (
        base64.urlsafe_b64encode(
            _point.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        .rstrip(b"=")
        .decode()
    )
