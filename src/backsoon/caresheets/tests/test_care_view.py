"""The caregiver view: emergency number first, who to call, each child's sheet, what changed."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from backsoon.caresheets.models import LastSeen
from backsoon.households.models import Household, Membership

from .conftest import care_url, write

CHANGED = "Changed since you last looked</span>"


def fill(cast):
    Membership.objects.filter(pk=cast.parent.pk).update(phone="+447400123001")
    write(
        cast,
        "child",
        {"feeding": {"times": ["7:00 bottle"]}, "soothing": {"steps": ["Rocking", "White noise"]}},
    )
    write(
        cast,
        "household",
        {
            "contacts": {
                "people": [{"name": "Auntie Jo", "relation": "my sister", "phone": "+447400123002"}]
            },
            "doctor": {"pediatrician_name": "Dr Osei", "pediatrician_phone": "+442079460000"},
            "home": {
                "address": "1 Elm Row\nFlat 2",
                "where_things_are": ["First aid kit: bathroom"],
            },
        },
    )
    write(
        cast,
        "agreement",
        {"worrying": {"items": ["A fever"]}, "call_now": {"items": ["An accident"]}},
    )


def test_the_emergency_number_comes_first_then_the_parents_then_the_others(cast):
    fill(cast)
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    main = html[html.index("<main") :]
    positions = [
        main.index('href="tel:999"'),
        main.index("Maya"),
        main.index('href="tel:+447400123001"'),
        main.index("Sam"),
        main.index("Auntie Jo"),
        main.index("Dr Osei"),
        main.index("1 Elm Row<br>Flat 2"),
        main.index("Rocking"),
        main.index("Our emergency agreement"),
    ]
    assert positions == sorted(positions)
    assert "07400 123001" in main  # shown the way people dial it at home
    assert "no phone number saved yet" in main  # Sam has none


def test_a_country_we_have_no_number_for_says_your_local_emergency_number(cast):
    Household.objects.filter(pk=cast.household.pk).update(country="ZZ")
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    assert "Call your local emergency number first, then the parents." in html
    assert 'href="tel:' not in html.split("<main")[1].split("Who to call")[0]


def test_the_us_household_sees_911(cast):
    html = (
        cast.client_for(cast.outsider)
        .get(reverse("caresheets:care", args=[cast.other_household.pk]))
        .content
    )
    assert b'href="tel:911"' in html


def test_each_childs_sheet_shows_in_order_and_text_is_escaped(cast):
    write(cast, "child", {"soothing": {"steps": ["<script>alert(1)</script>", "Rocking"]}})
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert re.search(r'<ol class="care-lines care-lines--ordered"><li>&lt;script', html)


def test_what_changed_is_marked_per_person_and_clears_once_they_have_looked(cast):
    fill(cast)
    ana, sam = cast.client_for(cast.caregiver), cast.client_for(cast.partner)
    assert (
        CHANGED not in ana.get(care_url(cast)).content.decode()
    )  # first look: nothing is "changed"
    assert CHANGED not in sam.get(care_url(cast)).content.decode()
    assert CHANGED not in ana.get(care_url(cast)).content.decode()  # nothing changed yet

    write(cast, "child", {"soothing": {"steps": ["White noise", "Rocking"]}})

    html = ana.get(care_url(cast)).content.decode()
    assert html.count(CHANGED) == 1
    soothing = html[html.index(f'id="child-{cast.child.pk}-soothing"') :]
    assert soothing.index(CHANGED) < soothing.index("</div>")
    assert f'href="#child-{cast.child.pk}-soothing">Bea: Soothing</a>' in html
    assert CHANGED not in ana.get(care_url(cast)).content.decode()  # she has looked now
    assert CHANGED in sam.get(care_url(cast)).content.decode()  # Sam hasn't yet


def test_a_parents_own_edit_is_not_news_to_them(cast):
    fill(cast)
    maya = cast.client_for(cast.parent)
    maya.get(care_url(cast))
    maya.post(
        reverse("caresheets:child_section", args=[cast.household.pk, cast.child.pk, "health"]),
        {"health-notes": "Teething"},
    )
    assert CHANGED not in maya.get(care_url(cast)).content.decode()


def test_household_parts_and_the_agreement_are_marked_too(cast):
    fill(cast)
    ana = cast.client_for(cast.caregiver)
    ana.get(care_url(cast))
    write(cast, "household", {"home": {"address": "2 Oak Lane"}})
    write(cast, "agreement", {"can_handle": {"items": ["Short naps"]}})
    html = ana.get(care_url(cast)).content.decode()
    assert html.count(CHANGED) == 2
    assert (
        'href="#home">Home</a>' in html and 'href="#agreement">the emergency agreement</a>' in html
    )


def test_a_sheet_written_after_the_last_look_is_marked_new(cast):
    ana = cast.client_for(cast.caregiver)
    ana.get(care_url(cast))
    write(cast, "child", {"sleep": {"where": "Cot"}})
    assert ana.get(care_url(cast)).content.decode().count(CHANGED) == 1


def test_a_caregiver_link_reaches_the_care_view_with_its_own_marks(cast, link_client):
    fill(cast)
    link, client = link_client
    response = client.get(care_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("households:link_about", args=[cast.household.pk]) in html
    assert "Edit the care sheet" not in html
    assert LastSeen.objects.filter(link=link).exists()
    write(cast, "child", {"feeding": {"times": ["7:30 bottle"]}})
    assert CHANGED in client.get(care_url(cast)).content.decode()
    assert CHANGED not in client.get(care_url(cast)).content.decode()


def test_odd_stored_seen_marks_are_read_safely(cast):
    fill(cast)
    ana = cast.client_for(cast.caregiver)
    ana.get(care_url(cast))
    LastSeen.objects.update(revisions={"junk": "x", "1": -4, "2": "3"})
    assert ana.get(care_url(cast)).status_code == 200


def test_nothing_else_is_on_the_caregivers_page(cast):
    fill(cast)
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    assert "People and invitations" not in html
    assert "History of changes" not in html
    assert "Edit the care sheet" not in html
    assert (
        "Edit the care sheet" in cast.client_for(cast.parent).get(care_url(cast)).content.decode()
    )


@time_machine.travel(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), tick=False)
def test_last_updated_is_shown_in_the_households_time_zone(cast):
    fill(cast)
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    assert "Last updated 1 July 2026, 23:30" in html


def test_an_empty_sheet_is_calm(cast):
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    assert "Nothing written down for Bea yet." in html
    assert "written the agreement yet" in html


def test_bigger_text_is_a_button_that_works_without_javascript(cast):
    ana = cast.client_for(cast.caregiver)
    assert 'class="care-page"' in ana.get(care_url(cast)).content.decode()
    response = ana.post(
        reverse("caresheets:text_size", args=[cast.household.pk]), {"size": "bigger"}
    )
    assert response["Location"] == care_url(cast)
    html = ana.get(care_url(cast)).content.decode()
    assert 'class="care-page bigger-text"' in html and "Normal text" in html
    ana.post(reverse("caresheets:text_size", args=[cast.household.pk]), {"size": "normal"})
    assert (
        "bigger-text"
        not in ana.get(care_url(cast)).content.decode().split("<body")[1].split(">")[0]
    )
    assert ana.get(reverse("caresheets:text_size", args=[cast.household.pk])).status_code == 405


@pytest.mark.parametrize("who", ["parent", "caregiver"])
def test_no_inline_styles_or_scripts_and_a_print_stylesheet(cast, who):
    fill(cast)
    html = cast.client_for(getattr(cast, who)).get(care_url(cast)).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert 'href="/static/caresheets/print.css" media="print"' in html


def test_the_edit_pages_have_no_inline_styles_either(cast):
    fill(cast)
    client = cast.client_for(cast.parent)
    urls = [
        reverse("caresheets:edit", args=[cast.household.pk]),
        reverse("caresheets:child_section", args=[cast.household.pk, cast.child.pk, "medicines"]),
        reverse("caresheets:household_contacts", args=[cast.household.pk]),
        reverse("caresheets:agreement", args=[cast.household.pk]),
        reverse("caresheets:history", args=[cast.household.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
