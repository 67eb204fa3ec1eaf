"""Import: the command on a fresh server, the upload in settings, and files it must refuse.

The round trip: export, import on an empty server, export again — the same document
(only `exported_at` differs: ids in the file are local to it, times are kept as they were),
the same spreadsheets and the same photos.
"""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from backsoon.api.portability.deletion import delete_household
from backsoon.api.portability.export import write_zip
from backsoon.api.portability.importer import ImportRefused, import_household
from backsoon.api.tests.factories import full_household
from backsoon.coping.models import Urge, UrgentCall
from backsoon.households.models import CaregiverLink, Household, Membership
from backsoon.practice.models import WeeklyNote
from backsoon.separations.feeds import CalendarFeed
from backsoon.separations.models import CheckIn, SeparationPrivate


def export_bytes(household) -> bytes:
    out = io.BytesIO()
    write_zip(household, out)
    return out.getvalue()


def contents(data: bytes) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(data))
    found = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(found.pop("household.json"))
    document.pop("exported_at")
    return {"document": document, **found}


def test_export_import_export_gives_the_same_data(cast, tmp_path):
    made = full_household(cast)
    first = export_bytes(cast.household)
    # A fresh server: the household and its people's accounts are gone.
    users = [m.user for m in cast.household.memberships.all()]
    delete_household(cast.household)
    for user in users:
        user.delete()
    assert not CheckIn.objects.exists()
    path = tmp_path / "export.zip"
    path.write_bytes(first)
    out = io.StringIO()
    call_command("import_household", str(path), stdout=out)
    assert "Imported “The Okafors”" in out.getvalue()
    household = Household.objects.get(name="The Okafors")
    second = export_bytes(household)
    assert contents(second) == contents(first)
    # The people have accounts again, to claim with "Forgot your password?"…
    maya = get_user_model().objects.get(email="maya@example.org")
    assert not maya.has_usable_password()
    assert maya.emailaddress_set.get().verified
    assert Membership.objects.get(household=household, user=maya).role == "parent"
    # …the caregiver's link still opens with the link she has…
    response = cast.client_for(None).post(
        reverse("households:link_open", args=[made["link_token"]])
    )
    assert response.status_code == 302
    # …the photos are in storage, and nobody's own notes came along.
    for checkin in CheckIn.objects.exclude(photo=""):
        assert default_storage.exists(checkin.photo.name)
    assert not SeparationPrivate.objects.exists()
    # The newer parts came too: the ladders, the steps practised, the urgent calls and the
    # worker's times, so nothing is reminded twice.
    sam = Membership.objects.get(household=household, display_name="Sam")
    by_link = household.separations.get(carer_link__isnull=False)
    assert by_link.practice_step.ladder.owner == sam
    assert by_link.late_agreed.nudged_at is not None and by_link.ended_by_itself
    assert [c.mistake_at is not None for c in UrgentCall.objects.order_by("created_at")] == [
        True,
        False,
    ]
    assert not Urge.objects.exists() and not WeeklyNote.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_importing_twice_makes_two_households_and_one_working_link(cast):
    made = full_household(cast)
    data = export_bytes(cast.household)
    result = import_household(io.BytesIO(data), create_accounts=True)
    assert result.household != cast.household and result.people == 3
    copy = CaregiverLink.objects.get(household=result.household)
    assert copy.token_hash != made["link"].token_hash and copy.revoked_at is not None


def test_the_upload_makes_a_household_with_only_the_uploader(cast):
    full_household(cast)
    data = export_bytes(cast.household)
    client = cast.client_for(cast.partner)
    upload = io.BytesIO(data)
    upload.name = "export.zip"
    response = client.post(reverse("api_pages:import"), {"file": upload})
    household = (
        Household.objects.exclude(pk=cast.household.pk).exclude(pk=cast.other_household.pk).get()
    )
    assert response["Location"] == reverse("households:dashboard", args=[household.pk])
    assert [m.user for m in household.memberships.all()] == [cast.partner.user]
    assert household.separations.count() == 3
    assert get_user_model().objects.count() == 4  # nobody's account was made or claimed
    page = client.get(response["Location"]).content.decode()
    assert "Invite Maya, Grandma Ana again" in page


def test_the_upload_needs_you_to_be_a_parent_in_it(cast):
    full_household(cast)
    data = export_bytes(cast.household)
    for member in (cast.caregiver, cast.outsider):
        upload = io.BytesIO(data)
        upload.name = "export.zip"
        response = cast.client_for(member).post(reverse("api_pages:import"), {"file": upload})
        assert response.status_code == 200
        assert "list your email address as one of the parents" in response.content.decode()
    assert Household.objects.count() == 2


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def _edited(data: bytes, change) -> io.BytesIO:
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    return _zip(files)


def _photo_swapped(files):
    name = next(n for n in files if n.startswith("photos/"))
    files[name] = files[name] + b"tampered"


def _bad_reference(files):
    document = json.loads(files["household.json"])
    document["separations"][0]["children"] = [99]
    files["household.json"] = json.dumps(document).encode()


def _two_away_at_once(files):
    document = json.loads(files["household.json"])
    for s in document["separations"][:2]:
        s["status"] = "away"
        s["leaver"] = 1
        s["practice_step"] = None
    files["household.json"] = json.dumps(document).encode()


def _in_document(change):
    def edit(files):
        document = json.loads(files["household.json"])
        change(document)
        files["household.json"] = json.dumps(document).encode()

    return edit


def _child(**values):
    return _in_document(lambda document: document["children"][0].update(values))


def _photo_damaged(data: bytes) -> io.BytesIO:
    """A photo's bytes changed inside the zip: its CRC no longer matches."""
    damaged = bytearray(data)
    info = next(i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if "photos/" in i.filename)
    damaged[info.header_offset + 30 + len(info.filename) + len(info.extra) + 50] ^= 0xFF
    return io.BytesIO(bytes(damaged))


DEEP = b'{"schema": "backsoon-household/2", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        # Values PostgreSQL refuses or can't read back, refused alike on every database.
        (lambda data: _edited(data, _child(name="Bea\x00")), "children.0.name: it holds a null"),
        (
            lambda data: _edited(
                data, _in_document(lambda d: d["care_sheets"][0].update(content={"a": ["\x00"]}))
            ),
            "care_sheets.0.content.a.0: it holds a null",
        ),
        (
            lambda data: _edited(data, _child(created_at="9999-12-31T23:30:00-01:00")),
            "children.0.created_at: .*years 2 to 9998",
        ),
        (
            lambda data: _edited(data, _child(created_at="0001-01-01T00:30:00+01:00")),
            "children.0.created_at: .*years 2 to 9998",
        ),
        (
            lambda data: _edited(
                data, _in_document(lambda d: d["care_sheets"][0].update(content={"a": 1e999}))
            ),
            "could not be read",
        ),
        (lambda data: _zip({"household.json": DEEP}), "could not be read"),
        (_photo_damaged, "damaged"),
        (lambda data: io.BytesIO(b"not a zip"), "isn't a zip"),
        (lambda data: _zip({"hello.txt": b"hi"}), "no household.json"),
        (lambda data: _zip({"household.json": b'{"schema": "other/9"}'}), "format"),
        (lambda data: _zip({"household.json": b"{oops"}), "could not be read"),
        (lambda data: _edited(data, _photo_swapped), "changed after the export"),
        (lambda data: _edited(data, _bad_reference), "missing child"),
        (lambda data: _edited(data, _two_away_at_once), "contradicts itself"),
    ],
)
def test_a_bad_file_is_refused_and_leaves_nothing(cast, make, says):
    full_household(cast)
    data = export_bytes(cast.household)
    households, checkins = Household.objects.count(), CheckIn.objects.count()
    photos = set(default_storage.listdir("photos")[0])
    with pytest.raises(ImportRefused, match=says):
        import_household(make(data), create_accounts=True)
    assert Household.objects.count() == households and CheckIn.objects.count() == checkins
    assert set(default_storage.listdir("photos")[0]) == photos


def test_the_command_says_what_went_wrong(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_household", str(tmp_path / "missing.zip"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="isn't a zip"):
        call_command("import_household", str(bad))


def test_an_export_from_before_the_ladders_still_imports(cast):
    full_household(cast)
    version_one = {"ladders", "practice_step", "auto_end_at", "ended_by_itself", "urgent_calls"}
    version_one |= {"remind_at", "late_at", "reminded_at", "nudged_at", "not_before", "noted_late"}

    def older(files):
        document = json.loads(files["household.json"])
        document["schema"] = "backsoon-household/1"
        document.pop("ladders")
        for s in document["separations"]:
            for key in version_one & set(s):
                s.pop(key)
            for a in s["agreed"]:
                for key in version_one & set(a):
                    a.pop(key)
        assert not any(key in json.dumps(document) for key in ('"ladders"', "noted_late"))
        files["household.json"] = json.dumps(document).encode()

    result = import_household(_edited(export_bytes(cast.household), older), create_accounts=True)
    assert result.household.separations.count() == 3
    assert not result.household.separations.filter(practice_step__isnull=False).exists()
