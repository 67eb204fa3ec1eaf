"""Parents write the sheet: one page per section, suggestions, and calm answers to bad input."""

import pytest
from django.urls import reverse

from backsoon.caresheets.models import Revision, Sheet
from backsoon.households.models import Child

from .conftest import write


def section_url(cast, section="feeding", child=None):
    return reverse(
        "caresheets:child_section", args=[cast.household.pk, (child or cast.child).pk, section]
    )


def contacts_url(cast):
    return reverse("caresheets:household_contacts", args=[cast.household.pk])


def rows(prefix, *entries, total=None, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(total if total is not None else max(len(entries), 1)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }
    for index, entry in enumerate(entries):
        data.update({f"{prefix}-{index}-{key}": value for key, value in entry.items()})
    return data


def test_a_parent_fills_in_feeding_with_a_tap_on_suggestions(cast):
    client = cast.client_for(cast.parent)
    page = client.get(section_url(cast)).content.decode()
    assert 'value="Burp after feeds"' in page
    assert 'maxlength="' in page
    response = client.post(
        section_url(cast),
        {
            "based_on": "0",
            "feeding-times": "7:00 — 150 ml bottle\r\n\r\n- 11:00 — 150 ml\r\n",
            "feeding-burping-add": ["Burp after feeds"],
            "feeding-how-add": ["Held fairly upright", "not one of ours"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("caresheets:edit", args=[cast.household.pk])
    sheet = Sheet.objects.get(child=cast.child)
    assert sheet.content == {
        "feeding": {
            "times": ["7:00 — 150 ml bottle", "11:00 — 150 ml"],
            "how": ["Held fairly upright"],
            "burping": ["Burp after feeds"],
        }
    }
    again = client.get(section_url(cast)).content.decode()
    assert 'value="Burp after feeds"' not in again  # already on the list, so no longer offered
    assert "Burp after feeds</textarea>" in again


def test_save_and_continue_walks_to_the_next_part(cast):
    client = cast.client_for(cast.parent)
    response = client.post(section_url(cast, "health"), {"health-notes": "Teething", "next": "1"})
    assert response["Location"] == contacts_url(cast)
    response = client.post(
        reverse("caresheets:household_home", args=[cast.household.pk]),
        {"home-address": "1 Elm Row", "next": "1"},
    )
    assert response["Location"] == reverse("caresheets:agreement", args=[cast.household.pk])


def test_the_partner_is_a_parent_too_and_can_edit(cast):
    response = cast.client_for(cast.partner).post(
        section_url(cast, "soothing"), {"soothing-steps": "Rocking"}
    )
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert revision.author == cast.partner and revision.author_name == "Sam"


@pytest.mark.parametrize("who", ["caregiver", "outsider"])
def test_caregivers_and_outsiders_cannot_edit(cast, who):
    client = cast.client_for(getattr(cast, who))
    urls = [
        reverse("caresheets:edit", args=[cast.household.pk]),
        section_url(cast, "soothing"),
        contacts_url(cast),
        reverse("caresheets:agreement", args=[cast.household.pk]),
        reverse("caresheets:history", args=[cast.household.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"soothing-steps": "Shouting"}).status_code == 404
    assert not Sheet.objects.exists()


def test_a_caregiver_link_cannot_edit(cast, link_client):
    _link, client = link_client
    assert client.get(section_url(cast, "soothing")).status_code == 404
    assert client.post(section_url(cast, "soothing"), {"soothing-steps": "x"}).status_code == 404
    assert client.get(reverse("caresheets:edit", args=[cast.household.pk])).status_code == 404


def test_unknown_sections_and_other_households_children_are_404(cast):
    client = cast.client_for(cast.parent)
    assert client.get(section_url(cast, "juggling")).status_code == 404
    assert client.get(section_url(cast, "contacts")).status_code == 404
    other = reverse(
        "caresheets:child_section", args=[cast.household.pk, cast.other_child.pk, "feeding"]
    )
    assert client.get(other).status_code == 404
    assert client.post(other, {"feeding-times": "x"}).status_code == 404
    missing = reverse("caresheets:child_section", args=[cast.household.pk, 999999, "feeding"])
    assert client.get(missing).status_code == 404


def test_too_long_text_is_answered_next_to_the_field_and_kept(cast):
    client = cast.client_for(cast.parent)
    notes = "Teething. " * 120
    response = client.post(section_url(cast, "health"), {"health-notes": notes})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field__error"' in html and "at most 1000 characters" in html
    assert "Teething. Teething." in html
    assert not Sheet.objects.exists()


def test_line_breaks_count_once_towards_the_limit(cast):
    client = cast.client_for(cast.parent)
    notes = ("x" * 9 + "\r\n") * 100  # 1000 characters as the browser counts them
    assert client.post(section_url(cast, "health"), {"health-notes": notes}).status_code == 302


def test_a_too_long_line_and_too_many_lines_say_so(cast):
    client = cast.client_for(cast.parent)
    response = client.post(
        section_url(cast, "soothing"),
        {"soothing-steps": "Rocking\n" + "y" * 200 + "\n" + "z\n" * 12},
    )
    html = response.content.decode()
    assert "Line 2 is a bit long (200 characters; up to 150 fit)." in html
    assert "That&#x27;s 14 lines; this list holds up to 10." in html
    assert "Rocking" in html


def test_suggestions_that_overflow_the_list_are_refused_kindly(cast):
    client = cast.client_for(cast.parent)
    response = client.post(
        section_url(cast, "soothing"),
        {
            "soothing-steps": "\n".join(f"Idea {n}" for n in range(9)),
            "soothing-steps-add": ["Rocking", "White noise"],
        },
    )
    assert "this list holds up to 10" in response.content.decode()
    assert not Sheet.objects.exists()


def test_null_characters_are_refused_not_a_database_error(cast):
    client = cast.client_for(cast.parent)
    response = client.post(section_url(cast, "soothing"), {"soothing-steps": "Rock\x00ing"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_contacts_phone_numbers_are_normalised_with_the_household_country(cast):
    client = cast.client_for(cast.parent)
    data = {"based_on": "0"} | rows(
        "contacts-people",
        {"name": "Auntie Jo", "relation": "my sister", "phone": "07400 123123"},
        {"name": "Dev", "relation": "neighbour", "phone": "+1 212 555 0123"},
        {},
        total=3,
    )
    assert client.post(contacts_url(cast), data).status_code == 302
    people = Sheet.objects.get(kind="household").content["contacts"]["people"]
    assert [p["phone"] for p in people] == ["+447400123123", "+12125550123"]


def test_a_bad_phone_number_and_a_row_without_a_name_are_shown_where_they_are(cast):
    client = cast.client_for(cast.parent)
    data = rows(
        "contacts-people",
        {"name": "Auntie Jo", "phone": "call me maybe"},
        {"name": "", "relation": "neighbour", "phone": "07400 123123"},
    )
    response = client.post(contacts_url(cast), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This doesn&#x27;t look like a phone number" in html
    assert "Please fill this in too, or clear the row." in html
    assert 'value="call me maybe"' in html and 'value="neighbour"' in html
    assert not Sheet.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"contacts-people-0-name": "Jo"},  # no management form at all
        rows("contacts-people", {"name": "Jo", "phone": "07400 123123"}, total="lots"),
        rows("contacts-people", {"name": "Jo", "phone": "07400 123123"}, total=5000),
        rows("contacts-people", *[{"name": f"P{n}", "phone": "07400 123123"} for n in range(8)]),
    ],
    ids=["missing-management-form", "garbage-count", "huge-count", "too-many-rows"],
)
def test_malformed_rows_get_a_message_never_an_error_page(cast, data):
    response = cast.client_for(cast.parent).post(contacts_url(cast), data)
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not Sheet.objects.exists()


def test_a_doctor_phone_number_is_checked_too(cast):
    client = cast.client_for(cast.parent)
    url = reverse("caresheets:household_doctor", args=[cast.household.pk])
    response = client.post(
        url, {"doctor-pediatrician_name": "Dr Osei", "doctor-pediatrician_phone": "12"}
    )
    assert "This doesn&#x27;t look like a phone number" in response.content.decode()
    client.post(
        url, {"doctor-pediatrician_name": "Dr Osei", "doctor-pediatrician_phone": "020 7946 0000"}
    )
    assert (
        Sheet.objects.get(kind="household").content["doctor"]["pediatrician_phone"]
        == "+442079460000"
    )


def test_medicines_rows_and_none_known(cast):
    client = cast.client_for(cast.parent)
    url = section_url(cast, "medicines")
    data = rows(
        "medicines-items", {"name": "Vitamin D drops", "dose": "1 drop", "when": "morning feed"}
    )
    assert client.post(url, data).status_code == 302
    data = {"medicines-none_known": "on"} | rows(
        "medicines-items",
        {"name": "Vitamin D drops", "dose": "1 drop", "when": "morning feed", "DELETE": "on"},
        initial=1,
    )
    assert client.post(url, data).status_code == 302
    assert Sheet.objects.get(child=cast.child).content["medicines"] == {"none_known": True}


def test_clearing_a_row_removes_it(cast):
    write(
        cast,
        "household",
        {"contacts": {"people": [{"name": "Jo", "relation": "", "phone": "+447400123123"}]}},
    )
    client = cast.client_for(cast.parent)
    response = client.post(
        contacts_url(cast), rows("contacts-people", {"name": "", "phone": ""}, initial=1)
    )
    assert response.status_code == 302
    assert "contacts" not in Sheet.objects.get(kind="household").content


def test_move_up_reorders_rows_without_saving(cast):
    client = cast.client_for(cast.parent)
    data = rows(
        "contacts-people",
        {"name": "First", "phone": "07400 123111"},
        {"name": "Second", "phone": "07400 123222"},
    ) | {"move_up": "contacts-people:1"}
    response = client.post(contacts_url(cast), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('value="Second"') < html.index('value="First"')
    assert "Moved up. Save when you" in html
    assert not Sheet.objects.exists()
    for tampered in (
        "contacts-people:x",
        "nothing:1",
        "contacts-people:-1",
        "contacts-people:99999",
        "contacts-people:²",  # a digit int() refuses: was a 500
    ):
        assert client.post(contacts_url(cast), data | {"move_up": tampered}).status_code in (
            200,
            302,
        )


def test_saving_without_changes_makes_no_revision(cast):
    write(cast, "child", {"soothing": {"steps": ["Rocking"]}})
    response = cast.client_for(cast.parent).post(
        section_url(cast, "soothing"), {"based_on": "1", "soothing-steps": "Rocking\n"}
    )
    assert response.status_code == 302
    assert Revision.objects.count() == 1


def test_someone_elses_save_in_between_is_not_silently_overwritten(cast):
    write(cast, "child", {"soothing": {"steps": ["Rocking"]}})
    client = cast.client_for(cast.parent)
    write(cast, "child", {"soothing": {"steps": ["Rocking", "White noise"]}}, author=cast.partner)
    response = client.post(
        section_url(cast, "soothing"), {"based_on": "1", "soothing-steps": "Singing"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam saved this part a moment ago" in html
    assert 'name="based_on" value="2"' in html and "Singing" in html
    assert (
        client.post(
            section_url(cast, "soothing"), {"based_on": "2", "soothing-steps": "Singing"}
        ).status_code
        == 302
    )
    assert Sheet.objects.get(child=cast.child).content["soothing"]["steps"] == ["Singing"]


def test_a_save_elsewhere_on_the_sheet_does_not_count_as_a_clash(cast):
    write(cast, "child", {"soothing": {"steps": ["Rocking"]}})
    write(cast, "child", {"health": {"notes": "Teething"}}, author=cast.partner)
    response = cast.client_for(cast.parent).post(
        section_url(cast, "soothing"), {"based_on": "1", "soothing-steps": "Singing"}
    )
    assert response.status_code == 302
    content = Sheet.objects.get(child=cast.child).content
    assert content == {"soothing": {"steps": ["Singing"]}, "health": {"notes": "Teething"}}


def test_the_overview_lists_every_part_with_a_gentle_hint(cast):
    Child.objects.create(household=cast.household, name="Kit", birth_date=cast.child.birth_date)
    write(cast, "child", {"soothing": {"steps": ["Rocking"]}})
    html = (
        cast.client_for(cast.parent)
        .get(reverse("caresheets:edit", args=[cast.household.pk]))
        .content.decode()
    )
    assert "A short sheet is a good sheet." in html
    assert "Bea" in html and "Kit" in html and "Who to call" in html
    assert "Written" in html and "Not yet" in html
    assert "getting long" not in html
    write(cast, "child", {"health": {"notes": "x" * 1000}, "feeding": {"times": ["y" * 120] * 10}})
    write(cast, "household", {"home": {"address": "z" * 300, "where_things_are": ["w" * 150] * 12}})
    html = (
        cast.client_for(cast.parent)
        .get(reverse("caresheets:edit", args=[cast.household.pk]))
        .content.decode()
    )
    assert "Your care sheet is getting long, and that&#x27;s all right." in html


def test_saved_numbers_are_shown_the_way_people_dial_them(cast):
    write(
        cast,
        "household",
        {
            "contacts": {"people": [{"name": "Jo", "relation": "", "phone": "+447400123123"}]},
            "doctor": {"pediatrician_phone": "+12125550123"},
        },
    )
    client = cast.client_for(cast.parent)
    assert 'value="07400 123123"' in client.get(contacts_url(cast)).content.decode()
    doctor = client.get(reverse("caresheets:household_doctor", args=[cast.household.pk]))
    assert 'value="+1 212-555-0123"' in doctor.content.decode()
    data = rows("contacts-people", {"name": "Jo", "phone": "07400 123123"}, initial=1)
    assert client.post(contacts_url(cast), data).status_code == 302
    assert Sheet.objects.get(kind="household").revision == 1  # same number: nothing changed
