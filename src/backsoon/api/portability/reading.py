"""Reading a household export safely: its size, its document against the schema, and each
photo checked to be the JPEG its name (a SHA-256) says, before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import zipfile
import zlib

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError

from backsoon.api.portability import document as doc
from backsoon.photos.processing import MAX_PIXELS, MAX_UPLOAD_BYTES

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 100_000
# What reading a damaged or unusual zip member can raise: a bad CRC, a broken stream, an
# encrypted member, a compression method Python doesn't have.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
)
NUL = "\x00"


class ImportRefused(Exception):
    """The file can't be imported; the message says why, for the person importing it."""


def read_document(archive: zipfile.ZipFile) -> doc.Document:
    if len(archive.infolist()) > MAX_ENTRIES:
        raise ImportRefused(_("This file has too many parts to be a Back Soon export."))
    try:
        info = archive.getinfo("household.json")
    except KeyError as exc:
        raise ImportRefused(_("This zip has no household.json: is it a Back Soon export?")) from exc
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise ImportRefused(_("household.json is too large."))
    try:
        data = loads(archive.read(info))
    except (*ZIP_ERRORS, RecursionError) as exc:
        raise ImportRefused(_("household.json could not be read.")) from exc
    if not isinstance(data, dict) or data.get("schema") not in doc.READABLE:
        raise ImportRefused(
            _("This file isn't in the format this server reads (%(schema)s).")
            % {"schema": doc.SCHEMA}
        )
    where = null_at(data)
    if where is not None:
        raise ImportRefused(
            _("household.json has a value we can't use at %(where)s: %(problem)s")
            % {"where": where, "problem": _("it holds a null character (U+0000).")}
        )
    try:
        return doc.Document.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ImportRefused(
            _("household.json has a value we can't use at %(where)s: %(problem)s")
            % {"where": where, "problem": first["msg"]}
        ) from exc


def photo_bytes(archive: zipfile.ZipFile, path: str) -> bytes | None:
    """The photo, if it is in the zip, is what its name says, and is a sane JPEG."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    if info.file_size > MAX_UPLOAD_BYTES:
        raise ImportRefused(_("A photo in this file is too large."))
    try:
        data = archive.read(info)
    except ZIP_ERRORS as exc:
        raise ImportRefused(_("A photo in this file is damaged and could not be read.")) from exc
    if f"photos/{hashlib.sha256(data).hexdigest()}.jpg" != path:
        raise ImportRefused(_("A photo in this file was changed after the export."))
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImportRefused(_("A photo in this file is too large."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImportRefused(_("A photo in this file isn't a JPEG we can show.")) from exc
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def loads(data: bytes | str):
    """JSON as the standard says: NaN and Infinity, which Python's reader takes but the
    databases' JSON refuses, are an unreadable file, as is nesting too deep to read."""
    return json.loads(data, parse_constant=_no_constant)


def null_at(data) -> str | None:
    """Where, in parsed JSON, a text (or a key) holds a NUL character, which PostgreSQL can't
    store: "children.0.name", or None. Checked on every database, so a file loads the same."""
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return ".".join(path) or "(the file)"
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                where = (*path, key.replace(NUL, "\\x00"))
                if NUL in key:
                    return ".".join(where)
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend(((*path, str(i)), item) for i, item in reversed(list(enumerate(value))))
    return None
