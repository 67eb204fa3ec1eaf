"""Reading a household export safely: its size, its document against the schema, and each
photo checked to be the JPEG its name (a SHA-256) says, before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError

from backsoon.api.portability import document as doc
from backsoon.photos.processing import MAX_PIXELS, MAX_UPLOAD_BYTES

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 100_000


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
        data = json.loads(archive.read(info))
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(_("household.json could not be read.")) from exc
    if not isinstance(data, dict) or data.get("schema") not in doc.READABLE:
        raise ImportRefused(
            _("This file isn't in the format this server reads (%(schema)s).")
            % {"schema": doc.SCHEMA}
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
    data = archive.read(info)
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
