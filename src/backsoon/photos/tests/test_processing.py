"""A caregiver's photo becomes a small, clean JPEG; anything else is refused calmly."""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib

import pillow_heif
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms

from backsoon.photos.processing import (
    MAX_EDGE,
    MAX_UPLOAD_BYTES,
    PhotoError,
    ProcessedPhoto,
    photo_name,
    process_photo,
)

RED, BLUE, WHITE = (230, 20, 20), (20, 40, 220), (255, 255, 255)
CALM_MESSAGE = (
    "This file isn't a photo we can read. Try another one, or send “All good” without a photo."
)


def marked_image(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Blue, with a red block in the top-left corner so orientation can be checked."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 8, size[1] // 8))
    return image


def encode(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def phone_jpeg(size=(4000, 3000), orientation: int = 6) -> bytes:
    """Like a phone's photo: stored sideways with an orientation tag, and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return encode(marked_image(size), "JPEG", exif=exif, quality=90)


def process(data: bytes, **options) -> ProcessedPhoto:
    return process_photo(io.BytesIO(data), **options)


def opened(photo: ProcessedPhoto) -> Image.Image:
    image = Image.open(io.BytesIO(photo.content))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (photo.width, photo.height)
    assert photo.content_type == "image/jpeg"
    return image


def close_to(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def png_declaring(width: int, height: int) -> bytes:
    """A complete 1-bit PNG of the given size: a few KB on disk, gigabytes once decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_at_once = max(1, 1_000_000 // len(row))
    idat = b"".join(
        compressor.compress(row * min(rows_at_once, height - start))
        for start in range(0, height, rows_at_once)
    )
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims a much larger size."""
    data = bytearray(encode(marked_image((64, 48)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# What a caregiver's phone sends


def test_a_sideways_phone_photo_comes_out_upright_small_and_without_location():
    original = Image.open(io.BytesIO(phone_jpeg()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo should carry GPS"

    photo = process(phone_jpeg())

    image = opened(photo)
    assert (photo.width, photo.height) == (1200, 1600)
    # Orientation 6 turns the picture clockwise: the red top-left block ends up top-right.
    assert close_to(image.getpixel((photo.width - 10, 10)), RED)
    assert close_to(image.getpixel((10, 10)), BLUE)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"Exif" not in photo.content and b"PhoneCo" not in photo.content
    assert image.info.get("progressive") or image.info.get("progression")


@pytest.mark.parametrize("orientation", [1, 3, 8])
def test_other_orientations_are_applied_too(orientation):
    photo = process(phone_jpeg(size=(800, 600), orientation=orientation))
    image = opened(photo)
    red_corner = {1: (10, 10), 3: (photo.width - 10, photo.height - 10), 8: (10, photo.height - 10)}
    assert (photo.width, photo.height) == ((800, 600) if orientation != 8 else (600, 800))
    assert close_to(image.getpixel(red_corner[orientation]), RED)


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_a_transparent_png_is_laid_on_white(mode):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((*RED, 255), (150, 0, 300, 200))
    if mode == "P":
        image = image.convert("P")
        image.info["transparency"] = image.getpixel((0, 0))
    photo = process(encode(image, "PNG"))
    result = opened(photo)
    assert (photo.width, photo.height) == (300, 200)
    assert close_to(result.getpixel((20, 100)), WHITE, 5)
    assert close_to(result.getpixel((280, 100)), RED)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_webp_is_converted(mode):
    photo = process(encode(marked_image((2400, 1200), mode), "WEBP", quality=80))
    image = opened(photo)
    assert (photo.width, photo.height) == (1600, 800)
    assert close_to(image.getpixel((10, 10)), RED) and close_to(image.getpixel((1590, 790)), BLUE)


def test_an_iphone_heic_is_converted_and_its_orientation_applied_once():
    if not pillow_heif.libheif_info()["encoders"]:
        pytest.skip("this libheif build has no HEIC encoder, so no sample can be made")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    heic = encode(marked_image((2000, 1500)), "HEIF", quality=80, exif=exif.tobytes())
    assert heic[4:12] == b"ftypheic"

    photo = process(heic)

    image = opened(photo)
    assert (photo.width, photo.height) == (1200, 1600)
    assert close_to(image.getpixel((photo.width - 10, 10)), RED)
    assert not image.getexif()


def test_an_android_mpo_jpeg_is_accepted():
    first, second = marked_image((1000, 750)), Image.new("RGB", (1000, 750), WHITE)
    mpo = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"
    image = opened(process(mpo))
    assert image.size == (1000, 750) and close_to(image.getpixel((10, 10)), RED)


def test_a_cmyk_jpeg_becomes_rgb():
    image = opened(process(encode(marked_image((400, 300)).convert("CMYK"), "JPEG")))
    assert close_to(image.getpixel((10, 10)), RED, 60)


def test_a_16_bit_greyscale_png_keeps_its_greys():
    grey = Image.new("I;16", (100, 100), 32768)
    image = opened(process(encode(grey, "PNG")))
    assert close_to(image.getpixel((50, 50)), (128, 128, 128), 3)


def test_a_colour_profile_is_applied_and_not_kept():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = process(encode(marked_image((400, 300)), "JPEG", icc_profile=icc))
    image = opened(photo)
    assert "icc_profile" not in image.info and close_to(image.getpixel((10, 10)), RED)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
def test_a_mangled_exif_block_does_not_cost_the_photo():
    data = encode(marked_image((400, 300)), "JPEG", exif=b"Exif\x00\x00MM\x00*\xff\xff\xff\xff")
    assert opened(process(data)).size == (400, 300)


def test_a_small_photo_is_not_enlarged():
    photo = process(encode(marked_image((640, 480)), "JPEG"))
    assert (photo.width, photo.height) == (640, 480)


def test_a_long_thin_image_keeps_at_least_one_pixel():
    photo = process(encode(Image.new("RGB", (8000, 2), RED), "PNG"))
    assert (photo.width, photo.height) == (MAX_EDGE, 1)


def test_a_django_upload_is_read_as_it_comes():
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_jpeg((1600, 1200)), "image/jpeg")
    assert process_photo(upload).width == 1200


# What is refused, always with PhotoError and a calm message

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"Dear diary, the baby slept.\n" * 20, "unreadable", id="text-named-jpg"),
        pytest.param(SVG, "unreadable", id="svg"),
        pytest.param(HTML, "unreadable", id="html"),
        pytest.param(b"%PDF-1.7\n" + b"0" * 200, "unreadable", id="pdf"),
        pytest.param(encode(marked_image((100, 100)), "GIF"), "unreadable", id="gif"),
        pytest.param(encode(marked_image((100, 100)), "BMP"), "unreadable", id="bmp"),
        pytest.param(encode(marked_image((100, 100)), "TIFF"), "unreadable", id="tiff"),
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\xff\xd8\xff", "unreadable", id="jpeg-magic-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n", "unreadable", id="png-magic-only"),
    ],
)
def test_things_that_are_not_photos_are_refused(data, code):
    with pytest.raises(PhotoError) as caught:
        process(data)
    assert caught.value.code == code
    assert str(caught.value) == CALM_MESSAGE == str(caught.value.message)


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_a_photo_cut_off_halfway_is_refused(format):
    data = encode(Image.effect_noise((600, 400), 64).convert("RGB"), format)
    with pytest.raises(PhotoError):
        process(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_declaring(30_000, 30_000), id="png-900-megapixels"),
        pytest.param(png_declaring(8_000, 8_000), id="png-64-megapixels"),
        pytest.param(jpeg_declaring(60_000, 60_000), id="jpeg-header-claims-3600-megapixels"),
        pytest.param(png_declaring(10_000, 10_000), id="png-100-megapixels-pillow-warns"),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(data):
    assert len(data) < 200_000
    limit = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out as a warning either
        with pytest.raises(PhotoError) as caught:
            process(data)
    assert caught.value.code == "dimensions"
    assert limit == Image.MAX_IMAGE_PIXELS


def test_a_file_over_the_limit_is_refused_with_its_size_in_the_message():
    with pytest.raises(PhotoError) as caught:
        process(encode(marked_image((200, 200)), "JPEG"), max_bytes=1000)
    assert caught.value.code == "too_large"
    assert "larger than" in str(caught.value) and "“All good”" in str(caught.value)


def test_the_default_limit_is_20_mb_and_no_more_than_that_is_read():
    class EndlessUpload:
        asked_for: list[int] = []

        def read(self, size: int = -1) -> bytes:
            self.asked_for.append(size)
            return b"\xff" * size

    upload = EndlessUpload()
    with pytest.raises(PhotoError, match=r"larger than 20 MB") as caught:
        process_photo(upload)
    assert caught.value.code == "too_large"
    assert upload.asked_for == [MAX_UPLOAD_BYTES + 1]


# Fuzzing: anything at all either becomes a valid JPEG or is refused with PhotoError

SAMPLES = [
    encode(marked_image((40, 30)), "JPEG"),
    encode(marked_image((40, 30), "RGBA"), "PNG"),
    encode(marked_image((40, 30)), "WEBP"),
    encode(marked_image((64, 64)), "HEIF", quality=50),
]


def assert_photo_or_refusal(data: bytes) -> None:
    try:
        photo = process(data)
    except PhotoError as error:
        assert str(error)
    else:
        assert max(opened(photo).size) <= MAX_EDGE


@given(st.binary(max_size=2048))
def test_random_bytes_never_escape_as_anything_but_photo_error(data):
    assert_photo_or_refusal(data)


@given(sample=st.sampled_from(SAMPLES), keep=st.integers(4, 64), tail=st.binary(max_size=2048))
def test_a_real_header_then_garbage_never_escapes(sample, keep, tail):
    assert_photo_or_refusal(sample[:keep] + tail)


@given(
    sample=st.sampled_from(SAMPLES),
    damage=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.floats(0.05, 1),
)
def test_a_damaged_real_photo_never_escapes(sample, damage, cut):
    data = bytearray(sample)
    for where, value in damage:
        data[int(where * len(data))] = value
    assert_photo_or_refusal(bytes(data[: max(1, int(cut * len(data)))]))


# Where photos are stored


def test_photo_names_are_dated_random_and_never_repeat():
    with time_machine.travel("2026-03-09 23:30:00+00:00", tick=False):
        names = [photo_name("IMG_0001.HEIC") for _ in range(1000)]
    assert len(set(names)) == 1000
    for name in names:
        assert re.fullmatch(r"photos/2026/03/[0-9a-f]{32}\.jpg", name)
        assert "IMG" not in name
