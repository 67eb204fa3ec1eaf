"""The care sheet's pages ask the database the same number of questions however much there is."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backsoon.caresheets import services
from backsoon.caresheets.models import Sheet
from backsoon.households.access import Subject
from backsoon.households.models import CaregiverLink, Child

from .conftest import write

MAX_QUERIES = 12

CHILD_CONTENT = {
    "feeding": {"times": ["7:00", "11:00"], "burping": ["After feeds"]},
    "sleep": {"bedtime": ["Bath", "Story"], "where": "Cot"},
    "soothing": {"steps": ["Rocking", "White noise"]},
    "medicines": {"items": [{"name": "Drops", "dose": "1", "when": "am", "what_to_do": ""}]},
    "health": {"notes": "Teething"},
}


def add_children(cast, count: int) -> None:
    for n in range(count):
        child = Child.objects.create(
            household=cast.household, name=f"Kid {n}", birth_date=date(2026, 1, 1)
        )
        write(cast, "child", CHILD_CONTENT, child=child)
        write(cast, "child", {"health": {"notes": f"Teething {n}"}}, child=child)
    people = [{"name": f"P{n}", "relation": "", "phone": "+447400123123"} for n in range(count)]
    write(cast, "household", {"contacts": {"people": people}})
    write(cast, "agreement", {"call_now": {"items": [f"Thing {n}" for n in range(count)]}})
    agreement = Sheet.objects.get(kind="agreement")
    for n in range(count):
        link, _token = CaregiverLink.create(
            household=cast.household, name=f"Sitter {n}", created_by=cast.parent
        )
        services.respond(
            Subject(cast.household, link=link), agreement, confirmed=True, note=f"Note {n}"
        )


def pages(cast):
    h = cast.household.pk
    child = Child.objects.filter(household=cast.household).first()
    return {
        "care": reverse("caresheets:care", args=[h]),
        "edit": reverse("caresheets:edit", args=[h]),
        "history": reverse("caresheets:history", args=[h]),
        "agreement": reverse("caresheets:agreement", args=[h]),
        "contacts": reverse("caresheets:household_contacts", args=[h]),
        "section": reverse("caresheets:child_section", args=[h, child.pk, "medicines"]),
    }


def change_everything(cast) -> None:
    """A new revision of every sheet (by Sam), so the care view has changes to mark."""
    for sheet in Sheet.objects.filter(household=cast.household).select_related("child"):
        if sheet.kind == "child":
            content = {"health": {"notes": f"Changed {sheet.revision}"}}
            write(cast, "child", content, child=sheet.child, author=cast.partner)
        elif sheet.kind == "household":
            write(
                cast,
                "household",
                {"home": {"address": f"{sheet.revision} Elm Row"}},
                author=cast.partner,
            )
        else:
            write(
                cast,
                "agreement",
                {"worrying": {"items": [f"Fever {sheet.revision}"]}},
                author=cast.partner,
            )


def count_queries(client, url, cast=None) -> int:
    client.get(url)  # warm the session and the "last seen" row
    if cast is not None:
        change_everything(cast)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if cast is not None:
        assert "Changed since you last looked</span>" in response.content.decode()
    return len(queries)


def counts(cast, who) -> dict[str, int]:
    client = cast.client_for(getattr(cast, who))
    return {
        name: count_queries(client, url, cast if name == "care" else None)
        for name, url in pages(cast).items()
        if who == "parent" or name == "care"
    }


@pytest.mark.parametrize("who", ["parent", "caregiver"])
def test_page_queries_do_not_grow_with_children_contacts_or_revisions(
    cast, who, django_assert_max_num_queries
):
    add_children(cast, 1)
    few = counts(cast, who)
    add_children(cast, 3)
    many = counts(cast, who)
    assert many == few
    client = cast.client_for(getattr(cast, who))
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(pages(cast)["care"])


def test_the_caregiver_links_view_queries_stay_flat_too(cast, link_client):
    _link, client = link_client
    add_children(cast, 1)
    few = count_queries(client, pages(cast)["care"], cast)
    add_children(cast, 3)
    assert count_queries(client, pages(cast)["care"], cast) == few
