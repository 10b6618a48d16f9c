"""Tests: SQLite + in-memory layer by default; PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set."""

import os
from urllib.parse import urlsplit

# pytest-xdist: pytest-django gives each worker its own test database; give each its own Redis database
# too (every test clears the cache), in the environment so the servers a test starts use it as well.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL") and os.environ.get("HEARTH_REDIS_WORKER") != _worker:
    _redis = urlsplit(os.environ["REDIS_URL"])
    _db = int(_redis.path.strip("/") or 0) + int(_worker[2:])
    os.environ["REDIS_URL"] = _redis._replace(path=f"/{_db}").geturl()
    os.environ["HEARTH_REDIS_WORKER"] = _worker

from .base import *  # noqa: E402, F403
from .base import HUEY  # noqa: E402

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
    if os.environ.get("HEARTH_TEST_SQLITE_FILE"):  # a test that runs a live server in a subprocess
        DATABASES["default"]["TEST"] = {"NAME": os.environ["HEARTH_TEST_SQLITE_FILE"]}
    # Lifts the audit table's append-only triggers while a transactional test's flush empties it.
    DATABASES["default"]["ENGINE"] = "hearth.config.sqlite_test_backend"
