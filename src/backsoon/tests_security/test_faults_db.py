"""Database faults: many writers at once on SQLite, and a full disk in the data folder.

Writers: caregivers posting and parents reading at the same moment, each on its own
connection to the real (file, WAL) test database: every post is stored, nobody sees
"database is locked" (IMMEDIATE transactions and a busy timeout; a lock held too long would
be a 503, never a 500 — and here it never comes to that).

Full disk: a separate process with its own data folder. First the database may not grow
(`PRAGMA max_page_count`), then no file may grow (`RLIMIT_FSIZE`, as a full disk answers a
write). Each refused post is a clear 503 saying the disk is full; no row, no photo file and
no half-written file is left behind; the database passes `PRAGMA integrity_check`; and once
there is room again, the same post (same Idempotency-Key) goes through.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.utils import timezone

from backsoon.api.tests.factories import API, api_client
from backsoon.separations.models import CheckIn
from backsoon.separations.tests.factories import make_separation


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_see_database_is_locked(cast, settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file-based SQLite test database")
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    separations = [
        make_separation(cast, starts_at=timezone.now() - timedelta(minutes=5)),
        make_separation(cast, leaver=cast.partner, starts_at=timezone.now() - timedelta(minutes=5)),
    ]
    writers, posts = 6, 12
    statuses: list[tuple[str, int, bytes]] = []
    lock = threading.Lock()
    start = threading.Barrier(writers + 2)

    def write(n: int) -> None:
        client = api_client(cast.caregiver)
        separation = separations[n % 2]
        url = f"{API}/households/{cast.household.pk}/separations/{separation.pk}/checkins"
        start.wait()
        try:
            for i in range(posts):
                response = client.post(
                    url,
                    {"message": f"w{n} p{i}", "state": "playing"},
                    HTTP_IDEMPOTENCY_KEY=f"{n}-{i}",
                )
                with lock:
                    statuses.append(("post", response.status_code, response.content[:200]))
        finally:
            connections.close_all()

    def read() -> None:
        client = api_client(cast.parent)
        start.wait()
        try:
            for _ in range(posts):
                for separation in separations:
                    response = client.get(
                        f"{API}/households/{cast.household.pk}/separations/{separation.pk}/checkins"
                    )
                    with lock:
                        statuses.append(("read", response.status_code, b""))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    bad = [s for s in statuses if s[1] not in (200, 201)]
    assert not bad, bad[:5]
    assert not any(b"locked" in body for _kind, _status, body in statuses)
    assert len([s for s in statuses if s[0] == "post"]) == writers * posts
    assert CheckIn.objects.count() == writers * posts


FULL_DISK = r"""
import json, os, resource, signal, sqlite3, sys
from pathlib import Path

import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client

call_command("migrate", verbosity=0)
# One connection for the whole run, so the page limit set on it stays.
request_started.disconnect(close_old_connections)
request_finished.disconnect(close_old_connections)

from backsoon.api.tests.factories import token_for
from backsoon.separations.models import CheckIn
from backsoon.separations.tests.factories import image_bytes, make_separation
from backsoon.testing.fixtures import make_cast

cast = make_cast()
away = make_separation(cast)
bearer = "Bearer " + token_for(cast.caregiver)
client = Client(HTTP_AUTHORIZATION=bearer, raise_request_exception=False)
url = f"/api/v1/households/{cast.household.pk}/separations/{away.pk}/checkins"
media = Path(settings.MEDIA_ROOT)
photo = image_bytes((1200, 900))

def post(key):
    response = client.post(url, {
        "message": "x" * 400,
        "photo": SimpleUploadedFile("nap.jpg", photo, "image/jpeg"),
    }, HTTP_IDEMPOTENCY_KEY=key)
    return response.status_code, response.content.decode(errors="replace")[:300]

def files():
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []

result = {"phases": []}
for phase in ("max_page_count", "fsize"):
    accepted, refused = [], None
    if phase == "max_page_count":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0] + 4}")
    else:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, hard))  # smaller than any photo
    for i in range(100):
        status, body = post(f"{phase}-{i}")
        if status != 201:
            refused = {"key": f"{phase}-{i}", "status": status, "body": body}
            break
        accepted.append(f"{phase}-{i}")
    rows = CheckIn.objects.filter(idempotency_key__startswith=phase).count()
    stored = set(CheckIn.objects.exclude(photo="").values_list("photo", flat=True))
    orphans = [f for f in files() if not any(s.endswith(f) for s in stored)]
    if phase == "max_page_count":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    else:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    retried = post(refused["key"])[0] if refused else None
    result["phases"].append({
        "phase": phase, "accepted": len(accepted), "rows": rows, "refused": refused,
        "orphans": orphans, "retried": retried,
    })
connection.close()
db = sqlite3.connect(settings.DATABASES["default"]["NAME"])
result["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
print(json.dumps(result))
"""


@pytest.mark.slow
def test_a_full_disk_gives_a_clear_error_and_no_corrupt_database():
    data = tempfile.mkdtemp(prefix="backsoon-full-disk-")
    env = {
        **os.environ,
        "BACKSOON_DATA_DIR": data,
        "DJANGO_SETTINGS_MODULE": "backsoon.testing.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["integrity"] == "ok"
    for phase in result["phases"]:
        refused = phase["refused"]
        assert refused is not None, f"{phase['phase']}: the disk never filled"
        assert refused["status"] == 503, phase
        assert "disk is full" in refused["body"], phase
        assert phase["rows"] == phase["accepted"], "a refused post left a row"
        assert phase["orphans"] == [], "a refused post left a file"
        assert phase["retried"] == 201, "the same post once there is room again"


@pytest.mark.parametrize("path", ["/h/1/care/now/", "/api/v1/households/1/separations"])
def test_a_full_disk_on_any_write_is_a_503_that_says_so(rf, db, path):
    from backsoon.middleware import DatabaseBusyMiddleware

    middleware = DatabaseBusyMiddleware(lambda request: None)
    request = rf.post(path)
    request.user = AnonymousUser()
    response = middleware.process_exception(request, OSError(errno.ENOSPC, "No space left"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"disk is full" in response.content
    assert middleware.process_exception(request, OSError(errno.ENOENT, "gone")) is None
