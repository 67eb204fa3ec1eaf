"""Households, children, people, care sheets, notification settings and your own data."""

from backsoon.api.tests.factories import API, api_client
from backsoon.caresheets import services as caresheets
from backsoon.households.models import CaregiverLink
from backsoon.notify.models import Channel, QuietHours
from backsoon.notify.tests.factories import add_apprise, add_email
from backsoon.separations.models import ParentMessage, Separation
from backsoon.separations.tests.factories import FEAR_MARKER, make_separation
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take


def test_households_lists_what_the_caller_can_act_in(cast):
    listed = api_client(cast.caregiver).get(f"{API}/households").json()
    assert listed == [
        {
            "id": cast.household.pk,
            "name": "The Okafors",
            "time_zone": "Europe/London",
            "country": "GB",
            "created_at": listed[0]["created_at"],
            "you": {"kind": "member", "role": "caregiver", "name": "Grandma Ana"},
        }
    ]
    assert listed[0]["created_at"].endswith("Z")


def test_children_and_people(cast):
    client = api_client(cast.parent)
    children = client.get(f"{API}/households/{cast.household.pk}/children").json()
    assert [(c["id"], c["name"], c["birth_date"]) for c in children] == [
        (cast.child.pk, "Bea", "2026-03-01")
    ]
    CaregiverLink.create(household=cast.household, name="Lou", created_by=cast.parent)
    people = client.get(f"{API}/households/{cast.household.pk}/people").json()
    assert [(p["kind"], p["name"], p["can_care"]) for p in people] == [
        ("member", "Maya", False),
        ("member", "Sam", True),
        ("member", "Grandma Ana", True),
        ("link", "Lou", True),
    ]


def test_care_sheets_read_for_caregivers_and_links(cast):
    sheet = caresheets.sheet_for(cast.household, "child", cast.child)
    caresheets.save(sheet, {"feeding": {"times": ["about 11:00 — 150 ml"]}}, cast.parent)
    link, _ = CaregiverLink.create(household=cast.household, name="Lou", created_by=cast.parent)
    for client in (api_client(cast.caregiver), api_client(link=link)):
        sheets = client.get(f"{API}/households/{cast.household.pk}/care-sheets").json()
        assert [(s["kind"], s["child_id"], s["revision"]) for s in sheets] == [
            ("child", cast.child.pk, 1)
        ]
        assert sheets[0]["content"]["feeding"]["times"] == ["about 11:00 — 150 ml"]
        assert sheets[0]["updated_by_name"] == "Maya"


def test_notification_settings_are_your_own_and_never_their_secrets(cast):
    add_email(cast.parent, "maya@example.org")
    add_apprise(cast.parent, "tgram://123456:SECRET-BOT-TOKEN/987")
    add_email(cast.partner, "sam@example.org")
    QuietHours.objects.create(membership=cast.parent, start="22:00", end="07:00")
    response = api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/notifications")
    body = response.json()
    assert [c["kind"] for c in body["channels"]] == ["email", "apprise"]
    assert "SECRET-BOT-TOKEN" not in response.content.decode()
    assert "sam@example.org" not in response.content.decode()
    assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert Channel.objects.count() == 3
    none = api_client(cast.caregiver).get(f"{API}/households/{cast.household.pk}/notifications")
    assert none.json() == {"channels": [], "quiet_hours": None}


def test_your_own_data_in_one_document(cast):
    separation = make_separation(
        cast, status=Separation.Status.BACK, private={"fear": FEAR_MARKER, "worry_after": 2}
    )
    ParentMessage.objects.create(separation=separation, owner=cast.parent)
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    body = api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/mine").json()
    assert body["schema"] == "backsoon-personal/2"
    [household] = body["households"]
    data = household["data"]
    assert data["separations.separationprivate"][0]["fear"] == FEAR_MARKER
    assert len(data["separations.parentmessage"]) == 1
    assert data["wellbeing.selfcheckresult"][0]["score"] == 17
    notes = (
        api_client(cast.parent).get(f"{API}/households/{cast.household.pk}/mine/separations").json()
    )
    item = notes["items"][0]
    assert item["fear"] == FEAR_MARKER and item["worry_after"] == 2
    assert item["messages_counted"] == 1 and len(item["messages_sent"]) == 1
