"""Reminders under load: how late behind the due time, duplicates, throughput.

    uv run python bench/reminders.py                          # the full run: 100,000 over 10 min
    uv run python bench/reminders.py --count 20000 --minutes 2   # a scaled run, same rate
    uv run python bench/reminders.py --db sqlite                 # one of the two

PostgreSQL must let `--pg` (default postgres://postgres@127.0.0.1:5432/postgres) create and
drop a database.

Schedules COUNT agreed updates due evenly over MINUTES on PostgreSQL with 2 `backsoon worker`
processes, then again on SQLite with 1, each in a fresh data folder (PostgreSQL: a fresh
database, dropped afterwards). Every reminder goes through the real worker and the real
Apprise channel to a `json://127.0.0.1:PORT` receiver this script runs: no other network.
The lag is measured end to end, from each update's due time to its delivery row's sent_at.
Nudges are pushed out of the run's window (BACKSOON_LATE_MINUTES) so only reminders count.
Beside the lag it prints the workers' own CPU time per reminder and the machine's load
average during the run: on a busy machine the lag says more about the machine than about us.
Prints figures; not a test. `--db sqlite` or `--db postgres` runs one of them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CARERS = 100  # caregivers sharing the reminders, each with one Apprise channel
LEAD_SECONDS = 15  # between the end of seeding and the first due time


class Receiver:
    """What Apprise's json:// posts, counted; it answers at once."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                with receiver.lock:
                    receiver.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


# The parts that need Django run in a child process set up for one database.


def seed(count: int, minutes: float, receiver_url: str) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.utils import timezone

    from backsoon.households.models import Household, Membership, Role
    from backsoon.notify.models import Channel
    from backsoon.separations.models import AgreedCheckIn, Separation

    started = time.monotonic()
    household = Household.objects.create(name="Bench", time_zone="Europe/London", country="GB")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"carer{n}", email=f"carer{n}@example.org") for n in range(CARERS)
    )
    carers = Membership.objects.bulk_create(
        Membership(household=household, user=u, role=Role.CAREGIVER, display_name=u.username)
        for u in users
    )
    Channel.objects.bulk_create(
        Channel(
            membership=c,
            kind="apprise",
            config={"url": receiver_url},
            label="bench",
            events=["reminder"],
        )
        for c in carers
    )
    # Placed far ahead first, then moved in one UPDATE so the lead time starts after seeding.
    base = timezone.now() + timedelta(days=1)
    step = timedelta(seconds=minutes * 60 / count)
    batch = 5000
    for first in range(0, count, batch):
        numbers = range(first, min(count, first + batch))
        separations = Separation.objects.bulk_create(
            Separation(
                household=household,
                leaver=None,
                leaver_name="Parent",
                carer_membership=carers[n % CARERS],
                carer_name=carers[n % CARERS].display_name,
                status=Separation.Status.AWAY,
                starts_at=base,
                left_at=base,
                planned_minutes=int(minutes) + 240,
            )
            for n in numbers
        )
        AgreedCheckIn.objects.bulk_create(
            AgreedCheckIn(
                separation=s,
                offset_minutes=0,
                due_at=base + n * step,
                remind_at=base + n * step,
            )
            for n, s in zip(numbers, separations, strict=True)
        )
    first_due = timezone.now() + timedelta(seconds=LEAD_SECONDS)
    AgreedCheckIn.objects.update(
        due_at=F("due_at") + (first_due - base), remind_at=F("remind_at") + (first_due - base)
    )
    print(json.dumps({"first_due": first_due.isoformat(), "seconds": time.monotonic() - started}))


def measure(received: int) -> None:
    from django.db.models import Count

    from backsoon.notify.models import Delivery, Notification
    from backsoon.separations.models import AgreedCheckIn

    due = dict(AgreedCheckIn.objects.values_list("separation_id", "due_at"))
    sent = list(
        Delivery.objects.filter(notification__kind="reminder", status="sent").values_list(
            "notification__topic", "sent_at", "notification__created_at"
        )
    )
    lags, queued = [], []
    first_due = min(due.values())
    by_minute: dict[int, list[float]] = {}
    for topic, sent_at, created_at in sent:
        due_at = due[int(topic.removeprefix("care-"))]
        lags.append((sent_at - due_at).total_seconds())
        queued.append((created_at - due_at).total_seconds())
        by_minute.setdefault(int((due_at - first_due).total_seconds() // 60), []).append(lags[-1])
    twice = (
        Notification.objects.filter(kind="reminder")
        .values("topic")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    print(
        json.dumps(
            {
                "scheduled": len(due),
                "sent": len(sent),
                "unsent": len(due) - len({topic for topic, *_ in sent}),
                # Twice in the database, or more arrived than were sent (twice on the wire).
                "duplicates": max(
                    twice + len(sent) - len({t for t, *_ in sent}), received - len(sent)
                ),
                "received": received,
                "lags": sorted(lags),
                "queued": sorted(queued),
                "p99_by_minute": [
                    percentile(sorted(by_minute[m]), 0.99) for m in sorted(by_minute)
                ],
                "first_due": min(due.values()).isoformat(),
                "last_due": max(due.values()).isoformat(),
                "last_sent": max((s for _t, s, _c in sent), default=min(due.values())).isoformat(),
            }
        )
    )


# The orchestrator: no Django here.


def child(env: dict, *args: str, capture: bool = True) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=capture, text=True, check=False
    )
    if result.returncode:
        sys.stderr.write(result.stderr or "")
        raise SystemExit(f"{args[0]} failed")
    return result.stdout.strip().splitlines()[-1] if capture else ""


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def run(db: str, workers: int, args, pg_admin: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"backsoon-bench-{db}-"))
    env = {
        **os.environ,
        "BACKSOON_DATA_DIR": str(folder),
        "BACKSOON_WORKER_IDLE_SECONDS": "1",
        "BACKSOON_LATE_MINUTES": str(int(args.minutes) + 600),  # no nudges in the window
        "DJANGO_SETTINGS_MODULE": "backsoon.settings",
    }
    for name in ("DATABASE_URL", "EMAIL_URL", "BACKSOON_URL", "REDIS_URL"):
        env.pop(name, None)
    database = f"backsoon_bench_{os.getpid()}"
    if db == "postgres":
        import psycopg
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        with psycopg.connect(pg_admin, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = pg_admin.rsplit("/", 1)[0] + f"/{database}"
        env["SECRET_KEY"] = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (a throwaway benchmark database)
        env["VAPID_PRIVATE_KEY"] = (
            ec.generate_private_key(ec.SECP256R1())
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode()
        )
    receiver = Receiver()
    processes: list[subprocess.Popen] = []
    loads: list[float] = []
    cpu_before = 0.0
    try:
        try:
            subprocess.run(
                [sys.executable, "-m", "backsoon", "manage", "migrate", "-v0"], env=env, check=True
            )
            seeded = json.loads(
                child(
                    env,
                    "--role",
                    "seed",
                    "--count",
                    str(args.count),
                    "--minutes",
                    str(args.minutes),
                    "--receiver",
                    receiver.url,
                )
            )
            print(f"  {db}: seeded {args.count:,} in {seeded['seconds']:.0f} s", flush=True)
            log = (folder / "workers.log").open("w")
            for _ in range(workers):
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "backsoon", "worker"],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                        start_new_session=True,
                    )
                )
            first_due = datetime.fromisoformat(seeded["first_due"])
            deadline = first_due + timedelta(minutes=args.minutes) + timedelta(seconds=args.drain)
            last_report = 0.0
            while datetime.now(UTC) < deadline and receiver.count < args.count:
                time.sleep(1)
                if any(process.poll() is not None for process in processes):
                    log.flush()
                    sys.stderr.write((folder / "workers.log").read_text()[-3000:])
                    raise SystemExit(f"{db}: a worker stopped on its own")
                if datetime.now(UTC) >= first_due:
                    if not loads:  # from here on the workers' time is the reminders'
                        cpu_before = sum(cpu_seconds(process.pid) for process in processes)
                    loads.append(os.getloadavg()[0])
                if time.monotonic() - last_report > 30:
                    last_report = time.monotonic()
                    print(f"  {db}: {receiver.count:,} delivered", flush=True)
        finally:
            cpu = sum(cpu_seconds(process.pid) for process in processes) - cpu_before
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        figures = json.loads(child(env, "--role", "measure", "--received", str(receiver.count)))
    finally:
        receiver.stop()
        if db == "postgres":
            import psycopg

            with psycopg.connect(pg_admin, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
    figures["db"], figures["workers"] = db, workers
    figures["worker_cpu"] = cpu
    figures["load"] = sum(loads) / len(loads) if loads else float("nan")
    minutes = [loads[start : start + 60] for start in range(0, len(loads), 60)]
    figures["load_by_minute"] = [sum(minute) / len(minute) for minute in minutes]
    return figures


def report(figures: dict, args) -> None:
    lags, queued = figures["lags"], figures["queued"]
    first_due = datetime.fromisoformat(figures["first_due"])
    last_due = datetime.fromisoformat(figures["last_due"])
    last_sent = datetime.fromisoformat(figures["last_sent"])
    window = max(1e-9, (last_sent - first_due).total_seconds())
    print(
        f"\n{figures['db']} · {figures['workers']} worker(s) · {figures['scheduled']:,} reminders "
        f"due over {args.minutes:g} min ({figures['scheduled'] / (args.minutes * 60):.0f}/s due)"
    )
    print(
        f"  lag behind due time, to the delivery's sent_at: p50 {percentile(lags, 0.5):.2f} s, "
        f"p99 {percentile(lags, 0.99):.2f} s, max {max(lags, default=float('nan')):.2f} s"
    )
    print(
        f"  (of which queued by the reminder step: p50 {percentile(queued, 0.5):.2f} s, "
        f"p99 {percentile(queued, 0.99):.2f} s)"
    )
    print(
        "  p99 lag by minute of due time: "
        + " ".join(f"{lag:.1f}" for lag in figures["p99_by_minute"])
        + " s; the machine's load: "
        + " ".join(f"{load:.1f}" for load in figures["load_by_minute"])
    )
    print(
        f"  sent {figures['sent']:,}, unsent {figures['unsent']:,}, "
        f"received {figures['received']:,}, duplicates {figures['duplicates']}"
    )
    print(
        f"  throughput {figures['sent'] / window:.0f} reminders/s over the run; "
        f"the last was sent {(last_sent - last_due).total_seconds():.1f} s after the last due"
    )
    print(
        f"  worker CPU {figures['worker_cpu']:.0f} s in all, "
        f"{1000 * figures['worker_cpu'] / max(1, figures['sent']):.2f} ms a reminder; "
        f"load average during the run {figures['load']:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="an admin URL; a fresh database is made beside it and dropped",
    )
    parser.add_argument("--drain", type=int, default=180, help="seconds to wait after the last due")
    parser.add_argument("--role", choices=["seed", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--receiver", help=argparse.SUPPRESS)
    parser.add_argument("--received", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        import django

        django.setup()
        if args.role == "seed":
            seed(args.count, args.minutes, args.receiver)
        else:
            measure(args.received)
        return
    plan = {
        "both": [("postgres", 2), ("sqlite", 1)],
        "postgres": [("postgres", 2)],
        "sqlite": [("sqlite", 1)],
    }[args.db]
    results = []
    for db, workers in plan:
        print(
            f"{db}: {args.count:,} reminders over {args.minutes:g} min, {workers} worker(s)",
            flush=True,
        )
        results.append(run(db, workers, args, args.pg))
    for figures in results:
        report(figures, args)


if __name__ == "__main__":
    main()
