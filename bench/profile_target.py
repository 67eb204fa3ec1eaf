"""Where a target's time goes: the harness's data, one target, pyinstrument, in one process.

    uv run --with pyinstrument python bench/profile_target.py away [--db postgres] [-n 200]

Seeds like bench/harness.py (fewer households by default: --households), then asks the
target -n times through Django's test client under pyinstrument and prints the profile
(the server's share only: no socket, no granian) and the SQL of one request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import harness  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/backsoon")
    parser.add_argument("--sql", action="store_true", help="print one request's SQL")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="backsoon-profile-")
    try:
        if args.db == "postgres":
            with harness.ThrowawayPostgres(args.postgres_url) as url:
                env = harness.bench_env(data_dir, DATABASE_URL=url, **harness.shared_secrets())
                profile(env, args)
        else:
            profile(harness.bench_env(data_dir), args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def profile(env: dict[str, str], args) -> None:
    fixture = harness.prepare(env, args.households, args.weeks, 4)
    target = next(t for t in fixture["targets"] if t["name"] == args.target)
    os.environ.update(env)
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in target.get("headers", {}).items()
    }
    client = Client(HTTP_COOKIE=target.get("cookie", ""), **headers)

    def ask(n):
        if target.get("method") == "POST":
            return client.post(target["path"], {**target["form"], "key": f"profile-{n}"})
        return client.get(target["path"])

    for n in range(5):
        ask(-n - 1)
    if args.sql:
        with CaptureQueriesContext(connection) as captured:
            ask(-10)
        for query in captured.captured_queries:
            print(f"{query['time']}s  {query['sql'][:600]}\n")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for n in range(args.n):
        ask(n)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
