"""The caregiver's side of a separation, as a context function and a template include.

`care_panel_context(request)` gives what `separations/includes/care_panel.html` needs; any
view of the household that knows its subject (the care sheet, `/care/now/`) can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from backsoon.coping.urgent import latest_call
from backsoon.separations import schedule, services
from backsoon.separations.forms_care import CheckInForm
from backsoon.separations.models import AgreedCheckIn, CheckIn, Separation, SettledAfter

RECENT_UPDATES = 5


@dataclass
class Emergency:
    """What a caregiver needs beside a crying baby: the agreed "call me" list, the doctor."""

    call_now: list[str]
    doctor: str
    doctor_phone: object  # caresheets.display.Phone, or None


def emergency_info(household) -> Emergency:
    # Read from the care sheet's own data, through its cleaning functions.
    from backsoon.caresheets import display, sections
    from backsoon.caresheets.models import Sheet

    content = {
        sheet.kind: sections.clean_content(sheet.kind, sheet.content)
        for sheet in Sheet.objects.filter(
            household=household, kind__in=[Sheet.Kind.AGREEMENT, Sheet.Kind.HOUSEHOLD]
        )
    }
    doctor = content.get(Sheet.Kind.HOUSEHOLD, {}).get("doctor", {})
    return Emergency(
        call_now=content.get(Sheet.Kind.AGREEMENT, {}).get("call_now", {}).get("items", []),
        doctor=doctor.get("pediatrician_name", ""),
        doctor_phone=display.phone(doctor.get("pediatrician_phone", ""), household.country),
    )


@dataclass
class CareItem:
    separation: Separation
    form: CheckInForm | None
    can_post: bool
    next_agreed: AgreedCheckIn | None
    agreed: list[AgreedCheckIn]
    recent: list[CheckIn]
    unsettled: list = field(default_factory=list)
    needs_calm: bool = False
    leaver_phone: str = ""
    thank_you: object = None


def caring_now(subject, household, now):
    """Separations this subject cares for: live, coming up soon, or just over."""
    window = (
        Q(status=Separation.Status.AWAY)
        | Q(status=Separation.Status.PLANNED, starts_at__lte=now + schedule.COMING_UP_WINDOW)
        | Q(status=Separation.Status.BACK, back_at__gte=now - schedule.AFTER_RETURN_GRACE)
    )
    return (
        Separation.objects.filter(services.caring_for(subject), household=household)
        .filter(window)
        .annotate(**latest_call())  # the caregiver's last urgent call, in the same query
        .select_related("leaver", "thank_you")
        .prefetch_related(
            "children",
            "settlings__child",
            Prefetch("agreed", queryset=AgreedCheckIn.objects.order_by("due_at", "pk")),
            Prefetch("checkins", queryset=CheckIn.objects.order_by("-created_at", "-pk")),
        )
        .order_by("starts_at", "pk")
    )


def _item(separation, subject, now, form, form_for) -> CareItem:
    agreed = list(separation.agreed.all())
    updates = list(separation.checkins.all())
    settlings = list(separation.settlings.all())
    unsettled = [s.child for s in settlings if s.after == SettledAfter.NOT_YET]
    can_post = services.can_post(separation, now)
    if can_post and form is not None and form_for == separation.pk:
        item_form = form
    elif can_post:
        item_form = CheckInForm(
            initial={"key": services.new_key()},
            children=separation.children.all(),
            ask_settled=separation.is_away and not settlings,
            auto_id=f"care{separation.pk}_%s",
        )
    else:
        item_form = None
    latest = updates[0] if updates else None
    return CareItem(
        separation=separation,
        form=item_form,
        can_post=can_post,
        next_agreed=next((a for a in agreed if a.done_by_id is None), None),
        agreed=agreed,
        recent=updates[:RECENT_UPDATES],
        unsettled=unsettled,
        needs_calm=bool(unsettled) or bool(latest and latest.state == "crying"),
        leaver_phone=separation.leaver.phone if separation.leaver else "",
        thank_you=getattr(separation, "thank_you", None),
    )


def care_panel_context(
    request, form: CheckInForm | None = None, form_for: int | None = None
) -> dict:
    """Everything the care panel shows for `request.subject` in `request.household`."""
    now = timezone.now()
    subject = request.subject
    items = [
        _item(s, subject, now, form, form_for) for s in caring_now(subject, request.household, now)
    ]
    # The agreed "call me right away" list shows beside the urgent button whenever one is live.
    away = any(item.separation.is_away for item in items)
    return {
        "care_items": items,
        "care_emergency": emergency_info(request.household) if away else None,
        "care_next": request.get_full_path(),
        "care_subject": subject,
    }


def next_planned(household) -> tuple[Separation, list[AgreedCheckIn]] | None:
    """The next planned separation and its agreed updates, for the printed care sheet."""
    separation = (
        Separation.objects.filter(household=household, status=Separation.Status.PLANNED)
        .filter(starts_at__gte=timezone.now() - schedule.COMING_UP_WINDOW)
        .order_by("starts_at", "pk")
        .prefetch_related("agreed")
        .first()
    )
    if separation is None:
        return None
    return separation, list(separation.agreed.all())
