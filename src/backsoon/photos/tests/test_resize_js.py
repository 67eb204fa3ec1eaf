"""photo-resize.js in a real Chromium, under our real CSP: the phone shrinks, the server checks."""

from __future__ import annotations

import io
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from backsoon.photos.processing import process_photo
from backsoon.photos.tests.test_processing import (
    RED,
    WHITE,
    close_to,
    encode,
    marked_image,
    phone_jpeg,
)

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "backsoon" / "js" / "photo-resize.js"
ORIGIN = "http://photos.backsoon.test"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Update</title>
<script src="/static/backsoon/js/photo-resize.js" defer></script></head>
<body><form method="post" action="/upload" enctype="multipart/form-data">
<label>Photo <input type="file" name="photo" accept="image/*" data-resize-photo
  data-photo-working="Getting the photo ready…" data-photo-ready="Photo ready"></label>
<p data-photo-status role="status"></p>
<button>Send</button>
</form></body></html>"""


def content_security_policy() -> str:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class PhotoPage:
    """A caregiver's update form, served from a made-up origin with the app's CSP."""

    def __init__(self, page):
        self.page = page
        self.uploads: list[tuple[str, bytes]] = []
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        page.on(
            "console", lambda msg: self.problems.append(msg.text) if msg.type == "error" else None
        )
        page.route(f"{ORIGIN}/**", self.serve)
        page.goto(f"{ORIGIN}/update")

    def serve(self, route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/update":
            headers = {"Content-Security-Policy": content_security_policy()}
            route.fulfill(content_type="text/html; charset=utf-8", headers=headers, body=PAGE)
        elif path == "/static/backsoon/js/photo-resize.js":
            route.fulfill(content_type="text/javascript", body=SCRIPT.read_text(encoding="utf-8"))
        elif path == "/upload" and route.request.method == "POST":
            self.uploads.append(uploaded_photo(route.request))
            route.fulfill(content_type="text/html; charset=utf-8", body="<p>Sent</p>")
        else:
            route.fulfill(status=404, body="")

    def choose(self, name: str, mime_type: str, data: bytes) -> str:
        self.page.set_input_files(
            "input[type=file]", files=[{"name": name, "mimeType": mime_type, "buffer": data}]
        )
        self.page.wait_for_selector(
            "input[data-photo-state=ready], input[data-photo-state=original]"
        )
        return self.page.get_attribute("input[type=file]", "data-photo-state")

    def status(self) -> str:
        return self.page.text_content("[data-photo-status]")

    def send(self) -> tuple[str, bytes]:
        self.page.click("button")
        self.page.wait_for_selector("text=Sent")
        assert not self.problems, self.problems
        (upload,) = self.uploads
        return upload


def uploaded_photo(request) -> tuple[str, bytes]:
    """The filename and bytes of the photo field in a multipart POST."""
    header = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + request.post_data_buffer)
    (part,) = [
        part
        for part in message.iter_parts()
        if part.get_param("name", header="content-disposition") == "photo"
    ]
    return part.get_filename(), part.get_payload(decode=True)


@pytest.fixture
def photo_page(new_phone):
    return PhotoPage(new_phone())


def test_a_big_sideways_photo_is_shrunk_upright_on_the_phone(photo_page):
    original = phone_jpeg()

    assert photo_page.choose("IMG_0042.JPG", "image/jpeg", original) == "ready"
    assert photo_page.status() == "Photo ready"
    name, sent = photo_page.send()

    image = Image.open(io.BytesIO(sent))
    assert name == "IMG_0042.jpg" and image.format == "JPEG"
    assert image.size == (1200, 1600) and len(sent) < len(original) / 2
    assert close_to(image.getpixel((1190, 10)), RED)  # the red corner is top-right: upright
    assert not image.getexif(), "the browser's copy carries no location or camera data"
    checked = process_photo(io.BytesIO(sent))
    assert (checked.width, checked.height) == (1200, 1600)


def test_a_transparent_png_is_shrunk_onto_white(photo_page):
    image = marked_image((3200, 1600), "RGBA")
    image.paste((0, 0, 0, 0), (1600, 0, 3200, 1600))

    assert photo_page.choose("screenshot.png", "image/png", encode(image, "PNG")) == "ready"
    name, sent = photo_page.send()

    result = Image.open(io.BytesIO(sent))
    assert name == "screenshot.jpg" and result.size == (1600, 800)
    assert close_to(result.getpixel((5, 5)), RED) and close_to(
        result.getpixel((1500, 400)), WHITE, 5
    )


def test_a_photo_that_is_already_small_is_sent_as_it_is(photo_page):
    original = encode(marked_image((800, 600)), "JPEG")
    assert photo_page.choose("small.jpg", "image/jpeg", original) == "ready"
    assert photo_page.send() == ("small.jpg", original)


def test_a_file_the_browser_cannot_read_is_left_for_the_server_without_fuss(photo_page):
    not_a_photo = b"Dear diary, the baby slept.\n" * 20
    assert photo_page.choose("notes.jpg", "image/jpeg", not_a_photo) == "original"
    assert photo_page.status() == ""
    assert photo_page.send() == ("notes.jpg", not_a_photo)


def test_an_old_browser_without_to_blob_sends_the_original(new_phone):
    page = new_phone()
    page.add_init_script("delete HTMLCanvasElement.prototype.toBlob;")
    photo_page = PhotoPage(page)
    original = phone_jpeg((2000, 1500))

    assert photo_page.choose("IMG_0043.JPG", "image/jpeg", original) == "original"
    assert photo_page.send() == ("IMG_0043.JPG", original)


def test_the_photo_chosen_last_is_the_one_sent(photo_page):
    photo_page.page.set_input_files(
        "input[type=file]",
        files=[{"name": "first.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()}],
    )
    second = encode(marked_image((640, 480)), "JPEG")
    assert photo_page.choose("second.jpg", "image/jpeg", second) == "ready"
    photo_page.page.wait_for_timeout(1500)  # let the first photo's work finish, and be ignored
    assert photo_page.send() == ("second.jpg", second)
