"""Resident memory of `backsoon serve` (what `uv run backsoon` runs): idle, then under load.

    uv run python bench/memory.py [--minutes 10] [--households 200]

Seeds a throwaway data folder like bench/harness.py (SQLite), starts `backsoon serve` (the
supervisor, granian and the worker), and prints the RSS of each process and their sum:
idle for a minute, then every 30 s while wrk (concurrency 8, 127.0.0.1 only) cycles through
the harness's targets for --minutes, then idle again. Flat means the last samples under load
are within a few MB of the first ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

SAMPLE_SECONDS = 30


def rss_mb(pid: int) -> tuple[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    cmd = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
    label = "granian" if "granian" in cmd or " web " in f"{cmd} " else ""
    for word in ("worker", "serve"):
        if f" {word}" in f"{cmd} ":
            label = label or word
    return label or cmd[:30], int(fields["VmRSS"].split()[0]) / 1024


def sample(label: str, root: int, started: float) -> float:
    parts = []
    for pid in harness.tree(root):
        try:
            parts.append(rss_mb(pid))
        except (FileNotFoundError, ProcessLookupError, KeyError):
            continue
    total = sum(mb for _name, mb in parts)
    detail = ", ".join(f"{name} {mb:.0f}" for name, mb in parts)
    print(f"{time.monotonic() - started:6.0f} s  {label:5s}  total {total:6.1f} MB  ({detail})")
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--households", type=int, default=200)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="backsoon-memory-")
    env = harness.bench_env(data_dir)
    fixture = harness.prepare(env, args.households, 104, 4)
    targets = [t for t in fixture["targets"] if t["name"] != "hello"]
    port = harness.free_port()
    serve_env = {**env, "DJANGO_SETTINGS_MODULE": "backsoon.settings"}
    serve_env.pop("PYTHONPATH", None)
    serve = subprocess.Popen(
        [sys.executable, "-m", "backsoon", "serve", "--port", str(port)],
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scripts = Path(data_dir) / "wrk"
    scripts.mkdir()
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if time.monotonic() > deadline:
                raise SystemExit("backsoon serve did not start")
            time.sleep(0.5)
        started = time.monotonic()
        print(f"backsoon serve, pid {serve.pid}; RSS in MB (load {os.getloadavg()[0]:.1f})")
        for _ in range(2):
            sample("idle", serve.pid, started)
            time.sleep(SAMPLE_SECONDS)
        first = sample("idle", serve.pid, started)
        load = []
        end = time.monotonic() + args.minutes * 60
        n = 0
        while time.monotonic() < end:
            target = targets[n % len(targets)]
            script = scripts / f"{target['name']}.lua"
            script.write_text(harness.lua_for(target, f"m{n}"))
            run = harness.wrk(port, target, SAMPLE_SECONDS, script)
            n += 1
            load.append(sample("load", serve.pid, started))
            print(f"          ({target['name']}: {run.rps:.0f} req/s)")
        time.sleep(SAMPLE_SECONDS)
        after = sample("idle", serve.pid, started)
        print(
            f"\nidle {first:.0f} MB; under load first {load[0]:.0f}, last {load[-1]:.0f}, "
            f"max {max(load):.0f} MB over {args.minutes:g} min; idle after {after:.0f} MB"
        )
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


def _healthy(port: int) -> bool:
    try:
        return harness.ask(port, {"path": "/healthz"})[0] == 200
    except OSError:
        return False


if __name__ == "__main__":
    main()
