"""Photos are served only through a permission-checked view, privately cached."""

from django.conf import settings
from django.urls import reverse

from backsoon.separations.tests.factories import make_checkin, make_separation
from backsoon.separations.tests.test_caregiver import link_client


def photo_url(cast, checkin):
    return reverse("separations:photo", args=[cast.household.pk, checkin.pk])


def test_parents_see_the_photo_with_private_cache_headers(cast):
    checkin = make_checkin(make_separation(cast), photo=True)
    for member in (cast.parent, cast.partner):
        response = cast.client_for(member).get(photo_url(cast, checkin))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private, max-age=")
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_the_caregiver_who_posted_sees_it_others_do_not(cast):
    link, link_browser = link_client(cast)
    checkin = make_checkin(make_separation(cast, link=link), link=link, photo=True)
    assert link_browser.get(photo_url(cast, checkin)).status_code == 200
    assert cast.client_for(cast.caregiver).get(photo_url(cast, checkin)).status_code == 404
    assert cast.client_for(cast.outsider).get(photo_url(cast, checkin)).status_code == 404
    assert cast.client_for(None).get(photo_url(cast, checkin)).status_code == 302


def test_an_update_without_a_photo_or_a_lost_file_is_a_404(cast):
    separation = make_separation(cast)
    assert (
        cast.client_for(cast.parent).get(photo_url(cast, make_checkin(separation))).status_code
        == 404
    )
    lost = make_checkin(separation, photo=True)
    lost.photo.storage.delete(lost.photo.name)
    assert cast.client_for(cast.parent).get(photo_url(cast, lost)).status_code == 404


def test_there_is_no_public_media_url(cast):
    checkin = make_checkin(make_separation(cast), photo=True)
    for prefix in ("/media/", "/", settings.MEDIA_URL or "/media/"):
        assert cast.client_for(cast.parent).get(prefix + checkin.photo.name).status_code == 404
