"""Settings shared by every way of running Hearth. Values come from the environment (env.py)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "hearth"
VAR_DIR = Path(env("HEARTH_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "insecure-embedded-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "hearth.core",
    "hearth.accounts",
    "hearth.audit",
    "hearth.consent",
    "hearth.programs",
    "hearth.notifications",
    "hearth.safety",
    "hearth.messaging",
    "hearth.scheduling",
    "hearth.video",
    "hearth.checkins",
    "hearth.outreach",
    "hearth.intake",
    "hearth.mentorship",
    "hearth.toolkit",
    "hearth.plans",
    "hearth.community",
    "hearth.reports",
    "hearth.family",
    "hearth.api",
    # django-ninja: its docs page then uses the package's own static files, never a CDN.
    "ninja",
    "hearth.practice",
    "hearth.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hearth.core.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on GET answers and 304 for If-None-Match (the API's clients, and pages): whitenoise,
    # above, answers static files itself.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearth.accounts.middleware.SessionLifetimeMiddleware",
    "hearth.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "hearth.accounts.middleware.RequireMFAMiddleware",
    # After care ends, only the community (alumni), notices and the account stay open.
    "hearth.home.middleware.AfterCareMiddleware",
    "hearth.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "hearth.config.urls"
ASGI_APPLICATION = "hearth.config.asgi.application"
WSGI_APPLICATION = "hearth.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hearth.home.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hearth.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    # Under ASGI every websocket frame and request borrows a connection from a psycopg pool: no
    # connect per frame, and no persistent connections left behind in finished threads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 8),
        "max_size": env_int("DATABASE_POOL_MAX", 20),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the Huey consumer share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, channel layer, jobs ----------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

HUEY = {
    "huey_class": "hearth.core.queue.SqliteHuey",
    "name": "hearth",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": False,
    "consumer": {"workers": 2, "worker_type": "thread"},
}

# --- Accounts, login, MFA -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "hearth.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # an invitation link already proves the address
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Hearth: "
# Throttling and lockout: after 5 failures for one address (or from one IP) in 15 minutes,
# further attempts are refused until the window passes.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURE_LIMIT}/15m/ip,{LOGIN_FAILURE_LIMIT}/15m/key",
    "reset_password": "5/h/ip,3/h/key",
    "login": "30/m/ip",
}
# Family invitations a participant may send per hour (accounts.family_invite).
FAMILY_INVITE_RATE_LIMIT = env_int("FAMILY_INVITE_RATE_LIMIT", 5)
# Calls per personal access token per window (seconds).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120)
API_RATE_LIMIT_WINDOW = 60
MFA_ADAPTER = "hearth.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Hearth"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
USERSESSIONS_TRACK_ACTIVITY = True

# Idle timeout (minutes) and absolute session lifetime (hours).
IDLE_TIMEOUT_STAFF_MINUTES = env_int("IDLE_TIMEOUT_STAFF_MINUTES", 15)
IDLE_TIMEOUT_OTHER_MINUTES = env_int("IDLE_TIMEOUT_OTHER_MINUTES", 60)
SESSION_ABSOLUTE_LIFETIME_HOURS = env_int("SESSION_ABSOLUTE_LIFETIME_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

# --- Encryption at rest -------------------------------------------------------------------
# Comma-separated Fernet keys, newest first. The first encrypts; all decrypt (MultiFernet).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (front-end packages come from npm, never a CDN) -------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Janus's browser client (an ES module) and the WebRTC adapter it expects as a global.
    ("vendor/janus", BASE_DIR / "node_modules" / "janus-gateway" / "npm" / "dist"),
    ("vendor/webrtc-adapter", BASE_DIR / "node_modules" / "webrtc-adapter" / "out"),
    # Workbox's prebuilt modules, side by side under one prefix: the service worker's
    # workbox.setConfig({modulePathCb}) loads them from here, never from Google's CDN.
    *(
        ("vendor/workbox", BASE_DIR / "node_modules" / f"workbox-{module}" / "build")
        for module in ("sw", "core", "routing", "strategies", "precaching", "expiration")
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        # Violations are reported to Hearth itself (home.views.csp_report), never to a third party.
        "report-uri": "/csp-report/",
    }
}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Hearth <no-reply@hearth.invalid>")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# A provider through django-anymail (e.g. ANYMAIL_PROVIDER=postmark, ANYMAIL_POSTMARK_SERVER_TOKEN=…):
# every ANYMAIL_* variable but the provider becomes a key of ANYMAIL.
ANYMAIL_PROVIDER = env("ANYMAIL_PROVIDER", "")
if ANYMAIL_PROVIDER:
    import os as _os

    INSTALLED_APPS.append("anymail")
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        key.removeprefix("ANYMAIL_").removesuffix("_FILE"): env(key.removesuffix("_FILE"))
        for key in _os.environ
        if key.startswith("ANYMAIL_") and key not in ("ANYMAIL_PROVIDER", "ANYMAIL_PROVIDER_FILE")
    }

# --- Notifications: SMS (Twilio), web push (VAPID), delivery jobs, reminders ---------------
# Absolute links in email, SMS and push (no request there to build them from).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", "")
TWILIO_API_BASE = env("TWILIO_API_BASE", "")  # tests point this at a local stand-in
TWILIO_TIMEOUT = env_int("TWILIO_TIMEOUT", 10)
WEBPUSH_VAPID_PUBLIC_KEY = env("WEBPUSH_VAPID_PUBLIC_KEY", "")  # base64url, uncompressed P-256 point
WEBPUSH_VAPID_PRIVATE_KEY = env("WEBPUSH_VAPID_PRIVATE_KEY", "")  # PEM or base64url DER
WEBPUSH_VAPID_SUBJECT = env("WEBPUSH_VAPID_SUBJECT", "mailto:support@hearth.invalid")
WEBPUSH_TIMEOUT = env_int("WEBPUSH_TIMEOUT", 10)
# The push services browsers use (subscriptions to any other host are refused: the server POSTs there).
WEBPUSH_ALLOWED_HOSTS = env_list(
    "WEBPUSH_ALLOWED_HOSTS",
    ["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"],
)
WEBPUSH_ALLOW_LOOPBACK_HTTP = False  # tests only: a push service on 127.0.0.1
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)  # doubles each attempt
SESSION_REMINDER_MINUTES = [int(m) for m in env_list("SESSION_REMINDER_MINUTES", ["1440", "60", "10"])]

# --- Hearth -------------------------------------------------------------------------------
CRISIS_LINES = {
    "lifeline": "988",
    "samhsa": "1-800-662-4357",
}
DEFAULT_ON_CALL_PHONE = env("DEFAULT_ON_CALL_PHONE", "")

# --- Video (hearth.video; docs/operations.md) ---------------------------------------------
VIDEO_BACKEND = env("VIDEO_BACKEND", "mesh")  # mesh | janus | auto (mesh for small rooms)
VIDEO_MESH_MAX_PEOPLE = env_int("VIDEO_MESH_MAX_PEOPLE", 4)
VIDEO_OPEN_MINUTES_BEFORE = env_int("VIDEO_OPEN_MINUTES_BEFORE", 10)
VIDEO_CLOSE_MINUTES_AFTER = env_int("VIDEO_CLOSE_MINUTES_AFTER", 30)
VIDEO_JOIN_TOKEN_SECONDS = env_int("VIDEO_JOIN_TOKEN_SECONDS", 60)
VIDEO_RECONNECT_GRACE_SECONDS = env_int("VIDEO_RECONNECT_GRACE_SECONDS", 120)
VIDEO_MAX_SDP_BYTES = env_int("VIDEO_MAX_SDP_BYTES", 32 * 1024)
VIDEO_JANUS_URL = env("VIDEO_JANUS_URL", "http://127.0.0.1:8088/janus")
VIDEO_JANUS_ADMIN_URL = env("VIDEO_JANUS_ADMIN_URL", "http://127.0.0.1:7088/admin")
VIDEO_JANUS_ADMIN_SECRET = env("VIDEO_JANUS_ADMIN_SECRET", "")
VIDEO_JANUS_ADMIN_KEY = env("VIDEO_JANUS_ADMIN_KEY", "")
VIDEO_JANUS_PUBLIC_URL = env("VIDEO_JANUS_PUBLIC_URL", "/janus")
VIDEO_JANUS_MAX_PEOPLE = env_int("VIDEO_JANUS_MAX_PEOPLE", 25)
VIDEO_JANUS_BITRATE = env_int("VIDEO_JANUS_BITRATE", 256_000)  # per sender, bits/s; 0 = no cap
VIDEO_TURN_SECRET = env("VIDEO_TURN_SECRET", "")
VIDEO_TURN_URLS = env_list("VIDEO_TURN_URLS", [])
VIDEO_TURN_TTL_SECONDS = env_int("VIDEO_TURN_TTL_SECONDS", 3600)
if VIDEO_JANUS_PUBLIC_URL.startswith(("https://", "http://")):
    # Janus on its own origin (not proxied on the site's): browsers may connect there too.
    from urllib.parse import urlsplit as _urlsplit

    _janus = _urlsplit(VIDEO_JANUS_PUBLIC_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(f"{_janus.scheme}://{_janus.netloc}")

# --- Logging: structured enough to follow, never personal health information ---------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Invitation, calendar-feed and password-reset links carry a live token in the path: every
    # handler redacts it (core.apps also filters the servers' access loggers, which have their own).
    "filters": {"redact_secrets": {"()": "hearth.core.log_redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry only method, path and status; paths never hold PHI (ids only).
        "django.request": {"level": "WARNING"},
    },
}
