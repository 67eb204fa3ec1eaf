"""Turn a caregiver's upload into a small, clean JPEG, or refuse it calmly.

Usage from a view::

    try:
        photo = process_photo(request.FILES["photo"])
    except PhotoError as error:
        form.add_error("photo", error.message)
    else:
        update.photo.save(photo_name(), ContentFile(photo.content), save=False)
"""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from typing import Protocol

import pillow_heif
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from PIL import Image, ImageCms, ImageOps

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_EDGE = 1600
# Below Pillow's own limit (89 MP), above any phone camera's usual output (12-48 MP).
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82

# MPO is how Pillow names a JPEG carrying extra pictures (many Android cameras write them).
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})
# The plugins Pillow may even try: nothing else (no EPS, no TIFF, no GIF) touches the bytes.
_DECODERS = ("JPEG", "PNG", "WEBP", "HEIF")

logger = logging.getLogger(__name__)
pillow_heif.register_heif_opener()
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_MEGABYTE = 1024 * 1024


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class PhotoError(Exception):
    """The upload can't become a photo; `message` is safe to show the person who sent it."""

    default_message = gettext_lazy(
        "This file isn't a photo we can read. Try another one, or send “All good” without a photo."
    )

    def __init__(self, message: str | Promise | None = None, *, code: str = "unreadable") -> None:
        self.message = self.default_message if message is None else message
        self.code = code
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    content: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def process_photo(fileobj: Readable, *, max_bytes: int = MAX_UPLOAD_BYTES) -> ProcessedPhoto:
    """Read an upload (from its current position) and return it as a metadata-free JPEG.

    Raises PhotoError, and nothing else, for anything that isn't a usable photo.
    """
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoError(
            gettext(
                "This photo is larger than %(size)s MB. Try a smaller one, "
                "or send “All good” without a photo."
            )
            % {"size": _megabytes(max_bytes)},
            code="too_large",
        )
    if not data:
        raise PhotoError(code="empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decode(data)
            content = _encode(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(code="dimensions") from error
    except Exception as error:
        # Decoders fed hostile bytes raise all sorts (OSError, SyntaxError, struct.error, …).
        logger.info("Refused a photo upload: %r", error)
        raise PhotoError from error
    return ProcessedPhoto(content=content, width=image.width, height=image.height)


def photo_name(key: str = "") -> str:
    """A fresh, unguessable storage path: ``photos/<yyyy>/<mm>/<32 hex>.jpg``.

    `key` (e.g. the uploaded file's name) is deliberately unused: the stored name must
    reveal nothing about the original file and must not be predictable from it.
    """
    now = timezone.now()
    return f"photos/{now:%Y}/{now:%m}/{secrets.token_hex(16)}.jpg"


def _decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data), formats=_DECODERS) as probe:
        _check_header(probe)
        probe.verify()
    image = Image.open(io.BytesIO(data), formats=_DECODERS)
    _check_header(image)
    # Let the JPEG decoder shrink by 1/2, 1/4 or 1/8 while decoding: far less memory and time.
    image.draft(None, _fitted_size(image.size))
    image.load()
    icc = image.info.get("icc_profile")
    image = _resizable(image)
    # Shrink first, so every later copy of the pixels is small.
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    image = _upright(image)
    return _fresh_srgb(_flatten(image), icc)


def _check_header(image: Image.Image) -> None:
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(code="format")
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoError(code="dimensions")


def _fitted_size(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(1.0, MAX_EDGE / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a mangled EXIF block shouldn't cost the photo: keep it as stored
        return image


def _resizable(image: Image.Image) -> Image.Image:
    """Palette, 1-bit and 16-bit images resize badly (or not at all): widen them first."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: scale to 8 bits rather than clipping everything to white.
        return image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode in {"P", "PA"}:
        return image.convert("RGBA" if _has_alpha(image) else "RGB")
    if image.mode == "1":
        return image.convert("L")
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB or CMYK image, any transparency laid on white."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        image = Image.new("RGBA", rgba.size, "white")
        image.alpha_composite(rgba)
    return image if image.mode in {"RGB", "CMYK"} else image.convert("RGB")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info


def _fresh_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Copy only the pixels, in sRGB: no EXIF, GPS, XMP, ICC or comments survive."""
    # An unusable profile is no reason to refuse: the pixels as stored are still a fine photo.
    with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
        if icc:
            image = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB"
            )
    if image.mode != "RGB":
        image = image.convert("RGB")
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _megabytes(size: int) -> str:
    megabytes = size / _MEGABYTE
    return number_format(megabytes, decimal_pos=0 if megabytes.is_integer() else 1)
