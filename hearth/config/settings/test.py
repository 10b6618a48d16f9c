"""Tests: SQLite + in-memory layer by default; PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import HUEY

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
FIELD_ENCRYPTION_KEYS = ["Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMta2V5LWFhYWE="]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
WEBPUSH_ALLOW_LOOPBACK_HTTP = True  # the test push service listens on 127.0.0.1
SITE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Lifts the audit table's append-only triggers while a transactional test's flush empties it.
    DATABASES["default"]["ENGINE"] = "hearth.config.sqlite_test_backend"
