"""Planning time apart: the form, its agreed updates, and the bad input it must survive."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from backsoon.households.models import CaregiverLink
from backsoon.separations.models import AgreedCheckIn, Separation, SeparationPrivate
from backsoon.separations.tests.factories import FEAR_MARKER, make_separation

NOW = "2026-06-01 10:00:00+00:00"  # 11:00 in London


def plan_url(cast):
    return reverse("separations:plan", args=[cast.household.pk])


def form_data(cast, **overrides):
    data = {
        "kind": "practice",
        "carer": f"m{cast.caregiver.pk}",
        "children": [str(cast.child.pk)],
        "starts_at": "2026-06-01T12:00",
        "minutes": "30",
        "until": "",
        "plan_note": "",
        "messages_aim": "1",
        "worry_before": "",
        "fear": "",
        "fear_likelihood": "",
        "agreed-TOTAL_FORMS": "2",
        "agreed-INITIAL_FORMS": "0",
        "agreed-MIN_NUM_FORMS": "0",
        "agreed-MAX_NUM_FORMS": "8",
    }
    for n in range(2):
        data |= {
            f"agreed-{n}-kind": "all_good",
            f"agreed-{n}-after": "",
            f"agreed-{n}-at": "",
            f"agreed-{n}-label": "",
        }
    return data | overrides


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_form_offers_the_people_and_children_of_the_household(cast, frozen):
    CaregiverLink.create(household=cast.household, name="Sitter Lou", created_by=cast.parent)
    html = cast.client_for(cast.parent).get(plan_url(cast)).content.decode()
    assert "Grandma Ana" in html and "Sam" in html and "Sitter Lou" in html and "Bea" in html
    assert "Nils" not in html and "Olle" not in html
    assert 'value="2026-06-01T11:00"' in html  # now, on London's clock


def test_a_plan_is_stored_in_utc_with_the_usual_agreement(cast, frozen):
    response = cast.client_for(cast.parent).post(
        plan_url(cast), form_data(cast, worry_before="6", fear=FEAR_MARKER)
    )
    separation = Separation.objects.get()
    assert response["Location"] == reverse(
        "separations:detail", args=[cast.household.pk, separation.pk]
    )
    assert separation.starts_at == datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 BST
    assert separation.leaver == cast.parent and separation.carer_membership == cast.caregiver
    assert separation.carer_name == "Grandma Ana" and list(separation.children.all()) == [
        cast.child
    ]
    assert [(a.kind, a.offset_minutes) for a in separation.agreed.all()] == [("all_good", 15)]
    private = SeparationPrivate.objects.get(separation=separation)
    assert (
        private.owner == cast.parent and private.worry_before == 6 and private.fear == FEAR_MARKER
    )
    assert private.messages_aim == 1


def test_agreed_updates_at_a_time_or_after_minutes(cast, frozen):
    data = form_data(
        cast,
        minutes="120",
        **{
            "agreed-0-at": "13:00",
            "agreed-0-label": "after lunch",
            "agreed-1-kind": "photo",
            "agreed-1-after": "90",
        },
    )
    cast.client_for(cast.parent).post(plan_url(cast), data)
    agreed = list(Separation.objects.get().agreed.all())
    assert [(a.kind, a.label, a.due_at) for a in agreed] == [
        ("all_good", "after lunch", datetime(2026, 6, 1, 12, 0, tzinfo=UTC)),
        ("photo", "", datetime(2026, 6, 1, 12, 30, tzinfo=UTC)),
    ]


def test_no_agreed_updates_when_asked(cast, frozen):
    cast.client_for(cast.parent).post(plan_url(cast), form_data(cast, no_agreed="on"))
    assert not AgreedCheckIn.objects.exists()


def test_a_back_by_time_sets_the_length(cast, frozen):
    cast.client_for(cast.parent).post(plan_url(cast), form_data(cast, until="13:30"))
    assert Separation.objects.get().planned_minutes == 90


def test_a_start_in_the_past_is_refused_next_to_the_field_and_values_are_kept(cast, frozen):
    response = cast.client_for(cast.parent).post(
        plan_url(cast),
        form_data(cast, starts_at="2026-06-01T09:00", plan_note="a walk to the pond"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "already passed" in html and 'value="a walk to the pond"' in html
    assert not Separation.objects.exists()


def test_an_agreed_update_after_the_end_is_an_error(cast, frozen):
    response = cast.client_for(cast.parent).post(
        plan_url(cast), form_data(cast, **{"agreed-0-after": "45", "agreed-1-at": "12:10"})
    )
    html = response.content.decode()
    assert html.count("after you&#x27;re back") == 1 and "12:30" in html
    assert 'value="45"' in html
    assert not Separation.objects.exists()


def test_an_agreed_update_needs_a_time_or_minutes_but_not_both(cast, frozen):
    response = cast.client_for(cast.parent).post(
        plan_url(cast),
        form_data(
            cast, **{"agreed-0-after": "10", "agreed-0-at": "12:10", "agreed-1-label": "nap"}
        ),
    )
    html = response.content.decode()
    assert "not both" in html and "A time, or minutes" in html
    assert not Separation.objects.exists()


def test_overlapping_time_apart_for_the_same_child_asks_to_confirm(cast, frozen):
    make_separation(
        cast,
        leaver=cast.partner,
        carer=cast.caregiver,
        status=Separation.Status.PLANNED,
        starts_at=datetime(2026, 6, 1, 11, 15, tzinfo=UTC),
        minutes=60,
    )
    client = cast.client_for(cast.parent)
    response = client.post(plan_url(cast), form_data(cast))
    html = response.content.decode()
    assert "overlaps" in html and "Sam away from 12:15" in html and "plan it anyway" in html
    assert Separation.objects.count() == 1
    client.post(plan_url(cast), form_data(cast, confirm_overlap="on"))
    assert Separation.objects.count() == 2


def test_a_clock_change_inside_the_plan(cast):
    # 25 Oct 2026, London: 01:00 BST is 00:00 UTC; the clocks go back at 02:00 BST.
    with time_machine.travel("2026-10-24 22:00:00+00:00", tick=False):
        data = form_data(
            cast, starts_at="2026-10-25T00:30", minutes="180", **{"agreed-0-at": "02:30"}
        )
        cast.client_for(cast.parent).post(plan_url(cast), data)
    separation = Separation.objects.get()
    assert separation.starts_at == datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert separation.expected_back == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)  # 02:30 GMT
    assert separation.agreed.get().due_at == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_a_start_that_the_clock_change_makes_ambiguous_is_a_calm_error(cast):
    with time_machine.travel("2026-10-24 22:00:00+00:00", tick=False):
        response = cast.client_for(cast.parent).post(
            plan_url(cast), form_data(cast, starts_at="2026-10-25T01:30")
        )
    assert response.status_code == 200
    assert "couldn" in response.content.decode()
    assert not Separation.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"carer": "m999999"},
        {"carer": "l1x"},
        {"children": [str(999999)]},
        {"starts_at": "tomorrow-ish"},
        {"minutes": "7"},
        {"minutes": "-30"},
        {"kind": "holiday"},
        {"agreed-0-after": "99999999"},
        {"agreed-0-at": "25:99"},
        {"agreed-TOTAL_FORMS": "100"},
        {"agreed-TOTAL_FORMS": "x"},
        {"messages_aim": "-1"},
        {"worry_before": "11"},
        {"fear": "x" * 400},
    ],
)
def test_bad_input_never_fails_loudly(cast, frozen, bad):
    response = cast.client_for(cast.parent).post(plan_url(cast), form_data(cast, **bad))
    assert response.status_code in (200, 400)
    assert not Separation.objects.exists()


def test_another_households_people_cannot_be_chosen(cast, frozen):
    response = cast.client_for(cast.parent).post(
        plan_url(cast), form_data(cast, carer=f"m{cast.outsider.pk}")
    )
    assert response.status_code == 200 and not Separation.objects.exists()


def test_without_anyone_to_stay_the_page_says_what_to_do(cast, frozen):
    cast.household.memberships.exclude(pk=cast.parent.pk).update(household=cast.other_household)
    html = cast.client_for(cast.parent).get(plan_url(cast)).content.decode()
    assert "Make a caregiver link" in html


def test_the_partner_can_change_the_plan_and_a_later_start_is_recorded(cast, frozen):
    separation = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
    )
    client = cast.client_for(cast.partner)
    url = reverse("separations:edit", args=[cast.household.pk, separation.pk])
    page = client.get(url).content.decode()
    assert 'value="2026-06-01T12:00"' in page and "worry" not in page.lower()
    data = form_data(cast, starts_at="2026-06-01T14:00", **{"agreed-0-after": "20"})
    data.pop("messages_aim")
    assert client.post(url, data).status_code == 302
    separation.refresh_from_db()
    assert separation.starts_at == datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    change = separation.changes.get()
    assert change.kind == "postponed" and change.by == cast.partner
    assert separation.agreed.get().due_at == datetime(2026, 6, 1, 13, 20, tzinfo=UTC)


def test_cancelling_is_recorded(cast, frozen):
    separation = make_separation(cast, status=Separation.Status.PLANNED)
    response = cast.client_for(cast.parent).post(
        reverse("separations:cancel", args=[cast.household.pk, separation.pk])
    )
    assert response.status_code == 302
    separation.refresh_from_db()
    assert separation.status == "cancelled" and separation.changes.get().kind == "cancelled"
