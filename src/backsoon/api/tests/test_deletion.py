"""Deleting leaves nothing behind: the database and the photo storage are checked after.

A household goes with everything in it. An account goes with everything about that person
alone; what they shared stays with the household — or goes with it, when they were its
last parent, after a clear warning.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse

from backsoon import notify
from backsoon.api.tests.factories import API, api_client, full_household
from backsoon.coping.models import Urge, UrgentCall
from backsoon.households import services
from backsoon.households.models import Household, Membership
from backsoon.notify.models import OutboxEmail
from backsoon.practice.models import Ladder, WeeklyNote
from backsoon.separations.models import CheckIn, ParentMessage, Separation, SeparationPrivate
from backsoon.separations.tests.factories import FEAR_MARKER, make_checkin, make_separation
from backsoon.testing.fixtures import PASSWORD
from backsoon.wellbeing.models import SelfCheckResult

IGNORED = {"sessions.session"}


def snapshot() -> dict[str, set]:
    return {
        model._meta.label_lower: set(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.label_lower not in IGNORED
    }


def photo_names() -> set[str]:
    return set(CheckIn.objects.exclude(photo="").values_list("photo", flat=True))


def test_deleting_a_household_leaves_no_row_and_no_photo(cast, django_capture_on_commit_callbacks):
    baseline = snapshot()
    gone_with_it = {
        "households.household": {cast.household.pk},
        "households.membership": set(cast.household.memberships.values_list("pk", flat=True)),
        "households.child": {cast.child.pk},
    }
    full_household(cast)
    services.create_invitation(
        household=cast.household,
        invited_by=cast.parent,
        role="caregiver",
        display_name="Pat",
        email="pat@example.org",
        link=lambda token: f"https://example.org/invite/{token}",
    )
    api_client(cast.parent)  # a token too
    photos = photo_names()
    assert photos and all(default_storage.exists(name) for name in photos)
    assert OutboxEmail.objects.exists()
    client = cast.client_for(cast.parent)
    url = reverse("households:delete", args=[cast.household.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm_name": "The Okafors"})
    assert response.status_code == 302
    after = snapshot()
    for label, rows in baseline.items():
        assert after[label] == rows - gone_with_it.get(label, set()), label
    assert not any(default_storage.exists(name) for name in photos)
    assert Household.objects.get() == cast.other_household


def test_deleting_an_account_removes_its_inner_data_and_keeps_the_shared(cast):
    made = full_household(cast)
    maya = cast.parent.user
    notify.send(cast.parent, "weekly", "Your week", "", "/")  # a notification of hers, too
    hers = cast.parent.pk
    client = cast.client_for(cast.parent)
    url = reverse("api_pages:account_delete")
    warning = client.get(url).content.decode()
    assert "The Okafors" in warning and "only parent" not in warning  # Sam stays a parent
    asked = client.post(url, {"understood": "on"})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert get_user_model().objects.filter(pk=maya.pk).exists()
    done = client.post(asked["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    assert not get_user_model().objects.filter(pk=maya.pk).exists()
    assert not Membership.objects.filter(user_id=maya.pk).exists()
    assert not SeparationPrivate.objects.filter(fear=FEAR_MARKER).exists()
    assert list(SeparationPrivate.objects.values_list("owner", flat=True)) == [cast.partner.pk]
    assert not ParentMessage.objects.exists()
    assert not SelfCheckResult.objects.exists()
    # Nothing anywhere still points at her: urges, kit, weekly note, ladder, feed, notifications.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Membership:
                left = model.objects.filter(**{field.attname: hers})
                assert not left.exists(), f"{model._meta.label}.{field.name}"
    assert not Urge.objects.exists() and not WeeklyNote.objects.exists()
    assert list(Ladder.objects.values_list("owner", flat=True)) == [cast.partner.pk]
    # What the household shares stays: the urgent calls, Sam's practice on his ladder.
    assert UrgentCall.objects.count() == 2
    assert Separation.objects.get(pk=made["late"].separation_id).practice_step is not None
    back = Separation.objects.get(pk=made["back"].pk)
    assert back.leaver is None and back.leaver_name == "Maya"
    assert back.practice_step is None  # her ladder went with her
    assert all(default_storage.exists(name) for name in photo_names())
    assert (
        api_client(cast.partner)
        .get(f"{API}/households/{cast.household.pk}/separations")
        .json()["count"]
        == 3
    )


def test_the_last_parent_takes_the_household_along_after_a_warning(
    cast, django_capture_on_commit_callbacks
):
    separation = make_separation(cast, leaver=cast.outsider, carer=cast.outsider)
    separation.children.set([cast.other_child])
    photo = make_checkin(separation, by=cast.outsider, photo=True).photo.name
    client = cast.client_for(cast.outsider)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    warning = client.get(reverse("api_pages:account_delete")).content.decode()
    assert "only parent" in warning and "The Lindqvists" in warning
    refused = client.post(reverse("api_pages:account_delete"), {})
    assert refused.status_code == 200  # the box must be ticked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api_pages:account_delete"), {"understood": "on"})
    assert not Household.objects.filter(pk=cast.other_household.pk).exists()
    assert not default_storage.exists(photo)
    assert Household.objects.get() == cast.household
