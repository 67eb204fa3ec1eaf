"""The progress page's server time: two years of daily practice against a nearly empty
household, in the same run (target: at most 2x).

    uv run python bench/progress.py [--rounds 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backsoon uv run python bench/progress.py

SQLite runs in a fresh temporary data folder; the tables are ANALYZEd after seeding, as
they would be on a database that grew over two years. With DATABASE_URL it makes (and afterwards
drops) a separate test database beside the named one, so no real data is touched. Each
request goes through the whole Django stack in this process (middleware, access check,
queries, template), which is the server's share of the time; the two households are asked
in turns so that both see the same machine. Prints the median and 90th percentile of each,
their query counts, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=104, help="history of the busy household")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="backsoon-bench-")
    os.environ.setdefault("BACKSOON_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backsoon.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from backsoon.households.models import Membership
    from backsoon.practice.seed import seed

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("collectstatic", interactive=False, verbosity=0)
    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        busy = seed(1, args.weeks, per_week=7, seed=7)[0]
        quiet = seed(1, 1, per_week=1, seed=8)[0]
        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum keeps them on a database that grew for years
            # (just after a bulk insert the planner would think every table is empty).
            cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: seeded {busy.separations} times apart over {args.weeks} "
            f"weeks and {quiet.separations} in a nearly empty household "
            f"({time.perf_counter() - started:.1f} s)"
        )
        pages = {}
        for name, made in (("2 years daily", busy), ("nearly empty", quiet)):
            parent = Membership.objects.get(household=made.household, user__email=made.parent_email)
            client = Client()
            client.force_login(parent.user)
            url = reverse("practice:progress", args=[made.household.pk, parent.pk])
            for _ in range(3):
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            pages[name] = (client, url, len(queries.captured_queries), [])
        for _ in range(args.rounds):
            for client, url, _count, times in pages.values():
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200
        medians = {}
        for name, (_client, _url, count, times) in pages.items():
            times.sort()
            medians[name] = statistics.median(times)
            p90 = times[int(len(times) * 0.9) - 1]
            print(
                f"  {name:>14}: median {medians[name]:6.1f} ms, p90 {p90:6.1f} ms, {count} queries"
            )
        ratio = medians["2 years daily"] / medians["nearly empty"]
        print(f"  ratio of medians: {ratio:.2f}x (target: at most 2x)")
    finally:
        if postgres:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )


if __name__ == "__main__":
    main()
