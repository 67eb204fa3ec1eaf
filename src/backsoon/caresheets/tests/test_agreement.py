"""The emergency agreement: written from suggestions, versioned, confirmed by caregivers."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from backsoon.caresheets.models import AgreementResponse, Sheet

from .conftest import care_url, write

CONFIRM = "I've read this and I'm comfortable with it"


def agreement_url(cast):
    return reverse("caresheets:agreement", args=[cast.household.pk])


def respond_url(cast):
    return reverse("caresheets:respond", args=[cast.household.pk])


def agreement_data(
    call_now="An accident", can_handle="Short naps", worrying="A fever", based_on="0"
):
    return {
        "based_on": based_on,
        "call_now-items": call_now,
        "can_handle-items": can_handle,
        "worrying-items": worrying,
    }


def test_the_agreement_starts_from_editable_suggestions_without_temperatures(cast):
    html = cast.client_for(cast.parent).get(agreement_url(cast)).content.decode()
    assert "started you off with some suggestions" in html
    assert "A fall or a bump, even if the baby seems fine afterwards" in html
    assert "Fussing after I&#x27;ve left" in html
    assert "°" not in html
    assert not Sheet.objects.exists()  # nothing is saved until the parent saves


def test_saving_makes_a_version_and_the_caregiver_reads_it_with_the_trust_note(cast):
    write(cast, "household", {"doctor": {"pediatrician_phone": "+442079460000"}})
    response = cast.client_for(cast.parent).post(agreement_url(cast), agreement_data())
    assert response.status_code == 302
    assert Sheet.objects.get(kind="agreement").revision == 1
    html = cast.client_for(cast.caregiver).get(care_url(cast)).content.decode()
    agreement = html[html.index('id="agreement"') :]
    assert "Within this agreement, Maya and Sam trust your judgment." in agreement
    assert "In an emergency, call 999 first, then the parents." in agreement
    assert "An accident" in agreement and "Short naps" in agreement
    worrying = agreement[agreement.index("Worrying but not urgent") :]
    assert worrying.index("A fever") < worrying.index('href="tel:+442079460000"')
    assert CONFIRM in agreement


@time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), tick=False)
def test_a_caregiver_confirms_with_a_note_and_the_parent_sees_it(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    ana = cast.client_for(cast.caregiver)
    response = ana.post(
        respond_url(cast), {"version": "1", "note": "Where is the spare key?", "action": "confirm"}
    )
    assert response["Location"] == care_url(cast) + "#agreement"
    answer = AgreementResponse.objects.get()
    assert (answer.membership, answer.link, answer.version, answer.confirmed) == (
        cast.caregiver,
        None,
        1,
        True,
    )
    assert answer.note == "Where is the spare key?" and answer.name == "Grandma Ana"
    html = ana.get(care_url(cast)).content.decode()
    assert "You confirmed this version on 1 July 2026." in html
    assert CONFIRM not in html  # nothing left to confirm; a note can still be sent
    parent_view = cast.client_for(cast.parent).get(agreement_url(cast)).content.decode()
    assert "Confirmed this version (1) on 1 Jul 2026" in parent_view
    assert "Where is the spare key?" in parent_view
    assert "about version 1, 1 Jul 2026, 10:00" in parent_view


def test_a_changed_agreement_asks_for_confirmation_again(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    ana, maya = cast.client_for(cast.caregiver), cast.client_for(cast.parent)
    ana.post(respond_url(cast), {"version": "1", "action": "confirm"})

    maya.post(
        agreement_url(cast),
        agreement_data(call_now="An accident", can_handle="", worrying="", based_on="1"),
    )
    assert Sheet.objects.get(kind="agreement").revision == 1  # unchanged: the confirmation stands
    assert "You confirmed this version" in ana.get(care_url(cast)).content.decode()

    maya.post(
        agreement_url(cast), agreement_data(call_now="An accident\nA fire alarm", based_on="1")
    )
    assert Sheet.objects.get(kind="agreement").revision == 2
    html = ana.get(care_url(cast)).content.decode()
    assert "The agreement has changed since you last confirmed it." in html
    assert CONFIRM in html
    assert "Confirmed version 1; hasn" in maya.get(agreement_url(cast)).content.decode()

    ana.post(respond_url(cast), {"version": "2", "action": "confirm"})
    assert "Confirmed this version (2)" in maya.get(agreement_url(cast)).content.decode()


def test_confirming_a_version_that_was_replaced_meanwhile_does_not_count(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    write(cast, "agreement", {"call_now": {"items": ["An accident", "A fire alarm"]}})
    ana = cast.client_for(cast.caregiver)
    response = ana.post(
        respond_url(cast), {"version": "1", "action": "confirm", "note": "Got it"}, follow=True
    )
    assert "updated while you were reading it" in response.content.decode()
    answer = AgreementResponse.objects.get()
    assert (answer.confirmed, answer.version, answer.note) == (False, 1, "Got it")


def test_a_caregiver_link_reads_and_confirms(cast, link_client):
    link, client = link_client
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    assert CONFIRM in client.get(care_url(cast)).content.decode()
    response = client.post(respond_url(cast), {"version": "1", "action": "confirm"})
    assert response.status_code == 302
    answer = AgreementResponse.objects.get()
    assert (answer.link, answer.membership, answer.name, answer.confirmed) == (
        link,
        None,
        "Grandma Ana",
        True,
    )
    parent_view = cast.client_for(cast.parent).get(agreement_url(cast)).content.decode()
    assert 'Grandma Ana <span class="meta">(caregiver link)</span>' in parent_view
    assert "Confirmed this version (1)" in parent_view


def test_a_question_without_confirming(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    ana = cast.client_for(cast.caregiver)
    empty = ana.post(respond_url(cast), {"version": "1", "action": "note", "note": "  "})
    assert empty.status_code == 200
    assert "Write your question or note first." in empty.content.decode()
    ana.post(
        respond_url(cast), {"version": "1", "action": "note", "note": "Can I take her to the park?"}
    )
    answer = AgreementResponse.objects.get()
    assert not answer.confirmed and answer.note == "Can I take her to the park?"
    assert (
        "Hasn't confirmed yet"
        in cast.client_for(cast.parent).get(agreement_url(cast)).content.decode()
    )


def test_bad_responses_are_answered_calmly(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    ana = cast.client_for(cast.caregiver)
    too_long = ana.post(respond_url(cast), {"version": "1", "action": "confirm", "note": "x" * 501})
    assert too_long.status_code == 200
    assert "at most 500 characters" in too_long.content.decode()
    assert "x" * 501 in too_long.content.decode()
    for version in ("", "zero", "-3"):
        assert (
            ana.post(respond_url(cast), {"version": version, "action": "confirm"}).status_code
            == 200
        )
    assert ana.post(respond_url(cast), {"version": "99", "action": "confirm"}).status_code == 302
    assert not AgreementResponse.objects.exists()


def test_nothing_to_confirm_before_the_agreement_is_written(cast):
    response = cast.client_for(cast.caregiver).post(
        respond_url(cast), {"version": "1", "action": "confirm"}
    )
    assert response.status_code == 302
    assert not AgreementResponse.objects.exists()


def test_parents_write_the_agreement_rather_than_confirm_it(cast):
    write(cast, "agreement", {"call_now": {"items": ["An accident"]}})
    assert (
        cast.client_for(cast.partner).post(respond_url(cast), {"version": "1"}).status_code == 404
    )
    assert CONFIRM not in cast.client_for(cast.partner).get(care_url(cast)).content.decode()
    assert (
        cast.client_for(cast.outsider).post(respond_url(cast), {"version": "1"}).status_code == 404
    )
    assert not AgreementResponse.objects.exists()


def test_bad_agreement_input_keeps_what_was_typed(cast):
    response = cast.client_for(cast.parent).post(
        agreement_url(cast), agreement_data(call_now="An accident\n" + "w" * 250)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 2 is a bit long" in html and "An accident" in html
    assert not Sheet.objects.exists()
