"""The API's payloads with hostile values, and hostile uploads to the photo check-in (web and
API): a clear error, never a 500, and nothing partly saved — no row, no file.

Schemathesis (api/tests/test_schemathesis.py) already sends schema-shaped broken requests to
every operation; here Hypothesis aims hostile *values* (hostile.py) at the operations that
write or filter: planning (JSON), posting a check-in (multipart), and the list filters.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from backsoon.api.tests.factories import API, api_client
from backsoon.households.models import CaregiverLink
from backsoon.households.tests.test_access_matrix import snapshot
from backsoon.separations.models import CheckIn, Separation
from backsoon.separations.tests.factories import image_bytes, make_separation
from backsoon.separations.tests.test_caregiver import link_client
from backsoon.tests_security.hostile import DATES, HOSTILE, NUMBERS, hostile_text

EXAMPLES = min(settings().max_examples, 25)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def away(cast, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    return make_separation(cast, starts_at=timezone.now() - timedelta(minutes=5))


def anything() -> st.SearchStrategy:
    """A JSON value of any type, hostile strings and numbers included."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text(),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def plan_body(cast) -> st.SearchStrategy[dict]:
    valid = {
        "kind": "practice",
        "carer_member_id": cast.caregiver.pk,
        "children": [cast.child.pk],
        "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        "minutes": 30,
        "plan_note": "a walk",
        "agreed": [{"kind": "photo", "label": "nap", "at": "13:00"}],
        "private": {"worry_before": 5, "fear": "crying", "messages_aim": 1},
    }
    special = {
        "starts_at": st.sampled_from([*DATES, *(d + ":00+01:00" for d in DATES if "T" in d)]),
        "minutes": st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**70), 2**70)),
        "children": st.one_of(st.lists(st.integers(-(2**63), 2**64), max_size=30), anything()),
        "agreed": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "kind": anything(),
                    "label": hostile_text(),
                    "after_minutes": anything(),
                    "at": st.sampled_from(HOSTILE),
                },
            ),
            max_size=10,
        ),
        "private": st.fixed_dictionaries(
            {},
            optional={
                "worry_before": anything(),
                "fear": hostile_text(),
                "messages_aim": anything(),
            },
        ),
    }

    @st.composite
    def body(draw):
        out = {}
        for key, value in valid.items():
            choice = draw(st.sampled_from(["keep", "drop", "hostile"]), label=key)
            if choice == "keep":
                out[key] = value
            elif choice == "hostile":
                out[key] = draw(special.get(key, anything()), label=f"{key} value")
        return out

    return body()


def assert_clean_refusal(response, before) -> None:
    assert response.status_code < 500
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
        assert snapshot() == before, "refused, but something was saved"


@FUZZ
@given(data=st.data())
def test_planning_through_the_api_with_hostile_values(cast, away, data):
    client = api_client(cast.parent)
    body = data.draw(plan_body(cast))
    before = snapshot()
    response = client.post(
        f"{API}/households/{cast.household.pk}/separations",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )
    assert_clean_refusal(response, before)


@FUZZ
@given(data=st.data())
def test_posting_a_checkin_through_the_api_with_hostile_values(cast, away, data):
    client = api_client(cast.caregiver)
    fields = {}
    for name, good in (
        ("all_good", "true"),
        ("state", "sleeping"),
        ("message", "asleep"),
        ("ate_less", "false"),
        ("settled", f"{cast.child.pk}=under_5"),
    ):
        choice = data.draw(st.sampled_from(["keep", "drop", "hostile"]), label=name)
        if choice == "keep":
            fields[name] = good
        elif choice == "hostile":
            fields[name] = data.draw(hostile_text(), label=f"{name} value")
    key = data.draw(st.one_of(st.just(""), hostile_text()), label="Idempotency-Key")
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key.isprintable() and "\x00" not in key else {}
    before = snapshot()
    response = client.post(
        f"{API}/households/{cast.household.pk}/separations/{away.pk}/checkins", fields, **headers
    )
    assert_clean_refusal(response, before)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["status", "starts_after", "starts_before", "limit", "offset", "since"]),
        st.one_of(st.sampled_from(DATES + NUMBERS), hostile_text()),
        max_size=4,
    )
)
def test_list_filters_with_hostile_values(cast, away, params):
    client = api_client(cast.parent)
    h = cast.household.pk
    for path in (
        f"{API}/households/{h}/separations",
        f"{API}/households/{h}/separations/{away.pk}/checkins",
    ):
        response = client.get(path, {k: v.replace("\x00", "") for k, v in params.items()})
        assert response.status_code in (200, 422), (path, params, response.status_code)


# --- hostile uploads --------------------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions and holds no pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def bomb() -> bytes:
    """A small PNG that decodes to 400 million pixels."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


HOSTILE_UPLOADS = {
    "a PDF named .jpg": ("nap.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    "an empty file": ("nap.jpg", b""),
    "SVG with a script, named .jpg": (
        "nap.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "HTML named .png": ("nap.png", b"<!doctype html><html><script>alert(1)</script></html>"),
    "a truncated JPEG": ("nap.jpg", image_bytes((800, 600))[:2000]),
    "a decompression bomb": ("nap.png", None),
    "huge dimensions, no pixels": ("nap.png", png_header_only(100_000, 100_000)),
    "a JPEG header and garbage": ("nap.jpg", b"\xff\xd8\xff\xe0" + os.urandom(4000)),
    "over 20 MB": ("nap.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 + 10)),
}


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Parallel test processes share the data folder: count only this test's files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def media_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload(name: str) -> SimpleUploadedFile:
    filename, content = HOSTILE_UPLOADS[name]
    content = bomb() if content is None else content
    return SimpleUploadedFile(filename, content, content_type="image/jpeg")


@pytest.mark.parametrize("name", HOSTILE_UPLOADS)
def test_a_hostile_upload_through_the_api_is_refused_and_nothing_is_kept(cast, away, name):
    client = api_client(cast.caregiver)
    files, rows = media_files(), CheckIn.objects.count()
    response = client.post(
        f"{API}/households/{cast.household.pk}/separations/{away.pk}/checkins",
        {"message": "nap", "photo": upload(name)},
        HTTP_IDEMPOTENCY_KEY=f"k-{hash(name)}",
    )
    assert response.status_code == 422, response.content[:300]
    error = response.json()["error"]
    assert error["code"] in ("photo", "photo_too_large", "invalid")
    assert any("photo" in str(f) for f in error["fields"]), error
    assert CheckIn.objects.count() == rows
    assert media_files() == files


@pytest.mark.parametrize("name", HOSTILE_UPLOADS)
def test_a_hostile_upload_through_the_web_form_is_refused_and_nothing_is_kept(cast, name):
    link, client = link_client(cast)
    separation = make_separation(cast, link=link, starts_at=timezone.now() - timedelta(minutes=5))
    files, rows = media_files(), CheckIn.objects.count()
    response = client.post(
        reverse("separations:care_post", args=[cast.household.pk, separation.pk]),
        {"key": f"k-{hash(name)}", "message": "nap", "photo": upload(name)},
    )
    assert response.status_code == 200  # the form again, with the photo's error
    assert b"field__error" in response.content
    assert CheckIn.objects.count() == rows
    assert media_files() == files


def test_a_real_photo_still_goes_through_both_ways(cast, away):
    """The control: what the hostile uploads are refused against."""
    client = api_client(cast.caregiver)
    response = client.post(
        f"{API}/households/{cast.household.pk}/separations/{away.pk}/checkins",
        {"photo": SimpleUploadedFile("nap.jpg", image_bytes((800, 600)), "image/jpeg")},
    )
    assert response.status_code == 201
    link, web = link_client(cast, "Sitter Lou")
    mine = make_separation(
        cast, leaver=cast.partner, link=link, starts_at=timezone.now() - timedelta(minutes=5)
    )
    response = web.post(
        reverse("separations:care_post", args=[cast.household.pk, mine.pk]),
        {"key": "k-real", "photo": SimpleUploadedFile("nap.jpg", image_bytes(), "image/jpeg")},
    )
    assert response.status_code == 302
    assert CheckIn.objects.exclude(photo="").count() == 2
    assert len(media_files()) == 2  # the folder the hostile tests watch is the real one
    assert CaregiverLink.objects.filter(name="Sitter Lou").exists()
    assert Separation.objects.count() == 2
