"""Grandma on a caregiver link, on a phone: read, confirm, offline, print, revoke."""

from __future__ import annotations

import contextlib
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from backsoon.caresheets import services
from backsoon.caresheets.models import Sheet
from backsoon.households.models import CaregiverLink, Child, Household, Membership, Role
from backsoon.testing.browser import assert_accessible, screenshot
from backsoon.testing.fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_typical_household():
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
    bea = Child.objects.create(household=household, name="Bea", birth_date=date(2026, 2, 1))
    services.save(
        services.sheet_for(household, Sheet.Kind.CHILD, bea),
        {
            "feeding": {
                "times": ["Bottle around 12:00 and 16:00, about 150 ml"],
                "how": "Warm, not hot. She likes to hold the bottle herself.",
                "burping": ["Over the shoulder after every feed"],
            },
            "sleep": {
                "naps": ["Nap around 13:00 for about an hour"],
                "bedtime": ["Bath", "Pyjamas", "Song", "Into the cot awake"],
                "where": "In her cot, on her back",
                "comfort": "Rabbit, the grey one",
            },
            "soothing": {"steps": ["Rocking", "White noise", "A walk in the pram"]},
            "medicines": {"none_known": True},
        },
        maya,
    )
    services.save(
        services.sheet_for(household, Sheet.Kind.HOUSEHOLD),
        {
            "contacts": {"people": [{"name": "Sam", "relation": "Dad", "phone": "+447400123457"}]},
            "doctor": {"pediatrician_name": "Dr Patel", "pediatrician_phone": "+442071234567"},
            "home": {
                "address": "12 Elm Road, London N1 2AB",
                "where_things_are": "Nappies in the top drawer",
            },
        },
        maya,
    )
    services.save(
        services.sheet_for(household, Sheet.Kind.AGREEMENT),
        {
            "call_now": {"items": ["She has trouble breathing", "She won't wake up properly"]},
            "can_handle": {"items": ["Crying that settles with rocking", "A nap that is short"]},
            "worrying": {"items": ["A fever", "A fall", "She won't feed"]},
        },
        maya,
    )
    link, token = CaregiverLink.create(household=household, name="Grandma Ana", created_by=maya)
    return household, link, token


def test_grandma_reads_confirms_keeps_it_offline_prints_it_and_loses_it_when_stopped(
    live_server, new_phone
):
    household, link, token = a_typical_household()
    ana = new_phone()
    problems: list[str] = []
    ana.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    ana.goto(f"{live_server.url}/c/{token}/")
    assert_accessible(ana, "caresheet-01-link")
    ana.get_by_role("button", name="Open the care sheet").click()
    ana.wait_for_url(re.compile(r"/care/$"))
    expect(ana.get_by_role("heading", name="Looking after Bea")).to_be_visible()
    expect(
        ana.locator('a[href="tel:999"]').first
    ).to_be_visible()  # the emergency number comes first
    assert_accessible(ana, "caresheet-02-care")

    ana.get_by_role("button", name="I've read this and I'm comfortable with it").click()
    ana.wait_for_load_state()
    expect(ana.get_by_text("The parents can see that you've read it")).to_be_visible()
    assert_accessible(ana, "caresheet-03-confirmed")
    ana.get_by_role("button", name="Bigger text").click()
    expect(ana.locator("body")).to_have_class(re.compile(r"(^|\s)bigger-text(\s|$)"))
    assert_accessible(ana, "caresheet-04-bigger")

    # The service worker has taken control and kept the page: reload it with no network.
    ana.evaluate("async () => { await navigator.serviceWorker.ready; }")
    ana.reload()
    ana.wait_for_function("() => navigator.serviceWorker.controller !== null")
    ana.reload()
    ana.context.set_offline(True)
    ana.reload()
    expect(ana.get_by_role("heading", name="Looking after Bea")).to_be_visible()
    expect(ana.get_by_text("Rabbit, the grey one")).to_be_visible()
    expect(ana.locator("[data-offline-note]")).to_be_visible()
    expect(ana.get_by_text(re.compile("Last updated")).first).to_be_visible()
    screenshot(ana, "caresheet-05-offline")

    # Printed for the fridge: one or two pages.
    pdf = ana.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the printed sheet has {pages} pages"

    # Maya stops the link; once Ana's phone is online again, the copy is gone.
    CaregiverLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    with ana.expect_navigation() as navigation:
        ana.context.set_offline(False)  # the page fetches itself again once it is online
    status = navigation.value.status
    if status != 410:  # that first fetch may still have raced the network coming back
        status = ana.goto(f"{live_server.url}/h/{household.pk}/care/").status
    assert status == 410
    expect(ana.get_by_text("The parents have stopped it")).to_be_visible()
    assert_accessible(ana, "caresheet-06-stopped")
    ana.wait_for_function("async () => !(await caches.has('backsoon-pages'))")
    ana.context.set_offline(True)
    with contextlib.suppress(PlaywrightError):  # nothing kept: the browser's own offline page
        ana.goto(f"{live_server.url}/h/{household.pk}/care/")
    expect(ana.get_by_text("Rabbit, the grey one")).not_to_be_visible()
    assert "Looking after Bea" not in ana.content()
    assert not [p for p in problems if "Content Security Policy" in p]
