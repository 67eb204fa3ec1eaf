"""Two web processes and two workers on one PostgreSQL, with Redis as the shared cache.

    uv run python bench/harness.py --scale

Shows, against real processes on 127.0.0.1:
- sessions hold across processes: signed in (with a password) on web A, the same cookie
  works on web B; signed out on B, the cookie is refused on A at once (without Redis, two
  separately started single-process servers each keep the session in memory: A still
  accepts it);
- rate limits hold across processes: failed logins from one address, alternating A and B,
  are refused from the 11th (allauth's limit, 10 a minute), not from the 21st;
- the two workers share the outbox: 100 queued emails are each sent exactly once;
- both web processes under load at once (wrk on each), with the poll and hello.
The same session and rate-limit checks then run without REDIS_URL (each process keeping its
own memory cache), to show what Redis is for.
"""

from __future__ import annotations

import collections
import html
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import harness

PASSWORD = "scale-test-password-9"  # noqa: S105 (a throwaway demo account)
TOO_MANY = "a lot of tries in a short time"  # allauth's rate-limit message
EMAILS = 100
WHAT = "failed logins from one address, alternating web A and B"


class Browser:
    """Just enough of a browser: cookies, and a form's CSRF token."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        target = {"path": path, "method": method, "cookie": self.cookie_header()}
        if form is not None:
            target["form"] = form
        status, body, headers = _raw(port, target)
        for header in headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return status, body.decode(errors="replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v and v != '""')

    def csrf(self, port: int, path: str) -> str:
        _status, page = self.request(port, "GET", path)
        return html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1])


def _raw(port: int, target: dict):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": target["cookie"]} if target.get("cookie") else {}
    body = None
    if target.get("form") is not None:
        body = urllib.parse.urlencode(target["form"])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(target["method"], target["path"], body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, content, response.headers


def log_in(port: int, email: str, password: str) -> Browser:
    browser = Browser()
    token = browser.csrf(port, "/accounts/login/")
    status, _ = browser.request(
        port,
        "POST",
        "/accounts/login/",
        {"login": email, "password": password, "csrfmiddlewaretoken": token},
    )
    assert status == 302, f"login answered {status}"
    return browser


def check_sessions_strictly(a: int, b: int, email: str, household: int) -> list[str]:
    """Sign in on A, use it on B, sign out on B, try the very same cookie on A again."""
    page = f"/h/{household}/"
    browser = log_in(a, email, PASSWORD)
    cookie = f"sessionid={browser.cookies['sessionid']}"
    on_a = _raw(a, {"path": page, "method": "GET", "cookie": cookie})[0]  # cached on A now
    on_b = _raw(b, {"path": page, "method": "GET", "cookie": cookie})[0]
    token = browser.csrf(b, page)
    out = browser.request(b, "POST", "/accounts/logout/", {"csrfmiddlewaretoken": token})[0]
    after = _raw(a, {"path": page, "method": "GET", "cookie": cookie})[0]
    return [
        f"signed in on A: dashboard on A {on_a}, on B {on_b} (200 = the session is shared)",
        f"signed out on B ({out}); the same cookie on A now answers {after} "
        + ("(302 to the login page: refused)" if after == 302 else "(still signed in!)"),
    ]


def check_rate_limit(a: int, b: int, email: str) -> str:
    browser = Browser()
    token = browser.csrf(a, "/accounts/login/")
    for attempt in range(1, 25):
        port = a if attempt % 2 else b
        _status, page = browser.request(
            port,
            "POST",
            "/accounts/login/",
            {
                "login": f"nobody{attempt}.{email}",
                "password": "wrong",
                "csrfmiddlewaretoken": token,
            },
        )
        if TOO_MANY in page:
            return f"{WHAT}: refused from attempt {attempt}"
    return f"{WHAT}: never refused in 24 attempts"


def queue_emails(env: dict[str, str]) -> None:
    code = (
        "from django.core.mail import send_mail\n"
        f"for n in range({EMAILS}):\n"
        "    send_mail(f'Scale test {n}', 'hello', None, [f'to{n}@example.org'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "backsoon", "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)


def count_sent(logs: list[Path]) -> tuple[list[int], int]:
    per_worker, seen = [], collections.Counter()
    for log in logs:
        ids = re.findall(r"^Message-ID: (\S+)", log.read_text(), re.M)
        per_worker.append(len(ids))
        seen.update(ids)
    return per_worker, sum(n - 1 for n in seen.values() if n > 1)


def start_workers(env: dict[str, str], folder: Path, n: int = 2):
    procs, logs = [], []
    for i in range(n):
        log = folder / f"worker{i}.log"
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "backsoon", "worker"],
                env={**env, "BACKSOON_CHILD": "1", "BACKSOON_WORKER_IDLE_SECONDS": "1"},
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
    return procs, logs


def stop(procs) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def load_both(ports: list[int], target: dict, seconds: int, folder: Path) -> list[harness.Run]:
    script = folder / f"{target['name']}-scale.lua"
    script.write_text(harness.lua_for(target, "scale"))
    runs: list[harness.Run] = [None] * len(ports)

    def one(i: int, port: int) -> None:
        runs[i] = harness.wrk(port, target, seconds, script, connections=4)

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(ports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return runs


def scenario(env: dict[str, str], folder: Path, args, label: str, with_load: bool) -> None:
    print(f"\n== {label}", flush=True)
    harness.manage(env, "migrate", "-v0")
    harness.manage(env, "collectstatic", "--noinput", "-v0")
    out = harness.manage(env, "seed", "--households", "1", "--weeks", "1", "--password", PASSWORD)
    household = int(re.search(r"\(id (\d+)\)", out)[1])
    email = re.search(r"Log in as (\S+) ", out)[1]
    fixture = None
    if with_load:
        harness.manage(
            env,
            "seed",
            "--households",
            str(args.scale_households),
            "--weeks",
            "4",
            "--seed",
            "3",
            settings="benchsite.seed_settings",
        )
        done = subprocess.run(
            [sys.executable, str(harness.BENCH / "fixture.py"), str(household)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(done.stderr)
        import json

        fixture = json.loads(done.stdout.strip().splitlines()[-1])
    ports = [harness.free_port(), harness.free_port()]
    webs = [harness.start_web(env, port, args.threads) for port in ports]
    workers, logs = start_workers(env, folder) if with_load else ([], [])
    try:
        a, b = ports
        for line in check_sessions_strictly(a, b, email, household):
            print("  " + line, flush=True)
        # allauth limits failed logins per client address, 10 a minute (each try names a new
        # account, so no per-account limit joins in): shared, the 11th try is refused; with
        # a count per process, each process allows 10 and the 21st is the first refused.
        print("  " + check_rate_limit(a, b, email), flush=True)
        if not with_load:
            return
        queue_emails(env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and sum(count_sent(logs)[0]) < EMAILS:
            time.sleep(1)
        per_worker, repeats = count_sent(logs)
        print(
            f"  {EMAILS} queued emails: sent {sum(per_worker)} "
            f"(worker 1: {per_worker[0]}, worker 2: {per_worker[1]}), sent twice: {repeats}",
            flush=True,
        )
        targets = {t["name"]: t for t in fixture["targets"]}
        for name in ("hello", "poll", "away"):
            runs = load_both(ports, targets[name], args.seconds, folder)
            print(
                f"  {name:6s} on both at once (wrk -c4 each): "
                + " + ".join(f"{r.rps:.0f}" for r in runs)
                + f" = {sum(r.rps for r in runs):.0f} req/s, p99 "
                + "/".join(f"{r.p99_ms:.0f}" for r in runs)
                + " ms"
                + (f", {sum(r.bad for r in runs)} bad" if any(r.bad for r in runs) else ""),
                flush=True,
            )
    finally:
        stop(webs + workers)


def run_scale(args) -> int:
    import redis

    # --redis-url names a database of its own (13 by default): emptied, so that limits
    # counted by an earlier run do not carry over.
    redis.Redis.from_url(args.redis_url).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="backsoon-scale-"))
    try:
        secrets = harness.shared_secrets()
        with harness.ThrowawayPostgres(args.postgres_url) as url:
            env = harness.bench_env(
                str(folder), DATABASE_URL=url, REDIS_URL=args.redis_url, **secrets
            )
            scenario(env, folder, args, "2 web processes + 2 workers, PostgreSQL + Redis", True)
        with harness.ThrowawayPostgres(args.postgres_url) as url:
            env = harness.bench_env(str(folder), DATABASE_URL=url, **secrets)
            scenario(env, folder, args, "the same without REDIS_URL (a cache per process)", False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0
