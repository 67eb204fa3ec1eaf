"""Your own data on another server: after the household came across, each person loads their
own download, and it is all there — and only ever for the person it is about."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backsoon.api.portability.deletion import delete_household
from backsoon.api.tests.factories import full_household
from backsoon.api.tests.test_import import export_bytes
from backsoon.coping.models import Urge
from backsoon.coping.tests.factories import make_strengths
from backsoon.households.models import Household, Membership
from backsoon.separations.models import ParentMessage, SeparationPrivate
from backsoon.separations.tests.factories import FEAR_MARKER
from backsoon.testing.fixtures import PASSWORD
from backsoon.wellbeing.models import CardDismissal, Reminder

KINDS = {
    "coping.carerstrengths",
    "coping.groundingkit",
    "coping.urge",
    "practice.weeklynote",
    "separations.parentmessage",
    "separations.separationprivate",
    "wellbeing.carddismissal",
    "wellbeing.reminder",
    "wellbeing.selfcheckresult",
}


def everything_of_mayas(cast) -> dict:
    """The household with all its inner data, and Maya's strengths, card and reminder too."""
    made = full_household(cast)
    urge = made["urge"]
    urge.message = ParentMessage.objects.get(owner=cast.parent)
    urge.save(update_fields=["message"])
    make_strengths(cast.parent, cast.caregiver)
    now = timezone.now()
    CardDismissal.objects.create(
        owner=cast.parent,
        rule="baby_settling",
        key=f"child-{cast.child.pk}",
        choice="not_now",
        evidence_start=now - timedelta(days=9),
        evidence_until=now,
        hidden_until=now + timedelta(days=14),
    )
    Reminder.objects.create(owner=cast.parent, every_weeks=2, next_reminder_at=now)
    return made


def download(client) -> bytes:
    return client.get(reverse("api_pages:personal")).content


def upload(client, data: bytes):
    file = io.BytesIO(data)
    file.name = "backsoon-my-data.json"
    return client.post(reverse("api_pages:personal_import"), {"file": file})


def normal(content: bytes) -> dict:
    """The data with this server's ids replaced by what they point at."""
    household = json.loads(content)["households"][0]
    refs, data = household["refs"], household["data"]
    sent = {str(r["id"]): r["sent_at"] for r in data["separations.parentmessage"]}
    found = {}
    for label, rows in data.items():
        found[label] = []
        for row in rows:
            row = dict(row)
            row.pop("id", None)
            if "separation_id" in row:
                row["separation_id"] = refs["separations"][str(row["separation_id"])]
            if row.get("message_id"):
                row["message_id"] = sent[str(row["message_id"])]
            if "carer_key" in row:
                row["carer_key"] = refs["people"][row["carer_key"]]
            if str(row.get("key", "")).startswith("child-"):
                row["key"] = refs["children"][row["key"].removeprefix("child-")]
            found[label].append(row)
        found[label].sort(key=lambda r: json.dumps(r, sort_keys=True))
    return found


def move_to_a_fresh_server(cast, tmp_path) -> Household:
    path = tmp_path / "household.zip"
    path.write_bytes(export_bytes(cast.household))
    users = [m.user for m in cast.household.memberships.all()]
    delete_household(cast.household)
    for user in users:
        user.delete()
    call_command("import_household", str(path), stdout=io.StringIO())
    return Household.objects.get(name="The Okafors")


def signed_in(email: str):
    from django.test import Client

    user = get_user_model().objects.get(email=email)
    user.set_password(PASSWORD)  # "Forgot your password?" on the new server
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_your_own_data_comes_back_all_of_it(cast, tmp_path):
    everything_of_mayas(cast)
    before = download(cast.client_for(cast.parent))
    assert {label for label, rows in normal(before).items() if rows} == KINDS
    household = move_to_a_fresh_server(cast, tmp_path)
    assert not SeparationPrivate.objects.exists()
    maya = signed_in("maya@example.org")
    response = upload(maya, before)
    assert response["Location"] == reverse("api_pages:account")
    page = maya.get(response["Location"]).content.decode()
    assert "Your own notes are here, in The Okafors." in page
    assert normal(download(maya)) == normal(before)
    me = Membership.objects.get(household=household, user__email="maya@example.org")
    private = SeparationPrivate.objects.get(fear=FEAR_MARKER)
    assert private.owner == me and private.separation.household == household
    assert private.feel == "manageable"
    assert Urge.objects.get().message.owner == me
    # Sam's own download has none of it.
    assert FEAR_MARKER not in download(signed_in("sam@example.org")).decode()


def test_loading_twice_doubles_nothing(cast, tmp_path):
    everything_of_mayas(cast)
    before = download(cast.client_for(cast.parent))
    move_to_a_fresh_server(cast, tmp_path)
    maya = signed_in("maya@example.org")
    upload(maya, before)
    counts = (Urge.objects.count(), SeparationPrivate.objects.count())
    again = upload(maya, before)
    assert again.status_code == 200
    assert "already" in again.content.decode()
    assert (Urge.objects.count(), SeparationPrivate.objects.count()) == counts


def test_nobody_loads_someone_elses_file(cast, tmp_path):
    everything_of_mayas(cast)
    mayas = download(cast.client_for(cast.parent))
    move_to_a_fresh_server(cast, tmp_path)
    response = upload(signed_in("sam@example.org"), mayas)
    assert response.status_code == 200
    assert "someone else" in response.content.decode()
    assert not SeparationPrivate.objects.exists() and not Urge.objects.exists()


def test_a_file_that_isnt_one_is_refused(cast):
    client = cast.client_for(cast.parent)
    for data, says in (
        (b"not json", "could not be read as JSON"),
        (b'{"schema": "backsoon-household/2"}', "in the format this server reads"),
        (b"[]", "in the format this server reads"),
        (
            b'{"schema": "backsoon-personal/2", "account": {"email": "maya@example.org"}}',
            "lists no households",
        ),
    ):
        response = upload(client, data)
        assert response.status_code == 200
        assert says in response.content.decode(), says
    assert not SeparationPrivate.objects.exists()


def test_notes_about_what_isnt_here_are_left_out(cast, tmp_path):
    everything_of_mayas(cast)
    before = download(cast.client_for(cast.parent))
    household = move_to_a_fresh_server(cast, tmp_path)
    household.separations.filter(plan_note__startswith="=HYPERLINK").delete()
    document = json.loads(before)
    document["households"][0]["data"]["dreams.dream"] = [{"id": 1, "text": "a kind we lack"}]
    maya = signed_in("maya@example.org")
    page = maya.get(upload(maya, json.dumps(document).encode())["Location"]).content.decode()
    # Her fear, her message and her urge were about the deleted time apart; and the dream.
    assert "4 notes were about things that aren" in page
    assert not SeparationPrivate.objects.filter(fear=FEAR_MARKER).exists()
    assert Reminder.objects.filter(owner__user__email="maya@example.org").exists()


def _first(label: str, **values):
    def change(document):
        document["households"][0]["data"][label][0].update(values)

    return change


def _ref(kind: str, **values):
    def change(document):
        next(iter(document["households"][0]["refs"][kind].values())).update(values)

    return change


@pytest.mark.parametrize(
    ("change", "says"),
    [
        # Values PostgreSQL refuses or can't read back (500s there, or rows no page could
        # read), refused alike on every database.
        (_first("separations.separationprivate", fear="rain\x00"), "null character"),
        (_first("wellbeing.selfcheckresult", answers=[1, "\x00"]), "null character"),
        (
            _first("separations.separationprivate", rated_at="9999-12-31T23:30:00-01:00"),
            "out of range",
        ),
        (
            _first("separations.separationprivate", rated_at="0001-01-01T00:30:00+01:00"),
            "out of range",
        ),
        (_first("separations.separationprivate", rated_at=12), "wrong kind of value"),
        (_first("separations.separationprivate", rated_at=[1]), "wrong kind of value"),
        (_first("wellbeing.selfcheckresult", answers=[1e999]), "could not be read as JSON"),
    ],
)
def test_a_value_no_database_can_keep_is_refused_kindly(cast, tmp_path, change, says):
    everything_of_mayas(cast)
    document = json.loads(download(cast.client_for(cast.parent)))
    move_to_a_fresh_server(cast, tmp_path)
    change(document)
    response = upload(signed_in("maya@example.org"), json.dumps(document).encode())
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not SeparationPrivate.objects.exists() and not Urge.objects.exists()


@pytest.mark.parametrize(
    "change",
    [_ref("children", birth_date="2026-02-30"), _ref("separations", starts_at="2026-02-30T10:00Z")],
)
def test_an_impossible_date_in_the_refs_finds_nothing(cast, tmp_path, change):
    everything_of_mayas(cast)
    document = json.loads(download(cast.client_for(cast.parent)))
    move_to_a_fresh_server(cast, tmp_path)
    change(document)
    response = upload(signed_in("maya@example.org"), json.dumps(document).encode())
    assert response.status_code == 302  # loaded; what pointed at it was left out
