"""Which WSGI server? granian against gunicorn on this app, same page, same run.

    uv run --with gunicorn python bench/wsgi_servers.py [--seconds 15]

Needs `wrk` (apt-get install wrk). Load goes only to 127.0.0.1 and stops by itself. Prints
requests/s and latency per server; the figures decided the default in `backsoon web`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PATHS = ["/healthz", "/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start")


def wrk(url: str, seconds: int) -> tuple[float, str]:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rps, f"p50 {p50}, p99 {p99}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    data = tempfile.mkdtemp(prefix="backsoon-bench-")
    env = {**os.environ, "BACKSOON_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "backsoon.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "backsoon", "manage", "migrate", "-v0"], env=env, check=True
    )
    subprocess.run(
        [sys.executable, "-m", "backsoon", "manage", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )

    servers = {
        "granian, 1 process x 4 threads": [
            sys.executable,
            "-m",
            "backsoon",
            "web",
            "--threads",
            "4",
        ],
        "granian, 2 processes x 4 threads": [
            sys.executable,
            "-m",
            "backsoon",
            "web",
            "--threads",
            "4",
            "--processes",
            "2",
        ],
        "gunicorn gthread, 1 process x 4 threads": [
            "gunicorn",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-w",
            "1",
        ],
        "gunicorn sync, 2 processes": ["gunicorn", "-w", "2"],
    }
    for name, command in servers.items():
        port = free_port()
        if command[0] == "gunicorn":
            if not shutil.which("gunicorn"):
                print(f"{name}: skipped (run with `uv run --with gunicorn`)")
                continue
            command = [*command, "-b", f"127.0.0.1:{port}", "backsoon.wsgi:application"]
        else:
            command = [*command, "--port", str(port)]
        proc = subprocess.Popen(
            command,
            env={**env, "BACKSOON_CHILD": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}/healthz")
            for path in PATHS:
                wrk(f"http://127.0.0.1:{port}{path}", 3)  # warm-up
                rps, latency = wrk(f"http://127.0.0.1:{port}{path}", args.seconds)
                print(f"{name:42s} {path:9s} {rps:8.1f} req/s  {latency}", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
