"""Django settings, read once from the environment (see config.py and the README table)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from backsoon import config
from backsoon.notify import vapid

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = config.data_dir()
config.ensure_data_dir(DATA_DIR)

SITE = config.parse_site_url()
SITE_URL = SITE.url if SITE else ""

DATABASE_URL = config.env_url(
    "DATABASE_URL",
    ("postgres", "postgresql"),
    "postgres://backsoon:secret@127.0.0.1:5432/backsoon",
)
EMAIL_URL = config.env_url(
    "EMAIL_URL", ("smtp", "smtps", "smtp+starttls"), "smtp://mail.example.org:587"
)
REDIS_URL = config.env_url("REDIS_URL", ("redis", "rediss"), "redis://127.0.0.1:6379/0")
REGISTRATION = config.env_choice("BACKSOON_REGISTRATION", config.REGISTRATION_MODES, "invite")
DEFAULT_COUNTRY = config.env_country("BACKSOON_DEFAULT_COUNTRY", "US")
PROXY_COUNT = config.env_int("BACKSOON_PROXY_COUNT", 0)
HSTS_SECONDS = config.env_int("BACKSOON_HSTS_SECONDS", 3600)
CRISIS_FILE = config.env_str("BACKSOON_CRISIS_FILE")
DEBUG = config.env_bool("BACKSOON_DEBUG", False)

# With DATABASE_URL several hosts may serve: the key must then be shared (checks.py says so).
SECRET_KEY_FROM_ENV = bool(config.env_str("SECRET_KEY"))
SECRET_KEY = config.env_str("SECRET_KEY") or config.read_or_create_secret(DATA_DIR / "secret_key")

if SITE:
    ALLOWED_HOSTS = [SITE.host, "127.0.0.1", "localhost"]
    CSRF_TRUSTED_ORIGINS = [SITE.url]
else:
    # No public URL configured: a home install reached by IP on the local network.
    ALLOWED_HOSTS = ["*"]
    CSRF_TRUSTED_ORIGINS = []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "backsoon",
    "backsoon.notify",
    "backsoon.households",
    "backsoon.caresheets",
    "backsoon.separations",
    "backsoon.practice",
    "backsoon.coping",
    "backsoon.wellbeing",
    "backsoon.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backsoon.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "backsoon.middleware.ContentSecurityPolicyMiddleware",
    "backsoon.pwa.ClearSiteDataOnLogoutMiddleware",
    "backsoon.middleware.HtmxLoginRedirectMiddleware",
]

ROOT_URLCONF = "backsoon.urls"
WSGI_APPLICATION = "backsoon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],  # ours first, so they override allauth's
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backsoon.context_processors.site",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "backsoon.sqlite3",
            "OPTIONS": {
                # Writers queue behind one another instead of failing on upgrade to a write lock.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database and are read through the cache. Without a shared cache, each
# web process would keep its own copy, and a session that was ended (logging out everywhere)
# could live on in another process: so with several processes and no Redis, read the database.
# `backsoon web --processes N` tells its processes how many of them there are.
WEB_PROCESSES = config.env_int("BACKSOON_WEB_PROCESSES", 1, minimum=1)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL or WEB_PROCESSES == 1
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if EMAIL_URL else "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = True  # a phone app: stay logged in
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Back Soon] "
ACCOUNT_ADAPTER = "backsoon.households.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE.scheme if SITE else "http"
ACCOUNT_PRESERVE_USERNAME_CASING = False
# The client's address is the Nth entry from the right of X-Forwarded-For, the one our own
# proxies added; anything further left came from the client and is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
# Changing an email address or password, two-step verification, API tokens and deleting the
# account ask for the password (or a code) again if the last one is older than 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# An email (through the outbox) when the password, an address or two-step verification changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Kept in the cache, which must be shared (REDIS_URL) when several processes serve. "key" is
# the email address typed in, so guessing one person's password is slow from any number of
# addresses.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Invitations and caregiver links (households/ratelimit.py): wrong tokens per address, and
# new invitations or links per person.
TOKEN_GUESS_LIMIT = (20, 15 * 60)
SHARE_CREATE_LIMIT = (30, 60 * 60)

# Two-step verification, optional: an authenticator app, a security key or phone, and
# recovery codes. TOTP secrets are encrypted with a key made from SECRET_KEY (adapter.py).
MFA_ADAPTER = "backsoon.households.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_FORMS = {"authenticate_webauthn": "backsoon.households.adapter.KeyAwareWebAuthnForm"}
MFA_TOTP_ISSUER = "Back Soon"
MFA_TOTP_TOLERANCE = 1  # a phone clock 30 seconds off still works
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Without a mail server nobody can confirm an address, which must not rule out two-step.
MFA_ALLOW_UNVERIFIED_EMAIL = not EMAIL_URL
# Sessions are listed (and ended) per person; no write on every request.
USERSESSIONS_TRACK_ACTIVITY = False

EMAIL_BACKEND = "backsoon.notify.outbox.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = config.env_str(
    "BACKSOON_FROM_EMAIL", f"Back Soon <backsoon@{SITE.host if SITE else 'localhost'}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Our scripts read the token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if SITE and SITE.is_https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    # Back Soon usually has one host of a domain whose other hosts it does not run: promising
    # https for all of them (or preloading the promise into browsers) is not its call.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
    SECURE_SSL_REDIRECT = config.env_bool("BACKSOON_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The worker: how long a claim is held before another worker may take the job again. It must
# be longer than any channel's timeout.
WORKER_LEASE_SECONDS = 120
WORKER_BATCH_SIZE = 10
WORKER_IDLE_SECONDS = config.env_int("BACKSOON_WORKER_IDLE_SECONDS", 2, minimum=1)
SMTP_TIMEOUT_SECONDS = 30
EMAIL_MAX_ATTEMPTS = 8

# Notifications. Every channel gives up on a send after its timeout, well within the lease.
NOTIFY_CHANNEL_TIMEOUT_SECONDS = 10
NOTIFY_MAX_ATTEMPTS = 8
# Sends in flight at once, and so the most the worker claims a round: a push service that
# takes a tenth of a second to answer still lets one worker send hundreds a second.
NOTIFY_SEND_THREADS = 50
WEBPUSH_TTL_SECONDS = 60 * 60
# The push services browsers hand out subscriptions for; the worker POSTs to no other host.
WEBPUSH_SERVICE_HOSTS = [
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
]
WEBPUSH_ALLOW_HTTP = False
# Web push keys: in the data folder, or (required with DATABASE_URL) from the environment.
VAPID_KEYS = vapid.load_keys(DATA_DIR, shared=bool(DATABASE_URL))
VAPID_PRIVATE_KEY = VAPID_KEYS.private_pem
VAPID_PUBLIC_KEY = VAPID_KEYS.public_key
VAPID_SUBJECT = vapid.subject_claim(from_email=DEFAULT_FROM_EMAIL)
