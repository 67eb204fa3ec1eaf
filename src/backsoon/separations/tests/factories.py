"""Test helpers: separations and updates for the cast, and a real little JPEG."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from backsoon.photos.processing import photo_name
from backsoon.separations import services
from backsoon.separations.models import CheckIn, Separation, SeparationPrivate

# Distinctive inner data: privacy tests assert these never reach anyone but the owner.
FEAR_MARKER = "FEAR-MARKER-she-will-cry-for-hours"
REASON_MARKER = "REASON-MARKER-could-not-stop-thinking"


def image_bytes(size=(40, 30), fmt="JPEG", color=(200, 120, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def make_separation(
    cast,
    *,
    leaver=None,
    carer=None,
    link=None,
    status=Separation.Status.AWAY,
    minutes=30,
    starts_at=None,
    children=None,
    agreed=(),
    private=None,
) -> Separation:
    leaver = leaver or cast.parent
    now = timezone.now()
    starts_at = starts_at or now - timedelta(minutes=10)
    carer_obj = (
        services.Carer(link=link) if link else services.Carer(membership=carer or cast.caregiver)
    )
    separation = Separation.objects.create(
        household=leaver.household,
        leaver=leaver,
        leaver_name=leaver.display_name,
        carer_membership=carer_obj.membership,
        carer_link=carer_obj.link,
        carer_name=carer_obj.name,
        starts_at=starts_at,
        planned_minutes=minutes,
        status=status,
        left_at=starts_at if status in (Separation.Status.AWAY, Separation.Status.BACK) else None,
        back_at=starts_at + timedelta(minutes=minutes)
        if status == Separation.Status.BACK
        else None,
    )
    separation.children.set(children if children is not None else [cast.child])
    services.place_agreed(separation, list(agreed))
    SeparationPrivate.objects.create(separation=separation, owner=leaver, **(private or {}))
    return separation


def make_checkin(separation, *, by=None, link=None, photo=False, **fields) -> CheckIn:
    name = ""
    if photo:
        name = default_storage.save(photo_name(), ContentFile(image_bytes()))
    fields.setdefault("created_at", timezone.now())
    return CheckIn.objects.create(
        separation=separation,
        posted_by_membership=None if link else (by or separation.carer_membership),
        posted_by_link=link,
        author_name=(link.name if link else (by or separation.carer_membership).display_name),
        idempotency_key=services.new_key(),
        photo=name,
        photo_width=40 if photo else None,
        photo_height=30 if photo else None,
        **fields,
    )


def url_values(cast) -> dict:
    """Values for the URL test: a finished separation of Maya's, cared for by Ana, with a photo."""
    separation = make_separation(
        cast,
        status=Separation.Status.BACK,
        starts_at=timezone.now() - timedelta(hours=1),
        private={"fear": FEAR_MARKER, "worry_before": 7},
    )
    checkin = make_checkin(separation, photo=True, all_good=True)
    return {"separation_id": separation.pk, "checkin_id": checkin.pk}
