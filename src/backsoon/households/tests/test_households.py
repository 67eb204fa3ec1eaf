from datetime import date

import time_machine
from django.urls import reverse

from backsoon.households.models import Child, Household, Membership, Role
from backsoon.testing.fixtures import make_user


def test_a_new_parent_creates_a_household_and_becomes_its_parent(db, client):
    user = make_user("new@example.org")
    client.force_login(user)
    response = client.post(
        reverse("households:new"),
        {"display_name": "Maya", "name": "Home", "country": "GB", "time_zone": "Europe/London"},
    )
    household = Household.objects.get(name="Home")
    assert response["Location"] == reverse("households:child_new", args=[household.pk])
    membership = Membership.objects.get(household=household, user=user)
    assert membership.role == Role.PARENT and membership.display_name == "Maya"


def test_bad_household_input_keeps_what_was_typed(db, client):
    client.force_login(make_user("new@example.org"))
    response = client.post(
        reverse("households:new"),
        {"display_name": "Maya", "name": "Home", "country": "XX", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert not Household.objects.exists()
    html = response.content.decode()
    assert 'value="Maya"' in html and 'value="Home"' in html
    assert html.count('class="field__error"') == 2


@time_machine.travel("2026-11-22 12:00:00+00:00", tick=False)
def test_birth_dates_in_the_future_or_over_six_years_ago_are_refused(cast):
    client = cast.client_for(cast.parent)
    url = reverse("households:child_new", args=[cast.household.pk])
    future = client.post(url, {"name": "Kit", "birth_date": "2026-11-23"})
    assert "in the future" in future.content.decode()
    too_old = client.post(url, {"name": "Kit", "birth_date": "2020-11-21"})
    assert "up to 6 years old" in too_old.content.decode()
    assert 'value="Kit"' in too_old.content.decode()
    assert not Child.objects.filter(name="Kit").exists()
    ok = client.post(url, {"name": "Kit", "birth_date": "2020-11-22"})
    assert ok.status_code == 302
    assert Child.objects.get(name="Kit").birth_date == date(2020, 11, 22)


def test_a_malformed_date_is_a_clear_message_not_an_error(cast):
    response = cast.client_for(cast.parent).post(
        reverse("households:child_new", args=[cast.household.pk]),
        {"name": "Kit", "birth_date": "31/31/2026"},
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_a_parent_edits_and_removes_a_child(cast):
    client = cast.client_for(cast.parent)
    url = reverse("households:child_edit", args=[cast.household.pk, cast.child.pk])
    client.post(url, {"name": "Beatrice", "birth_date": "2026-03-01"})
    cast.child.refresh_from_db()
    assert cast.child.name == "Beatrice"
    client.post(url, {"delete": "1"})
    assert not Child.objects.filter(pk=cast.child.pk).exists()


def test_the_dashboard_shows_this_households_children_only(cast):
    html = (
        cast.client_for(cast.caregiver)
        .get(reverse("households:dashboard", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Bea" in html and "Nils" not in html
    assert reverse("households:members", args=[cast.household.pk]) not in html


def test_home_goes_straight_to_the_only_household_and_lists_several(cast):
    client = cast.client_for(cast.parent)
    assert client.get(reverse("home"))["Location"] == reverse(
        "households:dashboard", args=[cast.household.pk]
    )
    Membership.objects.create(
        household=cast.other_household,
        user=cast.parent.user,
        role=Role.CAREGIVER,
        display_name="Maya",
    )
    html = client.get(reverse("home")).content.decode()
    assert "The Okafors" in html and "The Lindqvists" in html


def test_profile_phone_is_normalised_with_the_household_country(cast):
    client = cast.client_for(cast.partner)
    url = reverse("households:profile", args=[cast.household.pk])
    bad = client.post(url, {"display_name": "Sam", "phone": "12"})
    assert "doesn&#x27;t look like a phone number" in bad.content.decode()
    client.post(url, {"display_name": "Sam", "phone": "07400 123456"})
    cast.partner.refresh_from_db()
    assert cast.partner.phone == "+447400123456"


def test_deleting_a_household_needs_its_name(cast):
    client = cast.client_for(cast.parent)
    url = reverse("households:delete", args=[cast.household.pk])
    response = client.post(url, {"confirm_name": "the okafors"})
    assert "exactly as shown" in response.content.decode()
    assert Household.objects.filter(pk=cast.household.pk).exists()
    client.post(url, {"confirm_name": "The Okafors"})
    assert not Household.objects.filter(pk=cast.household.pk).exists()
    assert not Child.objects.filter(pk=cast.child.pk).exists()
    assert Household.objects.filter(pk=cast.other_household.pk).exists()
