"""Faults in real processes: a worker killed at random, and PostgreSQL restarted under load.

Worker: a backlog of urgent notifications to an email channel (each becomes an email in the
outbox, sent to a real SMTP server on 127.0.0.1). The worker is killed with SIGKILL at random
moments, started again, killed again…; at the end every notification's email has arrived, and
an email arrived twice at most once per kill (a kill during the send itself) — recognisable
by its unchanged Message-ID. notify/tests/test_delivery_safety.py proves the same steps in one
process (claim, lease, stale worker, and a hanging channel meeting its timeout while the
others still get theirs); this adds real processes dying at any point.

PostgreSQL: a cluster of our own (initdb in a temporary folder, on a free port), with the web
server and the worker running against it and clients writing and reading all the while. The
cluster is restarted; requests in flight or arriving meanwhile get a 503 (never a 500), the
same post with the same Idempotency-Key then goes through once, and web and worker carry on
with no manual step — the worker delivers an email queued after the restart.

Slow: they start real processes (`-m slow`, run once).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from backsoon.notify.tests.mailserver import MailServer, free_port

pytestmark = pytest.mark.slow

BACKSOON = [sys.executable, "-m", "backsoon"]

SEED = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from backsoon import notify
from backsoon.api.tests.factories import token_for
from backsoon.notify.events import Event
from backsoon.notify.tests.factories import add_email
from backsoon.separations.tests.factories import make_separation
from backsoon.testing.fixtures import make_cast

cast = make_cast()
add_email(cast.parent, "maya@example.org")
away = make_separation(cast)
count = int(sys.argv[1])
for n in range(count):
    notify.send(cast.parent, Event.URGENT, "Back Soon", f"Please call {n}", "/h/1/", urgent=True,
                topic=f"call-{n}")
print(json.dumps({
    "household": cast.household.pk, "separation": away.pk,
    "carer": token_for(cast.caregiver), "parent": token_for(cast.parent),
}))
"""

COLLECTSTATIC = r"""
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""

QUEUE_EMAIL = r"""
import django
django.setup()
from django.core.mail import send_mail
send_mail("After the restart", "Still here.", None, ["maya@example.org"])
"""


def environment(data: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKSOON_DATA_DIR": data,
        "DJANGO_SETTINGS_MODULE": "backsoon.tests_security.fault_settings",
        "BACKSOON_WORKER_IDLE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    for name in ("DATABASE_URL", "REDIS_URL", "BACKSOON_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def run_script(code: str, env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, process_group=0
    )


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the worker, killed at random -----------------------------------------------------------


def test_a_worker_killed_at_random_loses_nothing_and_repeats_only_what_it_was_sending():
    count = 120
    mail = MailServer().start()
    data = tempfile.mkdtemp(prefix="backsoon-kill-")
    env = environment(data, EMAIL_URL=mail.url)
    log = Path(data) / "worker.log"
    rng = random.Random()  # noqa: S311 (when to kill, not a secret)
    try:
        run_script(SEED, env, str(count))
        database = sqlite3.connect(Path(data) / "backsoon.sqlite3", timeout=30)

        def unsent() -> int:
            emails = database.execute(
                "SELECT count(*) FROM notify_outboxemail WHERE status != 'sent'"
            ).fetchone()[0]
            deliveries = database.execute(
                "SELECT count(*) FROM notify_delivery WHERE status NOT IN ('sent', 'delivered')"
            ).fetchone()[0]
            return emails + deliveries

        kills = 0
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            worker = start([*BACKSOON, "worker"], env, log)
            if kills < 8:
                time.sleep(rng.uniform(1.0, 3.5))  # start-up takes about a second
                stop(worker, signal.SIGKILL)
                kills += 1
                continue
            while unsent() and time.monotonic() < deadline:
                time.sleep(0.5)
            stop(worker)
            break
        left = unsent()
        database.close()
        assert left == 0, f"{left} still unsent; see {log}"
        received = mail.message_ids()
        urgent = [m for m in received if m]
        assert len(urgent) == count, f"{len(urgent)} distinct emails arrived, {count} were due"
        repeats = sum(n - 1 for n in received.values())
        assert repeats <= kills, f"{repeats} repeats after {kills} kills"
    finally:
        mail.stop()
        shutil.rmtree(data, ignore_errors=True)


# --- PostgreSQL restarted under load -------------------------------------------------------


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip("PostgreSQL's server binaries are not installed")
    return found[-1]


def postgres_user_needed() -> None:
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root, and there is no postgres user to run the cluster")


def as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


class Cluster:
    def __init__(self) -> None:
        postgres_user_needed()
        self.dir = tempfile.mkdtemp(prefix="backsoon-pg-")
        self.data = f"{self.dir}/data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/backsoon"
        self.pg_ctl = postgres_bin("pg_ctl")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            as_postgres(
                [
                    postgres_bin("initdb"),
                    "-D",
                    self.data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir}"
        subprocess.run(
            as_postgres(
                [self.pg_ctl, "-D", self.data, "-l", f"{self.dir}/log", "-w", "-o", options, *args]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE backsoon")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def vapid_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def call(port: int, method: str, path: str, token: str, body: bytes | None = None, key=""):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return 0, str(error).encode()


def test_postgresql_restarted_under_load_costs_a_503_and_nothing_else():
    cluster = Cluster()
    mail = MailServer().start()
    port = free_port()
    data = tempfile.mkdtemp(prefix="backsoon-pgrestart-")
    env = environment(
        data,
        DATABASE_URL=cluster.url,
        SECRET_KEY="fault-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
        VAPID_PRIVATE_KEY=vapid_key(),
        EMAIL_URL=mail.url,
    )
    processes: list[subprocess.Popen] = []
    try:
        cluster.ctl("start")
        cluster.create_database()
        ids = json.loads(run_script(SEED, env, "0").strip().splitlines()[-1])
        run_script(COLLECTSTATIC, env)
        processes.append(
            start(
                [*BACKSOON, "web", "--port", str(port), "--threads", "4"],
                env,
                Path(data) / "web.log",
            )
        )
        processes.append(start([*BACKSOON, "worker"], env, Path(data) / "worker.log"))
        h, s = ids["household"], ids["separation"]
        checkins = f"/api/v1/households/{h}/separations/{s}/checkins"
        deadline = time.monotonic() + 60
        while call(port, "GET", checkins, ids["parent"])[0] != 200:
            assert time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.5)

        results: list[tuple[str, int, str]] = []
        lock = threading.Lock()
        running = threading.Event()
        running.set()

        def writer(n: int) -> None:
            i = 0
            while running.is_set():
                key = f"w{n}-{i}"
                status, _ = call(port, "POST", checkins, ids["carer"], b"message=hello", key)
                with lock:
                    results.append(("post", status, key))
                i += 1

        def reader() -> None:
            while running.is_set():
                status, _ = call(port, "GET", checkins + "?limit=5", ids["parent"])
                with lock:
                    results.append(("get", status, ""))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        threads += [threading.Thread(target=reader) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        cluster.ctl("restart", "-m", "fast")  # ends every connection, mid-query or not
        time.sleep(8)
        running.clear()
        for thread in threads:
            thread.join(timeout=60)

        statuses = {status for _kind, status, _key in results}
        assert statuses <= {200, 201, 503}, sorted(statuses)
        failed = [key for kind, status, key in results if kind == "post" and status == 503]
        tail = results[-10:]
        assert all(status in (200, 201) for _k, status, _key in tail), "not recovered: " + str(tail)
        # A refused post, sent again with its key, is stored once.
        for key in failed[:5]:
            status, body = call(port, "POST", checkins, ids["carer"], b"message=hello", key)
            assert status == 201, body[:200]
        posted = {key for kind, status, key in results if kind == "post" and status == 201}
        status, body = call(port, "GET", checkins + "?limit=1", ids["parent"])
        stored = json.loads(body)["count"]
        # (A 503 whose commit had gone through is stored; its retry then added nothing.)
        assert len(posted) + len(failed[:5]) <= stored <= len(posted) + len(failed)

        # The worker carried on too: an email queued now is delivered.
        run_script(QUEUE_EMAIL, env)
        deadline = time.monotonic() + 60
        while not any(b"After the restart" in raw for raw in mail.received):
            assert time.monotonic() < deadline, "the worker did not recover"
            time.sleep(0.5)
        assert all(p.poll() is None for p in processes), "a process died"
        print(f"{len(results)} requests; {len(failed)} posts answered 503 during the restart")
    finally:
        for process in processes:
            stop(process)
        mail.stop()
        cluster.remove()
        shutil.rmtree(data, ignore_errors=True)
