import json
import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from backsoon.pwa import OFFLINE_HEADER, PRECACHE
from backsoon.separations.tests.factories import make_separation


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"] if icon.get("purpose") != "maskable"}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert '"/offline/"' in body and "/static/backsoon/css/app" in body
    assert OFFLINE_HEADER in body


def test_the_offline_page_and_favicon(client):
    assert "No connection" in client.get("/offline/").content.decode()
    assert client.get("/favicon.ico")["Location"].endswith(".png")


def test_logging_out_clears_the_offline_copies(cast):
    client = cast.client_for(cast.caregiver)
    response = client.post(reverse("account_logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_every_page_links_the_manifest(db, client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").content.decode()


def _precache(client) -> list[str]:
    body = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"var PRECACHE = (\[.*?\]);", body).group(1))


def test_the_service_worker_precaches_what_posting_an_update_offline_needs(cast):
    make_separation(cast)  # the caregiver is caring now: the page has its form
    html = cast.client_for(cast.caregiver).get(
        reverse("separations:care_now", args=[cast.household.pk])
    )
    assets = set(re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html.content.decode()))
    assert {static("backsoon/js/outbox.js"), static("backsoon/js/photo-resize.js")} <= assets
    precache = _precache(cast.client_for(cast.caregiver))
    assert assets - set(precache) == set(), "the caregiver's page needs these offline"
    for path in PRECACHE:
        assert finders.find(path), path
