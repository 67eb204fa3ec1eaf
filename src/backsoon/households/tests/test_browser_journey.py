"""The first journey, in a real Chromium on phone-sized screens, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backsoon.testing.browser import assert_accessible, follow
from backsoon.testing.fixtures import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def sign_up(page, base: str, email: str) -> None:
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_two_parents_share_a_household_and_an_outsider_sees_nothing(live_server, new_phone):
    base = live_server.url
    maya = new_phone()
    problems = watch_console(maya)

    maya.goto(base + "/")
    assert_accessible(maya, "01-landing")
    follow(maya, "Create an account")
    assert_accessible(maya, "02-signup")
    sign_up(maya, base, "maya@example.org")

    maya.wait_for_url(re.compile(r"^https?://[^/]+/(h/new/)?$"))
    if not maya.url.endswith("/h/new/"):
        follow(maya, "Set up a household")
    assert_accessible(maya, "03-household-new")
    maya.get_by_label("Your name").fill("Maya")
    maya.get_by_label("Household name").fill("The Okafors")
    maya.get_by_label("Country").select_option("GB")
    maya.get_by_label("Time zone").select_option("Europe/London")
    maya.get_by_role("button", name="Continue").click()

    maya.wait_for_url(re.compile(r"/children/new/$"))
    assert_accessible(maya, "04-child-new")
    maya.get_by_label("Name").fill("Bea")
    maya.get_by_label("Date of birth").fill("2026-03-01")
    maya.get_by_role("button", name="Save").click()
    maya.wait_for_url(re.compile(r"/h/\d+/$"))
    household_url = maya.url
    expect(maya.locator(".card__title", has_text="Bea")).to_be_visible()
    assert_accessible(maya, "05-dashboard")

    follow(maya, "People and invitations")
    assert_accessible(maya, "06-members")
    follow(maya, "Invite someone")
    assert_accessible(maya, "07-invite")
    maya.get_by_label("Their name").fill("Sam")
    maya.get_by_role("button", name="Make the invitation").click()
    link = maya.get_by_label("Invitation link").input_value()
    assert link.startswith(base + "/invite/")
    assert_accessible(maya, "08-invitation-share")

    sam = new_phone()
    sam_problems = watch_console(sam)
    sam.goto(link)
    assert_accessible(sam, "09-invitation-landing")
    follow(sam, "Create an account")
    sign_up(sam, base, "sam@example.org")
    sam.wait_for_url(re.compile(r"/invite/"))
    sam.get_by_label("Your name as others will see it").fill("Sam")
    assert_accessible(sam, "10-invitation-accept")
    sam.get_by_role("button", name="Accept and join").click()
    sam.wait_for_url(household_url)
    expect(sam.get_by_role("heading", name="The Okafors")).to_be_visible()
    expect(sam.locator(".card__title", has_text="Bea")).to_be_visible()

    maya.goto(household_url + "members/")
    expect(maya.locator(".card__title", has_text="Sam")).to_be_visible()

    make_user("olle@example.org")
    olle = new_phone()
    olle.goto(base + "/accounts/login/")
    assert_accessible(olle, "11-login")
    olle.get_by_label("Email").fill("olle@example.org")
    olle.get_by_label("Password").fill(PASSWORD)
    olle.get_by_role("button", name="Log in").click()
    olle.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in ("", "members/", "settings/", "children/new/"):
        response = olle.goto(household_url + path)
        assert response.status == 404, path
    assert "Bea" not in olle.content()
    assert_accessible(olle, "12-not-found")

    olle.get_by_role("link", name="Get help now").click()
    olle.wait_for_url(re.compile("^" + re.escape(base) + "/help/"))

    assert not [
        p for p in problems + sam_problems if "Content Security Policy" in p or "Refused" in p
    ]
