"""The household export: one zip with a versioned JSON document, the photos and two CSV
files — and nobody's own notes, ratings or self-checks."""

import csv
import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.urls import reverse

from backsoon.api.tests.factories import full_household
from backsoon.coping.tests.factories import FRIEND_MARKER, REAL_MARKER
from backsoon.households.models import hash_token
from backsoon.separations.tests.factories import FEAR_MARKER, REASON_MARKER


def download(cast, membership=None):
    response = cast.client_for(membership or cast.parent).post(
        reverse("api_pages:export", args=[cast.household.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'attachment; filename="backsoon-the-okafors-' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_the_document_the_photos_and_the_spreadsheets(cast):
    made = full_household(cast)
    archive = download(cast)
    names = set(archive.namelist())
    photos = sorted(n for n in names if n.startswith("photos/"))
    assert {"README.txt", "household.json", "separations.csv", "checkins.csv"} <= names
    assert len(photos) == 1  # the two photos are the same picture: stored once, by its hash
    document = json.loads(archive.read("household.json"))
    assert document["schema"] == "backsoon-household/2"
    assert [p["name"] for p in document["people"]] == ["Maya", "Sam", "Grandma Ana"]
    assert document["people"][0]["email"] == "maya@example.org"
    assert document["children"][0]["goodbye"]["text"].startswith("A hug")
    sheets = {s["kind"]: s for s in document["care_sheets"]}
    assert [r["author_name"] for r in sheets["child"]["revisions"]] == ["Maya", "Sam"]
    assert sheets["agreement"]["answers"][0]["link"] == 1
    first = document["separations"][0]
    assert first["thank_you"]["text"] == "You found the bouncing she likes"
    assert first["agreed"][0]["done_by"] == first["checkins"][0]["id"]
    assert first["checkins"][1]["settled"] == [{"child": 1, "name": "Bea", "after": "under_5"}]
    stored = default_storage.open(made["photo"].photo.name).read()
    assert archive.read(first["checkins"][0]["photo"]) == stored
    assert document["separations"][2]["changes"][0]["kind"] == "cancelled"
    assert document["links"][0]["token_sha256"] == made["link"].token_hash


def test_the_ladders_urgent_calls_and_due_times_are_in_it(cast):
    made = full_household(cast)
    document = json.loads(download(cast).read("household.json"))
    ladders = document["ladders"]
    assert [(ladder["parent"], len(ladder["steps"])) for ladder in ladders] == [(1, 11), (2, 12)]
    sams = {s["id"]: s for s in ladders[1]["steps"]}
    first, by_link = document["separations"][0], document["separations"][1]
    assert first["practice_step"] == ladders[0]["steps"][4]["id"]
    assert sams[by_link["practice_step"]]["name"] == "Round the block"
    assert by_link["ended_by_itself"] is True
    late = next(a for a in by_link["agreed"] if a["noted_late"])
    assert late["nudged_at"] and late["not_before"] and late["remind_at"] is None
    calls = by_link["urgent_calls"]
    assert [(c["by_link"], c["caller_name"], c["key"]) for c in calls] == [
        (1, "Grandma Ana's sister", "urgent-1"),
        (1, "Grandma Ana's sister", "urgent-2"),
    ]
    assert calls[0]["mistake_at"] and calls[1]["mistake_at"] is None
    assert made["call"].notification_id  # the notification itself stays behind


def test_the_export_is_made_by_a_post_only(cast):
    url = reverse("api_pages:export", args=[cast.household.pk])
    response = cast.client_for(cast.parent).get(url)
    assert response["Location"] == reverse("api_pages:data", args=[cast.household.pk])
    assert cast.client_for(cast.caregiver).post(url).status_code == 404


def test_nobodys_own_data_is_in_it(cast):
    made = full_household(cast)
    archive = download(cast)
    text = "".join(
        archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
    )
    for secret in (FEAR_MARKER, REASON_MARKER, REAL_MARKER, FRIEND_MARKER):
        assert secret not in text, secret
    # A calendar feed's address is a secret: neither it nor its hash travels.
    assert made["feed_token"] not in text and hash_token(made["feed_token"]) not in text
    document = json.loads(archive.read("household.json"))
    document.pop("not_included")
    data = json.dumps(document) + archive.read("separations.csv").decode()
    data += archive.read("checkins.csv").decode()
    inner = ("worry", "fear", "self_check", "selfcheck", "score", "messages_aim", "manageable")
    inner += ('"urges"', "strength_", "waited", '"feel"', "weekly", "grounding", "calendar")
    for word in inner:
        assert word not in data.lower(), word


def test_the_csv_files_open_in_a_spreadsheet_safely(cast):
    full_household(cast)
    archive = download(cast)
    separations = list(csv.DictReader(io.StringIO(archive.read("separations.csv").decode())))
    assert [s["status"] for s in separations] == ["back", "back", "cancelled"]
    assert separations[0]["minutes_away"] == "60"
    assert separations[0]["carer"] == "Grandma Ana" and separations[0]["children"] == "Bea"
    assert separations[0]["plan_note"].startswith("'=HYPERLINK")  # never a formula
    assert separations[0]["ladder_step"] == "1 hour"
    assert separations[1]["ladder_step"] == "Round the block"
    assert separations[1]["urgent_calls"] == "2"
    assert separations[0]["starts_at"].endswith(("+00:00", "+01:00"))  # London time
    checkins = list(csv.DictReader(io.StringIO(archive.read("checkins.csv").decode())))
    assert len(checkins) == 3
    assert {c["author"] for c in checkins} == {"Grandma Ana", "Grandma Ana's sister"}
