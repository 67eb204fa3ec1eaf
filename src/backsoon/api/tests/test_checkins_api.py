"""Check-ins through the API: a caregiver posts (with a photo, multipart), parents read."""

import io
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from backsoon.api.tests.factories import API, api_client
from backsoon.separations.models import AgreedCheckIn, CheckIn, Separation, Settling
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.tests.factories import image_bytes, make_checkin, make_separation


def url(cast, separation, tail="/checkins"):
    return f"{API}/households/{cast.household.pk}/separations/{separation.pk}{tail}"


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # any metadata at all must go
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (90, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_caregiver_posts_a_photo_that_is_cleaned_and_matched_to_the_agreement(cast):
    separation = make_separation(cast, agreed=[AgreedSpec("photo", "nap", offset_minutes=5)])
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_with_gps(), content_type="image/jpeg")
    response = api_client(cast.caregiver).post(
        url(cast, separation), {"message": "Asleep!", "state": "sleeping", "photo": upload}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    checkin = CheckIn.objects.get(pk=body["id"])
    assert body["author_name"] == "Grandma Ana" and body["state"] == "sleeping"
    assert body["photo"]["width"] == 1600 and body["photo"]["height"] == 1067
    assert (
        body["photo"]["url"] == f"{API}/households/{cast.household.pk}/checkins/{checkin.pk}/photo"
    )
    assert body["agreed_id"] == AgreedCheckIn.objects.get().pk
    stored = default_storage.open(checkin.photo.name).read()
    assert b"PhoneMaker" not in stored and "IMG_0001" not in checkin.photo.name
    photo = api_client(cast.parent).get(body["photo"]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content) == stored


def test_the_same_idempotency_key_never_posts_twice(cast):
    separation = make_separation(cast)
    client = api_client(cast.caregiver)
    first = client.post(url(cast, separation), {"all_good": "true"}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url(cast, separation), {"all_good": "true"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert CheckIn.objects.count() == 1
    client.post(url(cast, separation), {"all_good": "true"})
    assert CheckIn.objects.count() == 2


def test_settling_answers_name_the_childs_id(cast):
    separation = make_separation(cast)
    body = (
        api_client(cast.caregiver)
        .post(url(cast, separation), {"settled": [f"{cast.child.pk}=under_5"]})
        .json()
    )
    assert body["settled"] == [{"child_id": cast.child.pk, "name": "Bea", "after": "under_5"}]
    assert Settling.objects.get().after == "under_5"
    response = api_client(cast.caregiver).post(
        url(cast, separation), {"settled": [f"{cast.other_child.pk}=under_5"]}
    )
    assert response.status_code == 422


def test_bad_posts_are_422(cast):
    separation = make_separation(cast)
    client = api_client(cast.caregiver)
    not_a_photo = SimpleUploadedFile("x.jpg", b"<html>hello</html>", content_type="image/jpeg")
    cases = [
        ({}, "form.all_good"),
        ({"photo": not_a_photo}, "form.photo"),
        ({"state": "furious"}, "form.state"),
        ({"message": "x" * 501}, "form.message"),
        ({"message": "hello\x00"}, "form.message"),  # PostgreSQL can't store a NUL
        ({"settled": ["Bea=soon"]}, "form.settled"),
    ]
    for data, field in cases:
        response = client.post(url(cast, separation), data)
        assert response.status_code == 422, (data, response.content)
        assert response.json()["error"]["fields"][0]["field"].startswith(field), response.json()
    assert not CheckIn.objects.exists()


def test_posting_is_for_while_they_are_away(cast):
    planned = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=timezone.now() + timedelta(hours=1)
    )
    response = api_client(cast.caregiver).post(url(cast, planned), {"all_good": "1"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_open"


def test_parents_read_the_updates_newest_first(cast):
    separation = make_separation(cast)
    old = make_checkin(separation, all_good=True, created_at=timezone.now() - timedelta(minutes=8))
    new = make_checkin(separation, message="Playing", photo=True)
    client = api_client(cast.partner)
    page = client.get(url(cast, separation)).json()
    assert [c["id"] for c in page["items"]] == [new.pk, old.pk]
    assert page["items"][1]["photo"] is None
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert [
        c["id"] for c in client.get(url(cast, separation), {"since": since}).json()["items"]
    ] == [new.pk]


def test_a_photo_is_only_for_parents_and_the_carer(cast):
    separation = make_separation(cast)
    checkin = make_checkin(separation, photo=True)
    path = f"{API}/households/{cast.household.pk}/checkins/{checkin.pk}/photo"
    assert api_client(cast.caregiver).get(path).status_code == 200
    from backsoon.households.models import CaregiverLink

    link, _ = CaregiverLink.create(household=cast.household, name="Lou", created_by=cast.parent)
    assert api_client(link=link).get(path).status_code == 404
    assert api_client(cast.outsider).get(path).status_code == 404
    no_photo = make_checkin(separation)
    assert (
        api_client(cast.parent)
        .get(f"{API}/households/{cast.household.pk}/checkins/{no_photo.pk}/photo")
        .status_code
        == 404
    )
    assert image_bytes()  # the factory's photo is a real JPEG
