"""Soak: many households for a while, parents polling their away pages while caregivers post
photos. Reports errors (target 0), latency per minute (p50, p99) and the server's memory.

    uv run python bench/soak.py [--minutes 10] [--households 20]

Runs `backsoon serve` (web and worker, SQLite) in a throwaway data folder seeded with
`backsoon manage seed`; load goes only to 127.0.0.1 and stops by itself. Each household has
one separation under way: its leaving parent (a signed-in session) polls the away page's
updates every second and reloads the whole page now and then; its caregiver posts a photo
every few seconds, half through the web form on a caregiver link, half through the API with a
token. Memory is the summed RSS of the server's processes (granian and the worker).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
POLL_EVERY = 1.0
PAGE_EVERY = 20.0
POST_EVERY = 4.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- setup, run inside the app's Django (a subprocess with the data folder) ----------------


def prepare(households: int) -> list[dict]:
    """Start one separation per seeded household; make a parent session, a link session and a
    link API token for each. Printed as JSON for the load generator."""
    import django

    django.setup()
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from backsoon.api import tokens
    from backsoon.households.access import LINKS_SESSION_KEY
    from backsoon.households.models import CaregiverLink, Household, Role
    from backsoon.separations import services
    from backsoon.separations.models import Separation

    store = import_module(settings.SESSION_ENGINE).SessionStore
    now = timezone.now()
    out = []
    for household in Household.objects.order_by("pk")[:households]:
        leaver = household.memberships.filter(role=Role.PARENT).order_by("pk").first()
        link, _raw = CaregiverLink.create(
            household=household, name="Soak Sitter", created_by=leaver
        )
        plan = services.PlanData(
            kind=Separation.Kind.EVERYDAY,
            carer=services.Carer(link=link),
            children=list(household.children.all()),
            starts_at=now - timedelta(minutes=1),
            minutes=12 * 60,
            plan_note="",
            agreed=[],
        )
        Separation.objects.filter(household=household, status=Separation.Status.AWAY).update(
            status=Separation.Status.BACK, back_at=now
        )
        separation = services.create_plan(household, leaver, plan)
        services.leave_now(separation, now)
        parent = store()
        parent[SESSION_KEY] = str(leaver.user.pk)
        parent[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        parent[HASH_SESSION_KEY] = leaver.user.get_session_auth_hash()
        parent.create()
        carer = store()
        carer[LINKS_SESSION_KEY] = {str(household.pk): link.pk}
        carer.create()
        _token, api_token = tokens.create_token(
            name="soak", can_write=True, created_by=leaver, link=link
        )
        out.append(
            {
                "household": household.pk,
                "separation": separation.pk,
                "parent_session": parent.session_key,
                "carer_session": carer.session_key,
                "api_token": api_token,
            }
        )
    return out


# --- the load generator ---------------------------------------------------------------------


@dataclass
class Stats:
    started: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[tuple[float, str, float]] = field(default_factory=list)  # (t, kind, seconds)
    errors: list[tuple[float, str, str]] = field(default_factory=list)  # (t, kind, what)

    def ok(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.samples.append((time.monotonic() - self.started, kind, seconds))

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic() - self.started, kind, what))


class Session:
    """One keep-alive connection with a session cookie."""

    def __init__(self, port: int, cookies: dict[str, str], headers: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies)
        self.headers = headers or {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data, response.headers


def timed(
    stats: Stats, kind: str, expect: tuple[int, ...], session: Session, *request
) -> tuple[int, bytes] | None:
    """One request through `session`, counted as a sample or an error."""
    start = time.monotonic()
    try:
        status, data, _headers = session.request(*request)
    except (OSError, http.client.HTTPException) as exc:
        stats.error(kind, type(exc).__name__)
        return None
    elapsed = time.monotonic() - start
    if status not in expect:
        stats.error(kind, f"HTTP {status}")
        return None
    stats.ok(kind, elapsed)
    return status, data


POLLER = re.compile(rb'hx-get="([^"]*/away/updates/[^"]*)"')


def parent_loop(port: int, h: dict, stats: Stats, stop: threading.Event, rng: random.Random):
    """The away page, then its poll as htmx does it: each answer names the next poll URL."""
    session = Session(port, {"sessionid": h["parent_session"]})
    page = f"/h/{h['household']}/separations/{h['separation']}/away/"
    poll = f"{page}updates/?after=0"
    next_page = 0.0
    stop.wait(rng.uniform(0, POLL_EVERY))
    while not stop.is_set():
        if time.monotonic() >= next_page:
            got = timed(stats, "away page", (200,), session, "GET", page)
            next_page = time.monotonic() + PAGE_EVERY
        else:
            got = timed(
                stats,
                "poll",
                (200, 204),
                session,
                "GET",
                poll,
                None,
                {"HX-Request": "true"},
            )
        match = POLLER.search(got[1]) if got else None
        if match:
            poll = match.group(1).decode().replace("&amp;", "&")
        stop.wait(POLL_EVERY)


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="nap.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def carer_loop(
    port: int, h: dict, stats: Stats, stop: threading.Event, rng: random.Random, photos, web: bool
):
    stop.wait(rng.uniform(0, POST_EVERY))
    if web:
        session = Session(port, {"sessionid": h["carer_session"]})
        page = f"/h/{h['household']}/care/now/"
        post = f"/h/{h['household']}/care/now/{h['separation']}/post/"
    else:
        session = Session(port, {}, {"Authorization": f"Bearer {h['api_token']}"})
        post = f"/api/v1/households/{h['household']}/separations/{h['separation']}/checkins"
    while not stop.is_set():
        photo = rng.choice(photos)
        if web:
            got = timed(stats, "caregiver page", (200,), session, "GET", page)
            match = CSRF.search(got[1]) if got else None
            if match:
                fields = {
                    "csrfmiddlewaretoken": match.group(1).decode(),
                    "key": uuid.uuid4().hex,
                    "message": "Fast asleep",
                    "state": "sleeping",
                }
                body, ctype = multipart(fields, photo)
                timed(
                    stats,
                    "photo (web)",
                    (302,),
                    session,
                    "POST",
                    post,
                    body,
                    {"Content-Type": ctype, "Referer": f"http://{HOST}:{port}{page}"},
                )
            elif got:
                stats.error("caregiver page", "no form")
        else:
            body, ctype = multipart({"state": "playing", "message": "Playing"}, photo)
            timed(
                stats,
                "photo (API)",
                (201,),
                session,
                "POST",
                post,
                body,
                {"Content-Type": ctype, "Idempotency-Key": uuid.uuid4().hex},
            )
        stop.wait(POST_EVERY * rng.uniform(0.75, 1.25))


def make_photos() -> list[bytes]:
    from PIL import Image, ImageDraw

    photos = []
    for n in range(4):
        image = Image.new("RGB", (1600, 1200), (180 + n * 10, 140, 110))
        draw = ImageDraw.Draw(image)
        for i in range(0, 1600, 40):
            draw.line([(i, 0), (1600 - i, 1200)], fill=(n * 50, i % 255, 90), width=3)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


# --- the server and its memory -------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child in children.get(current, []):
            found.append(child)
            todo.append(child)
    return found


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def wait_ready(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(stats: Stats, memory: list[tuple[float, float]], minutes: int) -> int:
    print("\nminute  requests  errors   p50 ms   p99 ms   server RSS MB")
    for minute in range(minutes):
        window = [s for t, _k, s in stats.samples if minute * 60 <= t < (minute + 1) * 60]
        errors = sum(1 for t, _k, _w in stats.errors if minute * 60 <= t < (minute + 1) * 60)
        rss = [m for t, m in memory if minute * 60 <= t < (minute + 1) * 60]
        print(
            f"{minute + 1:>6}  {len(window):>8}  {errors:>6}"
            f"  {percentile(window, 0.5) * 1000:>7.1f}"
            f"  {percentile(window, 0.99) * 1000:>7.1f}  {max(rss) if rss else float('nan'):>14.1f}"
        )
    print("\nby kind   requests   p50 ms   p99 ms")
    for kind in sorted({k for _t, k, _s in stats.samples}):
        values = [s for _t, k, s in stats.samples if k == kind]
        print(
            f"{kind:<16} {len(values):>7}  {statistics.median(values) * 1000:>7.1f}"
            f"  {percentile(values, 0.99) * 1000:>7.1f}"
        )
    total = len(stats.samples) + len(stats.errors)
    print(f"\nrequests: {total}, errors: {len(stats.errors)}")
    for t, kind, what in stats.errors[:20]:
        print(f"  {t:7.1f}s  {kind}: {what}")
    if memory:
        first = statistics.mean(m for t, m in memory if t < 60)
        last = statistics.mean(m for t, m in memory if t >= (minutes - 1) * 60)
        print(f"memory: {first:.0f} MB in the first minute, {last:.0f} MB in the last")
    return 1 if stats.errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=8, help="history per seeded household")
    parser.add_argument("--threads", type=int, default=8, help="the web server's threads")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return 0
    if not 1 <= args.minutes <= 120 or not 1 <= args.households <= 200:
        raise SystemExit("--minutes takes 1 to 120, --households 1 to 200")

    data = tempfile.mkdtemp(prefix="backsoon-soak-")
    env = {**os.environ, "BACKSOON_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "backsoon.settings"}
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "BACKSOON_URL", "SECRET_KEY"):
        env.pop(name, None)
    backsoon = [sys.executable, "-m", "backsoon"]
    print(f"data folder {data}; seeding {args.households} households…", flush=True)
    subprocess.run([*backsoon, "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [
            *backsoon,
            "manage",
            "seed",
            "--households",
            str(args.households),
            "--weeks",
            str(args.weeks),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare", str(args.households)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    households = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [*backsoon, "serve", "--host", HOST, "--port", str(port), "--threads", str(args.threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(data) / "server.log", "wb"),  # noqa: SIM115 (lives as long as the server)
        process_group=0,
    )
    try:
        wait_ready(port)
        photos = make_photos()
        stats = Stats(started=time.monotonic())
        stop = threading.Event()
        rng = random.Random(1)  # noqa: S311 (load timing, not secrets)
        threads = []
        for n, h in enumerate(households):
            mine = random.Random(rng.random())  # noqa: S311
            threads.append(threading.Thread(target=parent_loop, args=(port, h, stats, stop, mine)))
            web = n % 2 == 0
            threads.append(
                threading.Thread(target=carer_loop, args=(port, h, stats, stop, mine, photos, web))
            )
        print(
            f"{len(households)} households: {len(households)} parents polling every "
            f"{POLL_EVERY:.0f} s, {len(households)} caregivers posting a photo every "
            f"~{POST_EVERY:.0f} s, for {args.minutes} min on http://{HOST}:{port}",
            flush=True,
        )
        for thread in threads:
            thread.start()
        memory: list[tuple[float, float]] = []
        end = stats.started + args.minutes * 60
        while time.monotonic() < end:
            memory.append((time.monotonic() - stats.started, rss_mb(descendants(server.pid))))
            if server.poll() is not None:
                stats.error("server", f"exited {server.returncode}")
                break
            time.sleep(5)
            elapsed = int(time.monotonic() - stats.started)
            if elapsed % 60 < 5:
                print(
                    f"  {elapsed // 60} min: {len(stats.samples)} requests, "
                    f"{len(stats.errors)} errors",
                    flush=True,
                )
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        return report(stats, memory, args.minutes)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
