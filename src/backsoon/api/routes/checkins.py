"""Check-ins: the caregiver's updates, posted with an optional photo, and read by parents.

Posting goes through `process_photo` and `separations.services.post_checkin`, as the web
form does: the photo is re-encoded without its metadata, and an `Idempotency-Key` makes a
retried post return the first one instead of adding another.
"""

from typing import Annotated, Literal

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from backsoon.api.errors import READ, WRITE, conflict, errors, forbidden, invalid, not_found
from backsoon.api.permissions import api_access
from backsoon.api.routes import present
from backsoon.api.routes.separations import S, visible
from backsoon.api.schemas import (
    CheckInOut,
    CheckInPage,
    DateTimeIn,
    Limit,
    ObjectId,
    Offset,
    State,
)
from backsoon.households.access import Access
from backsoon.photos.processing import MAX_UPLOAD_BYTES, PhotoError, process_photo
from backsoon.separations import services
from backsoon.separations.models import CheckIn, Separation, SettledAfter

router = Router(tags=["check-ins"])

PHOTO_MAX_AGE = 7 * 24 * 3600  # a stored photo never changes
SETTLED_PATTERN = r"^[0-9]{1,15}=(" + "|".join(SettledAfter.values) + r")$"
SettledItem = Annotated[str, Field(pattern=SETTLED_PATTERN)]


def _photo_url(household_id: int):
    base = reverse("api:checkin_photo", kwargs={"household_id": household_id, "checkin_id": 1})
    prefix = base[: -len("1/photo")]
    return lambda c: f"{prefix}{c.pk}/photo"


def _separation(request: HttpRequest, separation_id: int) -> Separation:
    separation = visible(request).select_related("household").filter(pk=separation_id).first()
    if separation is None:
        raise not_found()
    return separation


@router.get(S + "/{separation_id}/checkins", response={200: CheckInPage, **errors(*READ)})
@api_access(Access.HOUSEHOLD, caregivers=True)
def list_checkins(
    request: HttpRequest,
    household_id: ObjectId,
    separation_id: ObjectId,
    since: DateTimeIn | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Newest first; `since` keeps those posted at or after it.

    Access: `household`: parents; a caregiver or link only where they care.
    """
    separation = _separation(request, separation_id)
    queryset = present.checkins().filter(separation=separation).order_by("-created_at", "-pk")
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    photo_url = _photo_url(household_id)
    return {
        "items": [present.checkin_out(c, photo_url) for c in queryset[offset : offset + limit]],
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
    }


def _settled(values: list[str], separation: Separation) -> dict:
    children = {c.pk: c for c in separation.children.all()}
    answers = {}
    for n, value in enumerate(values):
        child_id, _sep, after = value.partition("=")
        child = children.get(int(child_id)) if child_id.isdigit() else None
        if child is None or after not in SettledAfter.values:
            raise invalid(f"form.settled.{n}", _("Use child_id=after for a child in this plan."))
        answers[child] = after
    return answers


def _photo(upload: UploadedFile | None):
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("form.photo", _("This photo is too large."), code="photo_too_large")
    try:
        return process_photo(upload)
    except PhotoError as exc:
        raise invalid("form.photo", str(exc.message), code="photo") from exc


@router.post(
    S + "/{separation_id}/checkins",
    response={201: CheckInOut, **errors(*WRITE)},
)
@api_access(Access.HOUSEHOLD, caregivers=True)
def post_checkin(
    request: HttpRequest,
    household_id: ObjectId,
    separation_id: ObjectId,
    all_good: Annotated[bool, Form()] = False,
    state: Annotated[State | Literal[""], Form()] = "",
    message: Annotated[str, Form(max_length=500)] = "",
    ate_less: Annotated[bool, Form()] = False,
    looked_around: Annotated[bool, Form()] = False,
    settled: Annotated[list[SettledItem], Form(max_length=20)] = (),
    photo: Annotated[UploadedFile, File()] = None,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=64)] = "",
):
    """Post an update, as the person caring for the children (multipart/form-data).

    Only the carer of this separation (an account or a caregiver link), while it is under
    way or for a few hours after. `settled` repeats as `child_id=after` (under_5, 5_15,
    15_30, over_30, not_yet). Send an `Idempotency-Key` header (up to 64 characters) to make
    a retry safe. Access: `household`, the carer only.
    """
    separation = _separation(request, separation_id)
    if not separation.is_carer(request.subject):
        raise forbidden("not_the_carer", _("Only the person caring can post updates."))
    now = timezone.now()
    if not services.can_post(separation, now):
        raise conflict("not_open", _("Updates can be posted while the parent is away."))
    if "\x00" in message:  # as the web form: PostgreSQL can't store it
        raise invalid("form.message", _("Null characters are not allowed."))
    key = idempotency_key.strip()
    post = services.Post(
        all_good=all_good,
        state=state,
        message=message.strip(),
        ate_less=ate_less,
        looked_around=looked_around,
        settled=_settled(settled, separation),
        photo=_photo(photo),
    )
    if not (post.all_good or post.state or post.message or post.photo or post.settled):
        raise invalid("form.all_good", _("Say something: all_good, a state, a message or a photo."))
    checkin = services.post_checkin(
        separation, request.subject, key or services.new_key(), post, now
    )
    checkin = present.checkins().get(pk=checkin.pk)
    return Status(201, present.checkin_out(checkin, _photo_url(household_id)))


@router.get(
    "/households/{household_id}/checkins/{checkin_id}/photo",
    response={**errors(*READ)},
    url_name="checkin_photo",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The photo, a JPEG without metadata.",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@api_access(Access.HOUSEHOLD, caregivers=True)
def get_photo(request: HttpRequest, household_id: ObjectId, checkin_id: ObjectId):
    """A check-in's photo. Access: `household`: parents; the carer of that separation."""
    checkin = (
        CheckIn.objects.select_related("separation")
        .exclude(photo="")
        .filter(pk=checkin_id, separation__household=request.household)
        .first()
    )
    if checkin is None or not (
        request.subject.is_parent or checkin.separation.is_carer(request.subject)
    ):
        raise not_found()
    try:
        handle = default_storage.open(checkin.photo.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise not_found() from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = f"private, max-age={PHOTO_MAX_AGE}, immutable"
    return response
