"""The caregiver's page: "All good" in one tap, a photo, settling, and never a duplicate."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from backsoon.households.access import Subject
from backsoon.households.models import CaregiverLink
from backsoon.separations.caregiver import care_panel_context, next_planned
from backsoon.separations.models import CheckIn, Separation, Settling, ThankYou
from backsoon.separations.schedule import AgreedSpec
from backsoon.separations.templatetags.separations import child_names
from backsoon.separations.tests.factories import image_bytes, make_checkin, make_separation
from backsoon.separations.tests.queries import queries_for

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def care_now(cast):
    return reverse("separations:care_now", args=[cast.household.pk])


def post_url(cast, separation):
    return reverse("separations:care_post", args=[cast.household.pk, separation.pk])


def fresh_key(html: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def link_client(cast, name="Grandma Ana"):
    link, token = CaregiverLink.create(household=cast.household, name=name, created_by=cast.parent)
    client = Client()
    client.post(reverse("households:link_open", args=[token]))
    return link, client


def test_the_page_shows_who_is_away_when_they_are_back_and_the_next_update(cast):
    separation = make_separation(
        cast,
        starts_at=NOW - timedelta(minutes=10),
        minutes=60,
        agreed=[
            AgreedSpec("all_good", offset_minutes=5),
            AgreedSpec("photo", "at nap time", offset_minutes=40),
        ],
    )
    make_checkin(separation, all_good=True)
    separation.agreed.filter(offset_minutes=5).update(done_by=separation.checkins.get())
    cast.parent.phone = "+447700900123"
    cast.parent.save()
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    assert "Maya is away" in html  # then a sentence, in London time:
    assert "You're looking after Bea. Maya is back around 13:50." in html
    assert "Next agreed update: a photo, around 13:30" in html and "at nap time" in html
    assert 'href="tel:+447700900123"' in html and 'href="sms:+447700900123"' in html
    assert "All good" in html and 'enctype="multipart/form-data"' in html
    assert "messages_aim" not in html and "aimed for" not in html


def test_all_good_in_one_tap_then_back_to_the_page(cast):
    separation = make_separation(cast, agreed=[AgreedSpec("all_good", offset_minutes=15)])
    client = cast.client_for(cast.caregiver)
    key = fresh_key(client.get(care_now(cast)).content.decode())
    response = client.post(
        post_url(cast, separation), {"key": key, "action": "all_good", "next": care_now(cast)}
    )
    assert response.status_code == 302 and response["Location"] == care_now(cast)
    checkin = CheckIn.objects.get()
    assert (
        checkin.all_good
        and checkin.author_name == "Grandma Ana"
        and checkin.posted_by_membership == cast.caregiver
    )
    assert separation.agreed.get().done_by == checkin  # the agreed update is fulfilled
    page = client.get(care_now(cast)).content.decode()
    assert "Sent. Maya will see it." in page and "Sent so far" in page


def test_a_retried_post_never_duplicates(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.caregiver)
    data = {"key": "same-key-from-one-form", "action": "all_good"}
    client.post(post_url(cast, separation), data)
    client.post(post_url(cast, separation), data)
    assert CheckIn.objects.count() == 1
    client.post(post_url(cast, separation), data | {"key": "a-new-form"})
    assert CheckIn.objects.count() == 2


def test_each_render_has_a_fresh_key(cast):
    make_separation(cast)
    client = cast.client_for(cast.caregiver)
    assert fresh_key(client.get(care_now(cast)).content.decode()) != fresh_key(
        client.get(care_now(cast)).content.decode()
    )


def test_a_caregiver_on_a_link_posts_through_the_same_form(cast):
    link, client = link_client(cast)
    separation = make_separation(cast, link=link)
    html = client.get(care_now(cast)).content.decode()
    assert "Maya is away" in html
    client.post(post_url(cast, separation), {"key": fresh_key(html), "action": "all_good"})
    checkin = CheckIn.objects.get()
    assert checkin.posted_by_link == link and checkin.posted_by_membership is None


def test_someone_not_caring_reaches_nothing(cast):
    separation = make_separation(cast, carer=cast.partner)
    _, other_link = link_client(cast, name="Sitter Lou")
    for client in (cast.client_for(cast.caregiver), other_link):
        assert "Maya is away" not in client.get(care_now(cast)).content.decode()
        assert (
            client.post(post_url(cast, separation), {"key": "k", "action": "all_good"}).status_code
            == 404
        )
    assert (
        cast.client_for(cast.outsider).post(post_url(cast, separation), {"key": "k"}).status_code
        == 404
    )
    assert not CheckIn.objects.exists()


def test_a_photo_a_few_words_and_how_they_are(cast):
    separation = make_separation(
        cast,
        agreed=[AgreedSpec("all_good", offset_minutes=5), AgreedSpec("photo", offset_minutes=20)],
    )
    photo = SimpleUploadedFile(
        "IMG_2041.png", image_bytes((2400, 1200), "PNG"), content_type="image/png"
    )
    response = cast.client_for(cast.caregiver).post(
        post_url(cast, separation),
        {
            "key": "k1",
            "action": "send",
            "photo": photo,
            "state": "playing",
            "message": "Stacking cups!",
            "looked_around": "on",
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (
        checkin.state == "playing" and checkin.message == "Stacking cups!" and checkin.looked_around
    )
    assert not checkin.all_good
    assert (checkin.photo_width, checkin.photo_height) == (1600, 800)
    assert checkin.photo.name.startswith("photos/") and "IMG_2041" not in checkin.photo.name
    with default_storage.open(checkin.photo.name) as stored:
        assert stored.read(3) == b"\xff\xd8\xff"  # re-encoded as JPEG
    # A photo fills the photo slot, not the earlier "all good".
    assert separation.agreed.get(kind="photo").done_by == checkin


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_field(cast):
    separation = make_separation(cast)
    upload = SimpleUploadedFile("notes.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = cast.client_for(cast.caregiver).post(
        post_url(cast, separation),
        {"key": "k1", "action": "send", "photo": upload, "message": "Kept text"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "isn&#x27;t a photo we can read" in html and "Kept text" in html
    assert 'name="key" value="k1"' in html  # the same key, so a second try can't duplicate
    assert not CheckIn.objects.exists()


def test_a_photo_over_20_mb_is_refused_with_a_clear_message(cast):
    separation = make_separation(cast)
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024 + 10), content_type="image/jpeg"
    )
    response = cast.client_for(cast.caregiver).post(
        post_url(cast, separation), {"key": "k1", "action": "send", "photo": big}
    )
    html = response.content.decode()
    assert "20.0" in html or "20 MB" in html
    assert "field__error" in html and not CheckIn.objects.exists()


def test_the_first_update_asks_how_long_each_child_took_to_settle(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.caregiver)
    html = client.get(care_now(cast)).content.decode()
    assert "Bea settled after…" in html and "not settled yet" in html
    client.post(
        post_url(cast, separation),
        {"key": "k1", "action": "all_good", f"settled_{cast.child.pk}": "5_15"},
    )
    assert Settling.objects.get().after == "5_15"
    assert CheckIn.objects.get().settled == [
        {"child": cast.child.pk, "name": "Bea", "after": "5_15"}
    ]
    assert "Bea settled after…" not in client.get(care_now(cast)).content.decode()


def test_crying_or_not_settled_shows_the_agreement_and_a_settled_now_button(cast):
    separation = make_separation(cast, starts_at=NOW - timedelta(minutes=10))
    client = cast.client_for(cast.caregiver)
    client.post(
        post_url(cast, separation),
        {"key": "k1", "action": "send", "state": "crying", f"settled_{cast.child.pk}": "not_yet"},
    )
    html = client.get(care_now(cast)).content.decode()
    assert (
        "emergency agreement" in html
        and reverse("caresheets:care", args=[cast.household.pk]) in html
    )
    assert "Settled now" in html
    settled_key = re.search(r'name="key" value="([^"]+-s)"', html).group(1)
    with time_machine.travel(NOW + timedelta(minutes=12), tick=False):
        url = reverse("separations:care_settled", args=[cast.household.pk, separation.pk])
        client.post(url, {"key": settled_key})
        client.post(url, {"key": settled_key})  # a double tap
    assert Settling.objects.get().after == "15_30"  # 22 minutes after the goodbye
    assert CheckIn.objects.filter(settled_now=True).count() == 1
    assert "Settled now" not in client.get(care_now(cast)).content.decode().split("Sent so far")[0]


def test_an_update_after_the_parent_is_back_is_welcome_and_marked(cast):
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=NOW - timedelta(minutes=45), minutes=30
    )
    client = cast.client_for(cast.caregiver)
    html = client.get(care_now(cast)).content.decode()
    assert "Maya is back" in html and "still welcome" in html
    client.post(
        post_url(cast, separation),
        {"key": "k1", "action": "send", "message": "She ate it all after you left"},
    )
    assert CheckIn.objects.count() == 1
    away = cast.client_for(cast.parent).get(
        reverse("separations:detail", args=[cast.household.pk, separation.pk])
    )
    assert "sent after you were back" in away.content.decode()


def test_long_after_the_return_a_post_is_thanked_not_stored(cast):
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=NOW - timedelta(hours=6), minutes=30
    )
    client = cast.client_for(cast.caregiver)
    response = client.post(
        post_url(cast, separation), {"key": "k1", "action": "all_good"}, follow=True
    )
    assert response.status_code == 200 and "Thank you all the same" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_before_the_parent_leaves_nothing_is_posted_but_the_plan_shows(cast):
    separation = make_separation(
        cast, status=Separation.Status.PLANNED, starts_at=NOW + timedelta(hours=1)
    )
    client = cast.client_for(cast.caregiver)
    html = client.get(care_now(cast)).content.decode()
    assert "Maya leaves at 14:00" in html and 'name="action"' not in html
    response = client.post(
        post_url(cast, separation), {"key": "k1", "action": "all_good"}, follow=True
    )
    assert "Not started yet" in response.content.decode() and not CheckIn.objects.exists()


def test_the_thank_you_shows_on_the_caregivers_page(cast):
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=NOW - timedelta(minutes=40)
    )
    ThankYou.objects.create(
        separation=separation, text="You found the bouncing she likes.", author_name="Maya"
    )
    assert (
        "You found the bouncing she likes."
        in cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    )


def test_the_panel_context_works_for_any_household_view(cast):
    make_separation(cast)
    request = RequestFactory().get("/h/1/care/")
    request.subject = Subject(household=cast.household, membership=cast.caregiver)
    request.household = cast.household
    context = care_panel_context(request)
    assert [item.separation.leaver_name for item in context["care_items"]] == ["Maya"]
    assert context["care_next"] == "/h/1/care/"


def test_bad_input_to_the_post_never_fails_loudly(cast):
    separation = make_separation(cast)
    client = cast.client_for(cast.caregiver)
    for data in (
        {},
        {"key": ""},
        {"key": "x" * 200},
        {"key": "k", "state": "screaming"},
        {"key": "k", "message": "x" * 900},
    ):
        assert client.post(post_url(cast, separation), data).status_code in (200, 302)
    assert client.post(post_url(cast, separation), {"key": "k", "next": "https://evil.example/"})[
        "Location"
    ] == care_now(cast)
    assert (
        client.post(
            reverse("separations:care_settled", args=[cast.household.pk, separation.pk]), {}
        ).status_code
        == 400
    )


def test_the_caregiver_page_costs_the_same_for_1_or_10_separations(cast):
    client = cast.client_for(cast.caregiver)
    first = make_separation(cast, agreed=[AgreedSpec("all_good", offset_minutes=20)])
    make_checkin(
        first, photo=True, settled=[{"child": cast.child.pk, "name": "Bea", "after": "not_yet"}]
    )
    Settling.objects.create(separation=first, child=cast.child, after="not_yet")
    client.get(care_now(cast))
    one = queries_for(lambda: client.get(care_now(cast)))
    make_separation(cast, leaver=cast.partner, agreed=[AgreedSpec("photo", offset_minutes=20)])
    for hours in range(1, 9):
        planned = make_separation(
            cast,
            status=Separation.Status.PLANNED,
            starts_at=NOW + timedelta(hours=hours),
            agreed=[AgreedSpec("all_good", offset_minutes=10)],
        )
        make_checkin(planned, state="crying")
    for _ in range(9):
        make_checkin(first, message="more", state="playing")
    # 8: the membership with its account, 6 for the panel, 1 for the emergency details.
    assert len(queries_for(lambda: client.get(care_now(cast)))) == len(one) == 8


def test_the_next_plans_agreed_times_for_the_printed_sheet(cast):
    assert next_planned(cast.household) is None
    make_separation(
        cast,
        status=Separation.Status.PLANNED,
        starts_at=NOW + timedelta(hours=5),
        agreed=[AgreedSpec("photo", "nap", offset_minutes=30)],
    )
    separation, agreed = next_planned(cast.household)
    assert separation.leaver_name == "Maya" and [a.due_at for a in agreed] == [
        NOW + timedelta(hours=5, minutes=30)
    ]


def test_the_calm_box_shows_the_agreed_call_me_list_and_the_doctor(cast):
    from backsoon.caresheets.models import Sheet

    Sheet.objects.create(
        household=cast.household,
        kind="agreement",
        content={"call_now": {"items": ["Trouble breathing", "A fever over 38°C"]}},
    )
    Sheet.objects.create(
        household=cast.household,
        kind="household",
        content={
            "doctor": {"pediatrician_name": "Dr Adeyemi", "pediatrician_phone": "020 7946 0123"}
        },
    )
    separation = make_separation(cast)
    make_checkin(separation, state="crying")
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    assert "Trouble breathing" in html and "A fever over 38°C" in html
    assert 'href="tel:+442079460123"' in html and "Call Dr Adeyemi" in html
    assert reverse("caresheets:care", args=[cast.household.pk]) + "#agreement" in html


def test_the_calm_box_without_a_care_sheet_still_points_to_it(cast):
    separation = make_separation(cast)
    make_checkin(separation, state="crying")
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    assert "Crying is hard to hear" in html and "call right away if" not in html


def test_an_agreed_photo_is_met_by_a_photo_and_all_good_by_any_update(cast):
    separation = make_separation(
        cast,
        starts_at=NOW - timedelta(minutes=30),
        minutes=90,
        agreed=[AgreedSpec("photo", "at nap time", offset_minutes=25)],
    )
    photo_due = separation.agreed.get()
    carer = cast.client_for(cast.caregiver)
    carer.post(post_url(cast, separation), {"key": "k1", "action": "all_good"})
    photo_due.refresh_from_db()
    # "All good" is welcome, but it isn't the photo: still open, so still reminded and shown.
    assert photo_due.done_by is None and photo_due.remind_at is not None
    assert "Next agreed update: a photo" in carer.get(care_now(cast)).content.decode()
    away = reverse("separations:away", args=[cast.household.pk, separation.pk])
    html = cast.client_for(cast.parent).get(away).content.decode()
    assert "came in" not in html
    # A photo meets it, and the parent's open page marks it from the next poll.
    last = CheckIn.objects.get().pk
    carer.post(
        post_url(cast, separation),
        {
            "key": "k2",
            "action": "send",
            "photo": SimpleUploadedFile("nap.png", image_bytes(fmt="PNG"), "image/png"),
        },
    )
    photo_due.refresh_from_db()
    assert photo_due.done_by is not None and photo_due.remind_at is None
    poll = reverse("separations:poll", args=[cast.household.pk, separation.pk])
    html = cast.client_for(cast.parent).get(f"{poll}?after={last}").content.decode()
    assert f'id="agreed-{photo_due.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "came in" in html
    assert "came in" in cast.client_for(cast.parent).get(away).content.decode()
    # A plain agreed update is met by any update, a photo too.
    plain = make_separation(
        cast, leaver=cast.partner, agreed=[AgreedSpec("all_good", offset_minutes=5)]
    )
    carer.post(post_url(cast, plain), {"key": "k3", "action": "all_good"})
    assert plain.agreed.get().done_by is not None


def test_the_children_are_named_as_a_sentence_would(cast):
    two = [SimpleNamespace(name="Bea"), SimpleNamespace(name="Theo")]
    assert child_names(two) == "Bea and Theo"
    assert child_names([SimpleNamespace(name="Ada"), *two]) == "Ada, Bea and Theo"
    make_separation(cast, status=Separation.Status.PLANNED, starts_at=NOW + timedelta(hours=1))
    html = cast.client_for(cast.caregiver).get(care_now(cast)).content.decode()
    assert "You'll be looking after Bea. Maya is back around 14:30." in html
