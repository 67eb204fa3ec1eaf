"""For seeding 1,000 demo households only: a fast password hasher.

Argon2 takes ~0.15 s per account here, ten minutes for 2,000 demo accounts; the benchmark
signs in by session, so how the demo passwords are hashed never shows in a measurement.
"""

from benchsite.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # bench data only
