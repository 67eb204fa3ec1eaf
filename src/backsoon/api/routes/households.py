"""Households, their children and people, care sheets, and your notification settings."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from backsoon.api.errors import READ, errors
from backsoon.api.permissions import api_access
from backsoon.api.schemas import (
    CareSheetOut,
    ChannelOut,
    ChildOut,
    HouseholdOut,
    NotificationsOut,
    ObjectId,
    PersonOut,
    QuietHoursOut,
    as_hhmm,
)
from backsoon.caresheets.models import Sheet
from backsoon.caresheets.sections import clean_content
from backsoon.households.access import Access, Subject
from backsoon.households.models import Role
from backsoon.households.services import zone
from backsoon.notify.models import Channel, QuietHours
from backsoon.notify.subjects import whom

router = Router(tags=["households"])


def household_out(subject: Subject) -> dict:
    household = subject.household
    return {
        "id": household.pk,
        "name": household.name,
        "time_zone": household.time_zone,
        "country": household.country,
        "created_at": household.created_at,
        "you": {
            "kind": "link" if subject.is_link else "member",
            "role": Role.PARENT if subject.is_parent else Role.CAREGIVER,
            "name": subject.display_name,
        },
    }


@router.get("/households", response={200: list[HouseholdOut], **errors(401, 429)})
@api_access(Access.ACCOUNT)
def list_households(request: HttpRequest):
    """The households you can act in: a token's one household, or all of a session's."""
    return [household_out(s) for s in request.auth.subjects(request)]


@router.get("/households/{household_id}", response={200: HouseholdOut, **errors(*READ)})
@api_access(Access.HOUSEHOLD, caregivers=True)
def get_household(request: HttpRequest, household_id: ObjectId):
    """Access: `household` (caregivers and caregiver links too)."""
    return household_out(request.subject)


@router.get(
    "/households/{household_id}/children",
    response={200: list[ChildOut], **errors(*READ)},
)
@api_access(Access.HOUSEHOLD, caregivers=True)
def list_children(request: HttpRequest, household_id: ObjectId):
    """Access: `household` (caregivers and caregiver links too)."""
    today = timezone.localdate(timezone=zone(request.household))
    return [
        {
            "id": c.pk,
            "name": c.name,
            "birth_date": c.birth_date,
            "age_months": c.age_in_months(today),
        }
        for c in request.household.children.all()
    ]


@router.get(
    "/households/{household_id}/people",
    response={200: list[PersonOut], **errors(*READ)},
)
@api_access(Access.PARENTS)
def list_people(request: HttpRequest, household_id: ObjectId):
    """The members and working caregiver links; ids to name a plan's carer. Access: `parents`."""
    household = request.household
    me = request.subject.membership
    people = [
        {
            "id": m.pk,
            "kind": "member",
            "name": m.display_name,
            "role": m.role,
            "can_care": m.pk != me.pk,
        }
        for m in household.memberships.order_by("pk")
    ]
    people += [
        {"id": link.pk, "kind": "link", "name": link.name, "role": "caregiver", "can_care": True}
        for link in household.caregiver_links.usable().order_by("pk")
    ]
    return people


@router.get(
    "/households/{household_id}/care-sheets",
    response={200: list[CareSheetOut], **errors(*READ)},
)
@api_access(Access.HOUSEHOLD, caregivers=True)
def list_care_sheets(request: HttpRequest, household_id: ObjectId):
    """Each child's care sheet, the household's contacts and home, and the emergency agreement.

    Access: `household` (caregivers and caregiver links too). Read only.
    """
    sheets = Sheet.objects.filter(household=request.household).order_by("kind", "child_id", "pk")
    return [
        {
            "id": s.pk,
            "kind": s.kind,
            "child_id": s.child_id,
            "revision": s.revision,
            "updated_at": s.updated_at,
            "updated_by_name": s.updated_by_name,
            "content": clean_content(s.kind, s.content),
        }
        for s in sheets
    ]


@router.get(
    "/households/{household_id}/notifications",
    response={200: NotificationsOut, **errors(*READ)},
)
@api_access(Access.HOUSEHOLD, caregivers=True)
def get_notifications(request: HttpRequest, household_id: ObjectId):
    """Your own notification channels and quiet hours (read only; change them in the app).

    Never a channel's address or secret: only its label. Access: `household`, your own.
    """
    owner = whom(request.subject)
    channels = [
        ChannelOut(
            id=c.pk,
            kind=c.kind,
            label=c.label,
            events=[str(e) for e in c.events] if isinstance(c.events, list) else [],
            enabled=c.enabled,
            disabled_reason=c.disabled_reason,
            last_test_ok=c.last_test_ok,
            created_at=c.created_at,
        )
        for c in Channel.objects.filter(owner.q()).order_by("created_at", "pk")
    ]
    quiet = QuietHours.objects.filter(owner.q()).first()
    return {
        "channels": channels,
        "quiet_hours": QuietHoursOut(start=as_hhmm(quiet.start), end=as_hhmm(quiet.end))
        if quiet
        else None,
    }
