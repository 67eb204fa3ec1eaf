"""Browser-test helpers: Playwright driving Debian's Chromium, phone viewports, axe-core."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("BACKSOON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is needed for browser tests: apt-get install chromium (the CI script does)."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop; Django's live server must allow that.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_phone(browser):
    """Make a new phone-sized browser context (one per person)."""
    contexts = []

    def make(**options):
        context = browser.new_context(**(PHONE | options))
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (through the DevTools protocol, so the page's CSP stays on)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"][:3]],
        }
        for v in result
        if v["impact"] in impacts
    ]


def assert_accessible(page, name: str) -> None:
    violations = axe_violations(page)
    screenshot(page, name)
    assert not violations, f"axe found problems on {name} ({page.url}): {violations}"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
