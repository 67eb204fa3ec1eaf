from django.urls import reverse

from backsoon.households.models import Membership


def test_the_last_parent_cannot_leave(cast):
    cast.partner.delete()
    client = cast.client_for(cast.parent)
    url = reverse("households:leave", args=[cast.household.pk])
    response = client.post(url)
    assert "only parent" in response.content.decode()
    assert Membership.objects.filter(pk=cast.parent.pk).exists()


def test_a_parent_with_a_partner_can_leave(cast):
    response = cast.client_for(cast.partner).post(
        reverse("households:leave", args=[cast.household.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=cast.partner.pk).exists()


def test_a_caregiver_can_leave(cast):
    cast.client_for(cast.caregiver).post(reverse("households:leave", args=[cast.household.pk]))
    assert not Membership.objects.filter(pk=cast.caregiver.pk).exists()


def test_a_parent_removes_a_caregiver(cast):
    client = cast.client_for(cast.parent)
    client.post(reverse("households:member_remove", args=[cast.household.pk, cast.caregiver.pk]))
    assert not Membership.objects.filter(pk=cast.caregiver.pk).exists()


def test_removing_yourself_goes_to_leave_instead(cast):
    client = cast.client_for(cast.parent)
    response = client.post(
        reverse("households:member_remove", args=[cast.household.pk, cast.parent.pk])
    )
    assert response["Location"] == reverse("households:leave", args=[cast.household.pk])
    assert Membership.objects.filter(pk=cast.parent.pk).exists()


def test_the_member_list_shows_people_and_never_other_households(cast):
    html = (
        cast.client_for(cast.parent)
        .get(reverse("households:members", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Sam" in html and "Grandma Ana" in html and "Olle" not in html
