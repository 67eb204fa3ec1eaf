"""Page weight and speed on a phone, measured from Chromium through the DevTools protocol.

    uv run python bench/page_budget.py            # prints a table; exit 1 if a budget fails

For each page of the journey, on a phone-sized Chromium against the production server
(`backsoon web`: granian, DEBUG off, collected and compressed static files, in a throwaway
data folder with one household mid-afternoon: Maya away, Grandma Ana caring on a link):

- first load: bytes on the wire (CDP encodedDataLength) for HTML, CSS and JS, empty cache.
  Budget: 100 KB. Photos, icons and the polls that follow are not counted.
- repeat view: a second visit in the same browser. Budget: only the HTML goes to the network
  (CSS and JS come from the HTTP cache: hashed names, a year's max-age, immutable).
- slow 4G (Lighthouse's throttling: 562.5 ms request latency, 1.47 Mbit/s down, through CDP
  Network.emulateNetworkConditions), empty cache: the away page and the caregiver's page are
  usable — first paint and the page's scripts run (DOMContentLoaded) — within 2 s.

Service workers are blocked while measuring, so the figures are the HTTP cache's alone (the
service worker's own precache would only make a repeat view cheaper). The server sends HTML
uncompressed (a TLS proxy such as Caddy with `encode` compresses it further); CSS and JS are
served precompressed by WhiteNoise.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

BUDGET_BYTES = 100 * 1024
USABLE_MS = 2000
COUNTED = {"Document", "Stylesheet", "Script"}
# Lighthouse's "slow 4G" for DevTools throttling (RTT 150 ms x 3.75, 1.6 Mbit/s x 0.9).
SLOW_4G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1474.56 * 1024 / 8,
    "uploadThroughput": 675 * 1024 / 8,
    "connectionType": "cellular4g",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: str) -> dict:
    """Migrate, collect static files, and make one household's afternoon. Returns the URLs."""
    os.environ["BACKSOON_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "backsoon.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from backsoon.caresheets import services as sheets
    from backsoon.caresheets.models import Sheet
    from backsoon.coping.models import Urge
    from backsoon.households.models import CaregiverLink, Child, Household, Membership, Role
    from backsoon.separations import services
    from backsoon.separations.models import CheckIn, Separation, SeparationPrivate
    from backsoon.separations.schedule import AgreedSpec
    from backsoon.testing.fixtures import make_user

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    household = Household.objects.create(
        name="The Okafors", time_zone="Europe/London", country="GB"
    )
    maya = Membership.objects.create(
        household=household,
        user=make_user("maya@example.org"),
        role=Role.PARENT,
        display_name="Maya",
        phone="+447400123456",
    )
    bea = Child.objects.create(household=household, name="Bea", birth_date=date(2026, 3, 1))
    sheets.save(
        sheets.sheet_for(household, Sheet.Kind.CHILD, bea),
        {
            "feeding": {"times": ["Bottle around 12:00 and 16:00, about 150 ml"]},
            "sleep": {"naps": ["Nap around 13:00 for about an hour"], "comfort": "Rabbit"},
            "soothing": {"steps": ["Rocking", "White noise", "A walk in the pram"]},
        },
        maya,
    )
    sheets.save(
        sheets.sheet_for(household, Sheet.Kind.AGREEMENT),
        {"call_now": {"items": ["She has trouble breathing"]}},
        maya,
    )
    link, token = CaregiverLink.create(household=household, name="Grandma Ana", created_by=maya)
    now = timezone.now()
    started = now - timedelta(minutes=12)
    away = Separation.objects.create(
        household=household,
        leaver=maya,
        leaver_name="Maya",
        carer_link=link,
        carer_name=link.name,
        starts_at=started,
        left_at=started,
        planned_minutes=30,
        status=Separation.Status.AWAY,
    )
    away.children.set([bea])
    services.place_agreed(away, [AgreedSpec("photo", "after lunch", offset_minutes=20)])
    SeparationPrivate.objects.create(separation=away, owner=maya)
    for minutes, message in ((10, ""), (4, "Playing in the garden")):
        CheckIn.objects.create(
            separation=away,
            posted_by_link=link,
            author_name=link.name,
            idempotency_key=services.new_key(),
            all_good=not message,
            message=message,
            created_at=now - timedelta(minutes=minutes),
        )
    urge = Urge.objects.create(
        owner=maya,
        separation=away,
        kind="check",
        started_at=now,
        wait_minutes=10,
        strength_before=6,
    )
    h, s = household.pk, away.pk
    return {
        "token": token,
        "household": h,
        "parent": [
            ("landing", "/", False),
            ("dashboard", f"/h/{h}/", True),
            ("care sheet (editing)", f"/h/{h}/care/edit/", True),
            ("plan", f"/h/{h}/separations/plan/", True),
            ("away", f"/h/{h}/separations/{s}/away/", True),
            ("urge", f"/h/{h}/urges/{urge.pk}/", True),
            ("grounding", f"/h/{h}/grounding/", True),
            ("ladder", f"/h/{h}/practice/", True),
            ("progress", f"/h/{h}/practice/{maya.pk}/progress/", True),
            ("get help now", "/help/", True),
        ],
        "caregiver": [
            ("caregiver: care sheet", f"/h/{h}/care/", True),
            ("caregiver: caring now", f"/h/{h}/care/now/", True),
        ],
    }


class Recorder:
    """Bytes on the wire and cache hits of one page's requests, from CDP Network events."""

    def __init__(self, cdp):
        self.requests: dict[str, dict] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _entry(self, request_id):
        return self.requests.setdefault(request_id, {"bytes": 0, "cached": False})

    def _sent(self, event):
        entry = self._entry(event["requestId"])
        entry["url"], entry["type"] = event["request"]["url"], event.get("type", "Other")

    def _response(self, event):
        response, entry = event["response"], self._entry(event["requestId"])
        entry["type"] = event.get("type", entry.get("type"))
        entry["headers"] = {k.lower(): v for k, v in response.get("headers", {}).items()}
        entry["status"] = response["status"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            entry["cached"] = True

    def _cached(self, event):
        self._entry(event["requestId"])["cached"] = True

    def _finished(self, event):
        self._entry(event["requestId"])["bytes"] = event["encodedDataLength"]

    def counted(self) -> list[dict]:
        return [r for r in self.requests.values() if r.get("type") in COUNTED]

    def clear(self) -> None:
        self.requests.clear()


def open_page(browser, state, phone, **network):
    context = browser.new_context(**phone, storage_state=state, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    recorder = Recorder(cdp)
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    return context, page, recorder


def usable_ms(page) -> float:
    return page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          return Math.max(nav.domContentLoadedEventEnd, paint ? paint.startTime : Infinity);
        }"""
    )


def measure(browser, base: str, pages, state, phone) -> list[dict]:
    rows = []
    for name, path, _signed_in in pages:
        context, page, recorder = open_page(browser, state, phone)
        page.goto(base + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        first = recorder.counted()
        total = sum(r["bytes"] for r in first)
        by_type = {t: sum(r["bytes"] for r in first if r["type"] == t) for t in COUNTED}
        static = [r for r in first if r["type"] != "Document"]
        statuses = [r.get("status") for r in first if r["type"] == "Document"]
        recorder.clear()
        page.goto(base + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        fetched = [r for r in recorder.counted() if not r["cached"] and r["type"] != "Document"]
        context.close()
        rows.append(
            {
                "name": name,
                "total": total,
                "html": by_type["Document"],
                "css": by_type["Stylesheet"],
                "js": by_type["Script"],
                "files": len(first),
                "refetched": [r["url"].rsplit("/", 1)[-1] for r in fetched],
                "static": static,
                "statuses": statuses,
            }
        )
    return rows


def throttled(browser, base: str, path: str, state, phone) -> tuple[float, float]:
    context, page, _recorder = open_page(browser, state, phone, **SLOW_4G)
    page.goto(base + path, wait_until="load")
    cold = usable_ms(page)
    page.goto(base + path, wait_until="load")
    warm = usable_ms(page)
    context.close()
    return cold, warm


def main() -> int:
    data_dir = tempfile.mkdtemp(prefix="backsoon-budget-")
    try:
        return run(data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(data_dir: str) -> int:
    setup = prepare(data_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BACKSOON_DATA_DIR": data_dir}
    server = subprocess.Popen(
        [sys.executable, "-m", "backsoon", "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (our own http URL)
                break
            except OSError:
                time.sleep(0.1)
        else:
            print("the server didn't start", file=sys.stderr)
            return 2
        return report(base, setup)
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(base: str, setup: dict) -> int:
    from playwright.sync_api import sync_playwright

    from backsoon.testing.browser import CHROMIUM_ARGS, PHONE, chromium_path
    from backsoon.testing.fixtures import PASSWORD

    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        parent_ctx = browser.new_context(**PHONE)
        page = parent_ctx.new_page()
        page.goto(base + "/accounts/login/")
        page.get_by_label("Email").fill("maya@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/**")
        parent_state = parent_ctx.storage_state()
        parent_ctx.close()
        ana_ctx = browser.new_context(**PHONE)
        page = ana_ctx.new_page()
        page.goto(f"{base}/c/{setup['token']}/")
        page.get_by_role("button", name="Open the care sheet").click()
        page.wait_for_url("**/care/")
        ana_state = ana_ctx.storage_state()
        ana_ctx.close()
        empty = {"cookies": [], "origins": []}

        rows = measure(browser, base, setup["parent"][:1], empty, PHONE)
        rows += measure(browser, base, setup["parent"][1:], parent_state, PHONE)
        rows += measure(browser, base, setup["caregiver"], ana_state, PHONE)
        away_path = setup["parent"][4][1]
        care_path = setup["caregiver"][0][1]
        slow = {
            "away (parent)": throttled(browser, base, away_path, parent_state, PHONE),
            "care sheet (caregiver)": throttled(browser, base, care_path, ana_state, PHONE),
        }
        browser.close()

    print(f"First load on a phone, bytes on the wire (budget {BUDGET_BYTES // 1024} KB):\n")
    print(f"{'page':<24}{'total':>9}{'HTML':>9}{'CSS':>9}{'JS':>9}  repeat view fetches")
    for row in rows:
        again = ", ".join(row["refetched"]) or "only the HTML"
        print(
            f"{row['name']:<24}{kb(row['total']):>9}{kb(row['html']):>9}{kb(row['css']):>9}"
            f"{kb(row['js']):>9}  {again}"
        )
        if row["statuses"] != [200]:
            failures.append(f"{row['name']}: the page answered {row['statuses']}")
        if row["total"] > BUDGET_BYTES:
            failures.append(f"{row['name']}: {kb(row['total'])} over {kb(BUDGET_BYTES)}")
        if row["refetched"]:
            failures.append(f"{row['name']}: a repeat view fetched {row['refetched']}")
        for r in row["static"]:
            headers = r.get("headers", {})
            if headers.get("content-encoding") not in ("br", "gzip", "zstd"):
                failures.append(f"{r['url']} was sent uncompressed")
            if "immutable" not in headers.get("cache-control", ""):
                failures.append(
                    f"{r['url']} is not cached for good: {headers.get('cache-control')}"
                )
    print(f"\nSlow 4G, usable (first paint and scripts run; budget {USABLE_MS / 1000:.0f} s):\n")
    for name, (cold, warm) in slow.items():
        print(f"{name:<24}first visit {cold / 1000:.2f} s · repeat visit {warm / 1000:.2f} s")
        if cold > USABLE_MS:
            failures.append(f"{name} on slow 4G: {cold:.0f} ms")
    if failures:
        print("\nOver budget:\n  " + "\n  ".join(sorted(set(failures))))
        return 1
    print("\nAll within budget.")
    return 0


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


if __name__ == "__main__":
    raise SystemExit(main())
