"""Settings for the test suite: the real settings, with a throwaway data folder."""

import os
import tempfile

os.environ.setdefault("BACKSOON_DATA_DIR", tempfile.mkdtemp(prefix="backsoon-test-"))
for _name in ("EMAIL_URL", "BACKSOON_URL", "REDIS_URL", "BACKSOON_REGISTRATION"):
    os.environ.pop(_name, None)
if os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from backsoon.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory: a second writer then waits for the lock, as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": DATA_DIR / "test.sqlite3"}  # noqa: F405
