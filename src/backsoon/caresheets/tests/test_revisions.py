"""Every save keeps a revision with its author and time; parents see the history."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from backsoon.caresheets.models import Revision, Sheet

from .conftest import write


def history_url(cast):
    return reverse("caresheets:history", args=[cast.household.pk])


def test_every_save_through_the_page_keeps_a_revision_with_author_and_time(cast):
    maya, sam = cast.client_for(cast.parent), cast.client_for(cast.partner)
    url = reverse("caresheets:child_section", args=[cast.household.pk, cast.child.pk, "soothing"])
    with time_machine.travel(datetime(2026, 7, 1, 13, 5, tzinfo=UTC), tick=False):
        maya.post(url, {"based_on": "0", "soothing-steps": "Rocking"})
    with time_machine.travel(datetime(2026, 7, 2, 8, 30, tzinfo=UTC), tick=False):
        sam.post(url, {"based_on": "1", "soothing-steps": "Rocking\nWhite noise"})
    first, second = Revision.objects.order_by("number")
    assert (first.number, first.author, first.author_name) == (1, cast.parent, "Maya")
    assert first.created_at == datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
    assert first.content == {"soothing": {"steps": ["Rocking"]}}
    assert (second.number, second.author_name, second.changes) == (
        2,
        "Sam",
        [["soothing", "steps"]],
    )
    assert second.content == {"soothing": {"steps": ["Rocking", "White noise"]}}
    sheet = Sheet.objects.get(child=cast.child)
    assert (sheet.revision, sheet.updated_by, sheet.updated_by_name) == (2, cast.partner, "Sam")
    assert sheet.updated_at == datetime(2026, 7, 2, 8, 30, tzinfo=UTC)


def test_the_authors_name_stays_in_the_history_after_they_leave(cast):
    write(cast, "child", {"health": {"notes": "Teething"}}, author=cast.partner)
    cast.partner.delete()
    revision = Revision.objects.get()
    assert revision.author is None and revision.author_name == "Sam"
    assert "Sam" in cast.client_for(cast.parent).get(history_url(cast)).content.decode()


@time_machine.travel(datetime(2026, 7, 1, 13, 5, tzinfo=UTC), tick=False)
def test_parents_see_who_changed_what_and_when_in_their_time_zone(cast):
    write(cast, "child", {"feeding": {"times": ["7:00"], "burping": ["After feeds"]}})
    write(
        cast,
        "household",
        {"contacts": {"people": [{"name": "Jo", "phone": "+447400123123"}]}},
        author=cast.partner,
    )
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    html = cast.client_for(cast.partner).get(history_url(cast)).content.decode()
    assert "Bea&#x27;s care sheet" in html
    assert "Feeding (Times and amounts, Burping)" in html
    assert "Who to call, doctor and home" in html and "Who to call" in html
    assert "Emergency agreement, version 1" in html
    assert "Maya, 1 Jul 2026, 14:05" in html  # London summer time
    assert "Sam, 1 Jul 2026, 14:05" in html


def test_the_history_is_for_parents_only(cast, link_client):
    write(cast, "child", {"health": {"notes": "Teething"}})
    assert cast.client_for(cast.caregiver).get(history_url(cast)).status_code == 404
    assert cast.client_for(cast.outsider).get(history_url(cast)).status_code == 404
    _link, client = link_client
    assert client.get(history_url(cast)).status_code == 404


def test_a_history_entry_with_odd_stored_changes_still_renders(cast):
    write(cast, "child", {"health": {"notes": "Teething"}})
    Revision.objects.update(changes=[["nope", "x"], "junk", ["health"], ["health", "notes"]])
    html = cast.client_for(cast.parent).get(history_url(cast)).content.decode()
    assert "Health notes" in html
