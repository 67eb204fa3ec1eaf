"""Test helpers for the API: tokens for the cast, and clients that send them."""

from __future__ import annotations

from django.test import Client

from backsoon.api import tokens
from backsoon.households.models import CaregiverLink

API = "/api/v1"


def token_for(membership=None, *, link: CaregiverLink | None = None, write: bool = True) -> str:
    owner = membership or link
    creator = membership if membership is not None else None
    _token, raw = tokens.create_token(
        name="test",
        can_write=write,
        created_by=creator,
        membership=membership,
        link=link,
    )
    assert owner is not None
    return raw


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def api_client(membership=None, *, link=None, write: bool = True) -> Client:
    return bearer(token_for(membership, link=link, write=write))


def url_values(cast) -> dict:
    """For the URL test: one of Maya's tokens."""
    token, _raw = tokens.create_token(
        name="Home Assistant", can_write=False, created_by=cast.parent, membership=cast.parent
    )
    return {"token_id": token.pk}


def full_household(cast) -> dict:
    """Everything a household can hold, and some inner data that must never travel with it."""
    from datetime import timedelta

    from django.utils import timezone

    from backsoon.caresheets import services as caresheets
    from backsoon.households.access import Subject
    from backsoon.separations import services as separations
    from backsoon.separations.models import (
        GoodbyeRitual,
        ParentMessage,
        Separation,
        ThankYou,
    )
    from backsoon.separations.schedule import AgreedSpec
    from backsoon.separations.tests.factories import (
        FEAR_MARKER,
        REASON_MARKER,
        make_checkin,
        make_separation,
    )
    from backsoon.wellbeing.scoring import Check
    from backsoon.wellbeing.tests.factories import GAD7_HIGH, take

    link, link_token = CaregiverLink.create(
        household=cast.household,
        name="Grandma Ana's sister",
        phone="+447700900123",
        created_by=cast.parent,
    )
    sheet = caresheets.sheet_for(cast.household, "child", cast.child)
    caresheets.save(sheet, {"feeding": {"times": ["about 11:00 — 150 ml"]}}, cast.parent)
    caresheets.save(sheet, {"feeding": {"times": ["about 11:30 — 160 ml"]}}, cast.partner)
    home = caresheets.sheet_for(cast.household, "household")
    caresheets.save(
        home,
        {
            "contacts": {
                "people": [{"name": "Dr Ade", "relation": "GP", "phone": "+44 20 7946 0000"}]
            }
        },
        cast.parent,
    )
    agreement = caresheets.sheet_for(cast.household, "agreement")
    caresheets.save(agreement, {"call_now": {"items": ["a fever"]}}, cast.parent)
    caresheets.respond(
        Subject(household=cast.household, link=link), agreement, confirmed=True, note="Got it"
    )
    GoodbyeRitual.objects.create(child=cast.child, text="A hug, a kiss, see you soon.")
    start = timezone.now() - timedelta(days=2)
    back = make_separation(
        cast,
        status=Separation.Status.BACK,
        starts_at=start,
        minutes=60,
        agreed=[AgreedSpec("photo", "nap", offset_minutes=20)],
        private={"fear": FEAR_MARKER, "early_reason": REASON_MARKER, "worry_before": 7},
    )
    back.plan_note = '=HYPERLINK("http://example.org")'
    back.save(update_fields=["plan_note"])
    photo = make_checkin(
        back, photo=True, state="sleeping", created_at=start + timedelta(minutes=21)
    )
    back.agreed.update(done_by=photo)
    make_checkin(
        back,
        message="Settled fast",
        settled=[{"child": cast.child.pk, "name": "Bea", "after": "under_5"}],
        created_at=start + timedelta(minutes=5),
    )
    from backsoon.separations.models import Settling

    Settling.objects.create(separation=back, child=cast.child, after="under_5")
    ThankYou.objects.create(
        separation=back, text="You found the bouncing she likes", author_name="Maya"
    )
    ParentMessage.objects.create(separation=back, owner=cast.parent, sent_at=start)
    by_link = make_separation(
        cast,
        leaver=cast.partner,
        link=link,
        status=Separation.Status.BACK,
        starts_at=start + timedelta(days=1),
    )
    make_checkin(
        by_link, link=link, photo=True, all_good=True, created_at=start + timedelta(days=1)
    )
    planned = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=timezone.now() + timedelta(days=1)
    )
    separations.cancel(planned, by=cast.partner)
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    extra = _newer_parts(cast, link, back, by_link)
    return {"link": link, "link_token": link_token, "back": back, "photo": photo, **extra}


def _newer_parts(cast, link, back, by_link) -> dict:
    """The ladders, the worker's due times, an urgent call; and more inner data: an urge, a
    rating of how it felt, the weekly note, a grounding kit, a calendar feed's secret."""
    from datetime import timedelta

    from backsoon.coping.tests.factories import make_kit, make_urge
    from backsoon.coping.urgent import call_parent, pressed_by_mistake
    from backsoon.households.access import Subject
    from backsoon.households.services import zone
    from backsoon.practice import ladder as ladders
    from backsoon.practice import weekly
    from backsoon.separations.feeds import new_feed
    from backsoon.separations.models import AgreedCheckIn, Separation, SeparationPrivate
    from backsoon.separations.schedule import AgreedSpec, due_at

    mine = list(ladders.ensure_ladder(cast.parent).steps.all())
    sams = ladders.ensure_ladder(cast.partner)
    sams_step = ladders.add_step(sams, name="Round the block", minutes=20, kind="away", idea="🚶")
    Separation.objects.filter(pk=back.pk).update(practice_step=mine[4])
    spec = AgreedSpec("all_good", "after the walk", offset_minutes=10)
    start = by_link.left_at
    late = AgreedCheckIn.objects.create(
        separation=by_link,
        kind=spec.kind,
        label=spec.label,
        offset_minutes=spec.offset_minutes,
        due_at=due_at(start, spec, zone(cast.household)),
        not_before=start + timedelta(minutes=11),  # the caregiver's quiet hours held it back
        reminded_at=start + timedelta(minutes=11),
        nudged_at=start + timedelta(minutes=21),
    )
    Separation.objects.filter(pk=by_link.pk).update(
        practice_step=sams_step, ended_by_itself=True, late_agreed=late
    )
    subject = Subject(household=cast.household, link=link)
    call = call_parent(by_link, subject, "urgent-1", start + timedelta(minutes=15))
    pressed_by_mistake(call, start + timedelta(minutes=16))
    call_parent(by_link, subject, "urgent-2", start + timedelta(minutes=25))
    SeparationPrivate.objects.filter(separation=back).update(feel="manageable")
    urge = make_urge(back, strength_before=8, strength_after=3, outcome="passed")
    weekly.turn(cast.parent, True)
    make_kit(cast.parent)
    _feed, feed_token = new_feed(cast.parent)
    return {"urge": urge, "feed_token": feed_token, "call": call, "late": late}
