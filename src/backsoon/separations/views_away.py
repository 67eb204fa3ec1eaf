"""While the parent is away: the calm away page, its poll, "I'm back", and photos."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import FilteredRelation, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from backsoon.households.access import Access, access
from backsoon.prepared import Prepared
from backsoon.separations import away_notes, services
from backsoon.separations.models import AgreedCheckIn, CheckIn, Separation
from backsoon.separations.views_common import (
    household_time,
    own_separation,
    present,
    separation_for,
)

POLL_SECONDS = 20  # between 15 and 30 s: fresh enough, and no invitation to stare


def poll_seconds() -> int:
    """Tests may poll faster (SEPARATIONS_POLL_SECONDS); nothing else should."""
    return getattr(settings, "SEPARATIONS_POLL_SECONDS", POLL_SECONDS)


MAX_ID = 2**62  # a bigger number is beyond any row, and beyond what the database compares
PHOTO_MAX_AGE = 7 * 24 * 3600  # a stored photo never changes


def carer_phone(separation: Separation) -> str:
    if separation.carer_membership is not None:
        return separation.carer_membership.phone
    if separation.carer_link is not None:
        return separation.carer_link.phone
    return ""


@access(Access.PARENTS)
@household_time
def away(request, household_id, separation_id):
    queryset = (
        Separation.objects.select_related("carer_membership", "carer_link")
        .prefetch_related("children", "agreed")
        .annotate(**away_notes.poll_annotations(request.subject.membership))
    )
    separation = separation_for(request, separation_id, queryset)
    is_leaver = separation.leaver_id == request.subject.membership.pk
    if separation.is_planned:
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    if not separation.is_away:
        if is_leaver and separation.is_back:
            return redirect(
                "separations:reunion", household_id=household_id, separation_id=separation.pk
            )
        return redirect(
            "separations:detail", household_id=household_id, separation_id=separation.pk
        )
    updates = present(list(separation.checkins.select_related("agreed")), separation)
    agreed = list(separation.agreed.all())
    return render(
        request,
        "separations/away.html",
        {
            "household": request.household,
            "separation": separation,
            "is_leaver": is_leaver,
            "children": list(separation.children.all()),
            "agreed": agreed,
            "updates": updates,
            "last_id": max((u.pk for u in updates), default=0),
            "poll_seconds": poll_seconds(),
            "has_phone": bool(carer_phone(separation)),
            "notes": away_notes.for_page(separation, agreed, carer_phone(separation)),
        },
    )


POLL_FIELDS = [
    "pk",
    "author_name",
    "all_good",
    "settled_now",
    "state",
    "message",
    "ate_less",
    "looked_around",
    "settled",
    "photo",
    "photo_width",
    "photo_height",
    "created_at",
]


def _poll_query(separation_id, household_id, after, membership_id):
    return (
        Separation.objects.filter(pk=separation_id, household_id=household_id)
        .annotate(new=FilteredRelation("checkins", condition=Q(checkins__pk__gt=after)))
        .annotate(**away_notes.poll_annotations(membership_id))
        .values(
            "status",
            "back_at",
            *away_notes.POLL_VALUES,
            "new__agreed__pk",
            "new__agreed__kind",
            "new__agreed__label",
            "new__agreed__due_at",
            *(f"new__{name}" for name in POLL_FIELDS),
        )
        .order_by("-new__pk")
    )


# Built and compiled once per connection: compiling cost four times what running it does.
POLL_QUERY = Prepared(_poll_query, "separation_id", "household_id", "after", "membership_id")


@access(Access.PARENTS)
@household_time
def poll(request, household_id, separation_id):
    """What is new since `after`: 204 when nothing is, in one query beyond the session's.

    The separation and its new updates come from one LEFT JOIN, so an id from another
    household is still a 404, and "nothing new" costs no second query. The same query
    brings the calm lines at the top (away_notes.py); `note` and `call` say what the page
    shows of them now.
    """
    after, note_seen, call_seen = (_id_param(request, name) for name in ("after", "note", "call"))
    rows = POLL_QUERY.rows(
        separation_id=min(separation_id, MAX_ID),
        household_id=request.household.pk,
        after=after,
        membership_id=request.subject.membership.pk,
    )
    if not rows:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    notes = away_notes.for_poll(rows[0])
    notes_changed = notes.differ_from(note_seen, call_seen)
    if rows[0]["new__pk"] is None and not notes_changed:
        return HttpResponse(status=204)
    separation = Separation(pk=separation_id, status=rows[0]["status"], back_at=rows[0]["back_at"])
    updates = []
    for row in rows:
        if row["new__pk"] is None:
            break  # no new updates: only the notes changed
        update = CheckIn(
            separation_id=separation_id, **{name: row[f"new__{name}"] for name in POLL_FIELDS}
        )
        update.agreed_label = row["new__agreed__label"] or ""
        update.agreed_due = row["new__agreed__due_at"]
        update.met = None
        if row["new__agreed__pk"] is not None:
            # "What you agreed" marks it as come in, from the same row: no second query.
            update.met = AgreedCheckIn(
                pk=row["new__agreed__pk"],
                kind=row["new__agreed__kind"],
                label=update.agreed_label,
                due_at=update.agreed_due,
                done_by_id=update.pk,
            )
        update.after_return = bool(separation.back_at and update.created_at > separation.back_at)
        updates.append(update)
    return render(
        request,
        "separations/includes/poll.html",
        {
            "household": request.household,
            "separation": separation,
            "updates": updates,
            "last_id": updates[0].pk if updates else after,
            "poll_seconds": poll_seconds(),
            "notes": notes,
            "notes_changed": notes_changed,
        },
    )


def _id_param(request, name: str) -> int:
    try:
        return min(max(0, int(request.GET.get(name, "0"))), MAX_ID)
    except ValueError:
        return 0


@access(Access.PARENTS)
@require_POST
def back(request, household_id, separation_id):
    """ "I'm back": only the parent who left, and the reunion screen follows."""
    separation = own_separation(request, separation_id)
    services.come_back(separation, timezone.now())
    return redirect("separations:reunion", household_id=household_id, separation_id=separation.pk)


@access(Access.HOUSEHOLD, caregivers=True)
def photo(request, household_id, checkin_id):
    """A photo, only for this household's parents and the caregiver of that separation."""
    checkin = get_object_or_404(
        CheckIn.objects.select_related("separation").exclude(photo=""),
        pk=checkin_id,
        separation__household=request.household,
    )
    if not request.subject.is_parent and not checkin.separation.is_carer(request.subject):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    try:
        handle = default_storage.open(checkin.photo.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = f"private, max-age={PHOTO_MAX_AGE}, immutable"
    response["Content-Disposition"] = "inline"
    return response
