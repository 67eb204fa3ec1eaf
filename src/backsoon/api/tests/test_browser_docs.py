"""The API docs in a real Chromium, under the app's CSP: Swagger UI loads from our own static
files, draws every operation, and the browser reports no blocked script or style."""

import pytest

from backsoon.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_works_under_the_csp(live_server, new_phone):
    page = new_phone(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Back Soon API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/households/{household_id}/separations" in p for p in paths)
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    screenshot(page, "api-docs")
    assert not problems, problems
    assert not outside, outside
