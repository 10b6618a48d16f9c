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
