"""Browser-test helpers: Playwright driving Debian's Chromium, phone viewports, axe-core."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

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


def follow(page, name: str | re.Pattern) -> None:
    """Press the link called `name` and wait until its page has loaded.

    Checking a page straight after a click can catch the old page, or none at all while
    the browser swaps documents; waiting for the link's own address avoids both.
    """
    link = page.get_by_role("link", name=name)
    href = link.first.get_attribute("href")
    target = urljoin(page.url, href)
    link.first.click()
    page.wait_for_url(target)
    page.wait_for_load_state("load")


# Errors Chromium gives when a script meets a page that is being replaced.
NAVIGATING = ("Execution context was destroyed", "reading 'documentElement'", "navigation")


def _run_axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (through the DevTools protocol, so the page's CSP stays on)."""
    from playwright.sync_api import Error

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            result = _run_axe(page)
            break
        except Error as error:
            if attempt == 2 or not any(sign in str(error) for sign in NAVIGATING):
                raise
            page.wait_for_timeout(200)
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


# Colours fade for 0.15 s after a theme switch: axe must see where they end, not halfway.
SETTLED = """() => Promise.all(document.getAnimations()
  .filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => null)))"""
DESKTOP = {"width": 1280, "height": 900}
TAP_MINIMUM = 44

# Everything a thumb presses. Links inside a sentence are exempt (WCAG 2.5.8), as are
# controls the browser draws inside a label that is itself the target (checkboxes, radios).
SMALL_TARGETS = """(minimum) => {
  const small = [];
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const block = el.closest("p, li, dd, td, figcaption, span, label, legend, .meta");
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const targets = document.querySelectorAll(
    "a[href], button, summary, select, "
    + "input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
  );
  for (const el of targets) {
    if (el.closest(".visually-hidden, [hidden], [aria-hidden=true], .skip-link")) continue;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (inSentence(el)) continue;
    // A card's link stretches over the whole card (.card__link::after).
    const area = el.closest("label") || (el.matches(".card__link") && el.closest(".card"));
    const pressed = area ? area.getBoundingClientRect() : box;
    if (pressed.height < minimum - 0.5 || pressed.width < minimum - 0.5) {
      const text = (el.textContent || el.value || el.name || "").trim().slice(0, 40);
      const size = `${Math.round(pressed.width)}x${Math.round(pressed.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${text}" ${size}`);
    }
  }
  return small;
}"""


def small_tap_targets(page) -> list[str]:
    """Links and buttons smaller than 44 x 44 CSS pixels (sentence links excepted)."""
    return page.evaluate(SMALL_TARGETS, TAP_MINIMUM)


def check_screen(page, name: str, *, desktop: bool = True) -> None:
    """One screen of a journey: axe in light and dark, 44 px targets, screenshots of each.

    Saves `<name>-phone.png`, `<name>-phone-dark.png` and (unless desktop=False, e.g. when a
    resize would reflow a live page under the test) `<name>-desktop.png`.
    """
    problems = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.evaluate(SETTLED)
        found = axe_violations(page)
        if found:
            problems[scheme] = found
        screenshot(page, f"{name}-phone" + ("-dark" if scheme == "dark" else ""))
    page.emulate_media(color_scheme="light")
    page.evaluate(SETTLED)
    small = small_tap_targets(page)
    if desktop:
        phone = page.viewport_size
        page.set_viewport_size(DESKTOP)
        screenshot(page, f"{name}-desktop")
        page.set_viewport_size(phone)
    assert not problems, f"axe found problems on {name} ({page.url}): {problems}"
    assert not small, f"tap targets under {TAP_MINIMUM}px on {name} ({page.url}): {small}"
