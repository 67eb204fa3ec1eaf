"""The benchmark harness: every page that matters, against a bare view, on both databases.

    uv run python bench/harness.py                     # SQLite, then PostgreSQL (~25 min)
    uv run python bench/harness.py --db sqlite --seconds 5 --repeats 1   # a quick look
    uv run python bench/harness.py --scale             # 2 web + 2 workers, PostgreSQL + Redis

Needs `wrk` (apt-get install wrk); for PostgreSQL a server at --postgres-url, where it makes
a throwaway database (dropped afterwards); --scale also needs Redis at --redis-url.
Load goes only to 127.0.0.1 and every run has a fixed length.

What it does, per database: a throwaway data folder; migrate; `backsoon manage seed` for
--households households (--other-weeks of history each) plus the measured household with
--weeks of history; bench/fixture.py makes the live afternoon (an away parent, caregiver
links, sessions, an API token) and counts each target's queries; then `backsoon web`
(granian, DEBUG off, production settings) serves the app plus /bench/hello/ — a bare view
behind the same middleware, in a bench-only URLconf (bench/benchsite/). wrk at concurrency
8 runs each target for --seconds after a warm-up, round-robin, --repeats times, and the
table gives requests/s, p50, p99, the ratio to hello in the same run, and the query count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# The targets, as ratios to hello; the query budget per request.
RATIO_TARGETS = {
    "poll": 0.7,
    "home": 0.3,
    "away": 0.3,
    "caregiver": 0.3,
    "api_list_20": 0.3,
    "progress": 0.15,
}
QUERY_BUDGET = {"poll": 3}
PAGE_QUERY_BUDGET = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(data_dir: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "BACKSOON_URL", "BACKSOON_DEBUG")
    }
    env.update(
        BACKSOON_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="benchsite.settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        BACKSOON_DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, settings: str | None = None) -> str:
    if settings:
        env = {**env, "DJANGO_SETTINGS_MODULE": settings}
    done = subprocess.run(
        [sys.executable, "-m", "backsoon", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"manage {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def shared_secrets() -> dict[str, str]:
    """With DATABASE_URL the app wants its secrets from the environment (as on real hosts)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {"SECRET_KEY": os.urandom(32).hex(), "VAPID_PRIVATE_KEY": pem}


class ThrowawayPostgres:
    """A database of its own beside the one named in --postgres-url, dropped afterwards."""

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        parts = urllib.parse.urlsplit(url)
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.name = f"backsoon_bench_{os.getpid()}"
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))

    def __enter__(self) -> str:
        with self.psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc) -> None:
        with self.psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def prepare(env: dict[str, str], households: int, weeks: int, other_weeks: int) -> dict:
    """Migrate, seed, and let bench/fixture.py make the live afternoon."""
    started = time.monotonic()
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    if households > 1:
        manage(
            env,
            "seed",
            "--households",
            str(households - 1),
            "--weeks",
            str(other_weeks),
            "--seed",
            "2",
            settings="benchsite.seed_settings",
        )
    out = manage(
        env, "seed", "--households", "1", "--weeks", str(weeks), settings="benchsite.seed_settings"
    )
    household = int(re.search(r"\(id (\d+)\)", out).group(1))
    done = subprocess.run(
        [sys.executable, str(BENCH / "fixture.py"), str(household)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"fixture failed:\n{done.stdout}\n{done.stderr}")
    fixture = json.loads(done.stdout.strip().splitlines()[-1])
    fixture["prepare_seconds"] = time.monotonic() - started
    return fixture


def start_web(env: dict[str, str], port: int, threads: int, processes: int = 1):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backsoon",
            "web",
            "--port",
            str(port),
            "--threads",
            str(threads),
            "--processes",
            str(processes),
        ],
        env={**env, "BACKSOON_CHILD": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if ask(port, {"path": "/healthz"})[0] == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the web server on port {port} did not start")


def ask(port: int, target: dict, key: str = "preflight") -> tuple[int, bytes]:
    """One request, no redirects followed: the status the wrk run will see."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(target.get("headers", {}))
    if target.get("cookie"):
        headers["Cookie"] = target["cookie"]
    body = None
    if target.get("method") == "POST":
        body = urllib.parse.urlencode({**target["form"], "key": key})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(target.get("method", "GET"), target["path"], body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, content


def lua_for(target: dict, run_id: str) -> str:
    """The wrk script: headers and cookies, and for a post a fresh idempotency key each time."""
    lines = [f'wrk.method = "{target.get("method", "GET")}"']
    for name, value in target.get("headers", {}).items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    if target.get("cookie"):
        lines.append(f'wrk.headers["Cookie"] = {json.dumps(target["cookie"])}')
    if target.get("method") == "POST":
        form = urllib.parse.urlencode(target["form"])
        lines += [
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            "local threads = 0",
            "function setup(thread)",
            "  threads = threads + 1",
            '  thread:set("tid", threads)',
            "end",
            "local n = 0",
            "function request()",
            "  n = n + 1",
            f'  local body = {json.dumps(form)} .. "&key={run_id}-" .. tid .. "-" .. n',
            "  return wrk.format(nil, nil, nil, body)",
            "end",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int  # responses other than 2xx/3xx, and socket errors
    cpu_ms: float = 0.0  # the web server's CPU time per request (user + system)


@dataclass
class Figures:
    target: dict
    runs: list[Run] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50_ms for r in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99_ms for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(r.cpu_ms for r in self.runs)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def tree(pid: int) -> list[int]:
    """The process and all its descendants (granian runs its workers as children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        if children.exists():
            todo += [int(c) for c in children.read_text().split()]
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU time of a process tree so far."""
    ticks = 0
    for pid in tree(root):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(
    port: int,
    target: dict,
    seconds: int,
    script: Path,
    connections: int = 8,
    server: int | None = None,
) -> Run:
    cpu_before = cpu_seconds(server) if server else 0.0
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{target['path']}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(server) - cpu_before if server else 0.0
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        bad=(int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
        cpu_ms=1000 * cpu / max(requests, 1),
    )


def measure(port: int, targets: list[dict], args, scripts: Path, server: int) -> dict[str, Figures]:
    figures = {t["name"]: Figures(t) for t in targets}
    for target in targets:
        status, body = ask(port, target)
        if status != target["expect"]:
            raise SystemExit(
                f"{target['name']}: {status} instead of {target['expect']}: {body[:300]}"
            )
        script = scripts / f"{target['name']}.lua"
        script.write_text(lua_for(target, "warm"))
        wrk(port, target, args.warmup, script)
    for repeat in range(args.repeats):
        for target in targets:
            script = scripts / f"{target['name']}.lua"
            script.write_text(lua_for(target, f"r{repeat}"))
            run = wrk(port, target, args.seconds, script, server=server)
            figures[target["name"]].runs.append(run)
            print(
                f"  run {repeat + 1}/{args.repeats} {target['name']:14s} {run.rps:8.1f} req/s"
                f"  p50 {run.p50_ms:7.1f} ms  p99 {run.p99_ms:7.1f} ms"
                f"  server CPU {run.cpu_ms:6.2f} ms/req"
                + (f"  ({run.bad} bad)" if run.bad else ""),
                flush=True,
            )
    return figures


def target_is_page(target: dict) -> bool:
    """The query budget is for what a person opens (a POST is a write, counted but not held)."""
    return target["name"] != "hello" and target.get("method", "GET") == "GET"


def report(label: str, fixture: dict, figures: dict[str, Figures]) -> list[str]:
    """The table. `ratio` is req/s against hello's in the same run; `cpu ratio` is hello's
    server CPU per request against the target's: what the ratio would be on a machine whose
    cores are the web server's alone (on a loaded machine req/s swing with the neighbours).
    The CPU is the web process's: SQLite's work is inside it, PostgreSQL's is not."""
    hello, hello_cpu = figures["hello"].rps, figures["hello"].cpu_ms
    missed = []
    print(
        f"\n{label}: household {fixture['household']} with {fixture['separations']} "
        f"separations; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"{'target':14s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'ratio':>6s} "
        f"{'cpu ms':>7s} {'cpu ratio':>9s} {'goal':>5s} {'queries':>7s}  runs (req/s)"
    )
    for name, fig in figures.items():
        ratio = fig.rps / hello
        cpu_ratio = hello_cpu / fig.cpu_ms if fig.cpu_ms else 0.0
        goal = RATIO_TARGETS.get(name)
        queries = fig.target["queries"]
        budget = QUERY_BUDGET.get(name, PAGE_QUERY_BUDGET)
        flags = []
        if goal is not None and ratio < goal:
            flags.append(f"ratio below {goal}")
        if target_is_page(fig.target) and queries > budget:
            flags.append(f"queries above {budget}")
        if any(r.bad for r in fig.runs):
            flags.append(f"{sum(r.bad for r in fig.runs)} bad responses")
        missed += [f"{label} {name}: {f}" for f in flags]
        print(
            f"{name:14s} {fig.rps:8.1f} {fig.p50:8.1f} {fig.p99:8.1f} {ratio:6.2f} "
            f"{fig.cpu_ms:7.2f} {cpu_ratio:9.2f} {goal if goal is not None else '':>5} "
            f"{queries:7d}  "
            + ", ".join(f"{r.rps:.0f}" for r in fig.runs)
            + (f"   MISSED: {'; '.join(flags)}" if flags else "")
        )
    return missed


def run_database(db: str, args) -> list[str]:
    data_dir = tempfile.mkdtemp(prefix=f"backsoon-bench-{db}-")
    scripts = Path(data_dir) / "wrk"
    scripts.mkdir()
    try:
        # PostgreSQL runs as the README's scaled deployment does, with Redis as the cache
        # (sessions cached_db); SQLite as the embedded one, without (sessions in the database).
        with_redis = db == "postgres" and not args.no_redis
        redis = {"REDIS_URL": args.redis_url} if with_redis else {}
        label = f"{db} + Redis" if with_redis else db
        if db == "postgres":
            with ThrowawayPostgres(args.postgres_url) as url:
                env = bench_env(data_dir, DATABASE_URL=url, **redis, **shared_secrets())
                return bench_one(label, env, args, scripts)
        return bench_one(label, bench_env(data_dir, **redis), args, scripts)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def bench_one(db: str, env: dict[str, str], args, scripts: Path) -> list[str]:
    print(f"\n== {db}: seeding {args.households} households …", flush=True)
    fixture = prepare(env, args.households, args.weeks, args.other_weeks)
    print(
        f"   ready in {fixture['prepare_seconds']:.0f} s; queries per request: "
        + ", ".join(f"{t['name']} {t['queries']}" for t in fixture["targets"]),
        flush=True,
    )
    port = free_port()
    server = start_web(env, port, args.threads)
    try:
        figures = measure(port, fixture["targets"], args, scripts, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report(db, fixture, figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--seconds", type=int, default=15, help="per target and run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per target, once")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=104, help="history of the measured household")
    parser.add_argument("--other-weeks", type=int, default=4, help="history of the others")
    parser.add_argument("--threads", type=int, default=4, help="granian threads (the default)")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/backsoon")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--no-redis", action="store_true", help="PostgreSQL without Redis (cache per process)"
    )
    parser.add_argument(
        "--scale", action="store_true", help="2 web + 2 workers (PostgreSQL, Redis)"
    )
    parser.add_argument("--scale-households", type=int, default=200, help="seeded for --scale")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.scale:
        from scale import run_scale

        raise SystemExit(run_scale(args))
    print(
        f"Back Soon benchmark: wrk -t2 -c8, {args.seconds} s per target after {args.warmup} s "
        f"warm-up, {args.repeats} runs; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    missed = []
    for db in args.db:
        missed += run_database(db, args)
    print("\nAll targets met." if not missed else "\nNot met:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    main()
