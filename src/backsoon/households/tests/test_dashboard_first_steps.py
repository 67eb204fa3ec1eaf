"""The dashboard's first steps: the care sheet before anything else, and a gentle, optional
ask for the parent's phone number. Neither ever blocks anything."""

from django.urls import reverse

from backsoon.caresheets.models import Sheet
from backsoon.households.models import Child

SHEET = "Write the care sheet"
PHONE = "Add your phone number"


def dashboard(cast, who) -> str:
    url = reverse("households:dashboard", args=[cast.household.pk])
    return cast.client_for(who).get(url).content.decode()


def test_with_a_child_and_no_care_sheet_the_care_sheet_comes_first(cast):
    html = dashboard(cast, cast.parent)
    start = reverse("caresheets:child_section", args=[cast.household.pk, cast.child.pk, "feeding"])
    assert f'href="{start}"' in html and SHEET in html
    # The first thing suggested: above planning a practice and the ladder.
    assert html.index(SHEET) < html.index("Plan your first practice")
    # Planning still works the same: a suggestion, never a gate.
    plan = reverse("separations:plan", args=[cast.household.pk])
    assert cast.client_for(cast.parent).get(plan).status_code == 200
    assert SHEET in dashboard(cast, cast.partner)


def test_once_the_care_sheet_is_saved_the_step_is_gone(cast):
    Sheet.objects.create(household=cast.household, kind="child", child=cast.child, revision=1)
    assert SHEET not in dashboard(cast, cast.parent)
    # A sheet opened but never saved is not written yet.
    Sheet.objects.filter(child=cast.child).update(revision=0)
    assert SHEET in dashboard(cast, cast.parent)


def test_without_a_child_or_for_a_caregiver_there_is_no_such_step(cast):
    assert SHEET not in dashboard(cast, cast.caregiver)
    assert PHONE not in dashboard(cast, cast.caregiver)
    Child.objects.filter(household=cast.household).delete()
    html = dashboard(cast, cast.parent)
    assert SHEET not in html and PHONE not in html  # adding the baby comes first


def test_a_parent_without_a_phone_number_is_asked_gently_once(cast):
    profile = reverse("households:profile", args=[cast.household.pk])
    Sheet.objects.create(household=cast.household, kind="child", child=cast.child, revision=1)
    html = dashboard(cast, cast.parent)
    assert html.count(PHONE) == 1 and f'href="{profile}"' in html
    members = reverse("households:members", args=[cast.household.pk])
    assert "add your phone number" in cast.client_for(cast.parent).get(members).content.decode()
    cast.parent.phone = "+447700900123"
    cast.parent.save()
    assert PHONE not in dashboard(cast, cast.parent)
    html = cast.client_for(cast.parent).get(members).content.decode()
    assert "add your phone number" not in html
    assert PHONE in dashboard(cast, cast.partner)  # Sam has none saved: only his own matters
