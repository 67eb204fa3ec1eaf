"""Help cards on the "For you" page and the dashboard's quiet notice, with time frozen.

Each rule: it fires, stays quiet when it should, comes back after "Not now" only while the
evidence lasts, and "I already have support" stops it for good. Only the person sees theirs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backsoon.caresheets import services as caresheets
from backsoon.caresheets.models import Sheet
from backsoon.households.models import Child
from backsoon.separations import services as separations
from backsoon.separations.models import Separation, Settling
from backsoon.separations.tests.factories import make_separation
from backsoon.wellbeing.models import CardDismissal
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import take

pytestmark = pytest.mark.django_db

T = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
BEA_SENTENCE = (
    "Bea took over 30 minutes to settle 3 times in the last 10 days. "
    "That&#x27;s worth mentioning to your pediatrician."
)


@pytest.fixture
def clock():
    with time_machine.travel(T, tick=False) as traveller:
        yield traveller


def slow(cast, at: datetime, after: str = "over_30", child: Child | None = None) -> Separation:
    separation = make_separation(cast, status=Separation.Status.BACK, starts_at=at)
    Settling.objects.create(
        separation=separation, child=child or cast.child, after=after, updated_at=at
    )
    return separation


def for_you(cast, who=None) -> str:
    client = cast.client_for(who or cast.parent)
    return client.get(reverse("wellbeing:for_you", args=[cast.household.pk])).content.decode()


def dashboard(cast, who) -> str:
    client = cast.client_for(who)
    return client.get(reverse("households:dashboard", args=[cast.household.pk])).content.decode()


def dismiss(cast, rule: str, choice: str, key: str = "", who=None):
    return cast.client_for(who or cast.parent).post(
        reverse("wellbeing:dismiss", args=[cast.household.pk]),
        {"rule": rule, "key": key, "choice": choice},
    )


# The baby's card.


def test_three_slow_settlings_over_ten_days_bring_up_the_pediatrician_card(cast, clock):
    caresheets.save(
        caresheets.sheet_for(cast.household, Sheet.Kind.HOUSEHOLD),
        {"doctor": {"pediatrician_name": "Dr Patel", "pediatrician_phone": "+442071234567"}},
        cast.parent,
    )
    for days in (9.5, 5, 1):
        slow(cast, T - days * DAY)
    html = for_you(cast)
    assert 'data-card="slow_settling"' in html
    assert BEA_SENTENCE in html
    assert 'href="tel:+442071234567"' in html
    assert "Call Dr Patel: 020 7123 4567" in html
    assert "Ganjian" in html
    assert "I already have support" in html and "Not now" in html


def test_without_a_number_the_card_says_where_to_add_it(cast, clock):
    for days in (9.5, 5, 1):
        slow(cast, T - days * DAY, after="not_yet")
    html = for_you(cast)
    assert BEA_SENTENCE in html
    assert reverse("caresheets:edit", args=[cast.household.pk]) in html
    assert 'href="tel:' not in html.split('data-card="slow_settling"', 1)[1].split("</li>", 1)[0]


def test_the_baby_card_stays_quiet_for_one_bad_week_or_quick_settling(cast, clock):
    for days in (5, 3, 1):
        slow(cast, T - days * DAY)
    for days in (12, 8):
        slow(cast, T - days * DAY, after="15_30")
    assert "data-card" not in for_you(cast)


def test_a_live_separation_does_not_count_yet(cast, clock):
    for days in (9.5, 5):
        slow(cast, T - days * DAY)
    away = make_separation(cast, status=Separation.Status.AWAY, starts_at=T - timedelta(hours=1))
    Settling.objects.create(separation=away, child=cast.child, after="not_yet")
    assert "data-card" not in for_you(cast)


def test_not_now_on_the_baby_card_returns_only_while_the_evidence_lasts(cast, clock):
    for days in (9.5, 5, 1):
        slow(cast, T - days * DAY)
    assert dismiss(cast, "slow_settling", "not_now", f"child-{cast.child.pk}").status_code == 302
    stored = CardDismissal.objects.get()
    assert stored.evidence_until == T + 4.5 * DAY
    assert stored.hidden_until == T + 4.5 * DAY  # sooner than a week: the evidence ends first
    assert "data-card" not in for_you(cast)
    clock.shift(3 * DAY)
    slow(cast, T + 3 * DAY)  # Bea had another hard afternoon
    assert "data-card" not in for_you(cast)
    clock.shift(2 * DAY)  # T+5: the snooze is over and the evidence still holds
    assert 'data-card="slow_settling"' in for_you(cast)


def test_not_now_on_the_baby_card_does_not_return_on_stale_evidence(cast, clock):
    for days in (9.5, 5, 1):
        slow(cast, T - days * DAY)
    dismiss(cast, "slow_settling", "not_now", f"child-{cast.child.pk}")
    clock.shift(8 * DAY)
    assert "data-card" not in for_you(cast)


def test_each_parent_has_their_own_copy_of_the_baby_card(cast, clock):
    for days in (9.5, 5, 1):
        slow(cast, T - days * DAY)
    dismiss(cast, "slow_settling", "have_support", f"child-{cast.child.pk}")
    assert "data-card" not in for_you(cast)
    assert 'data-card="slow_settling"' in for_you(cast, cast.partner)


# The self-check card.


def test_a_gad7_of_10_brings_up_someone_to_talk_to(cast, clock):
    take(cast.parent, Check.GAD7, [2, 2, 2, 1, 1, 1, 1], T - DAY)
    html = for_you(cast)
    assert 'data-card="high_scores"' in html
    assert "Recently your GAD-7 was 10." in html
    assert "doctor or a therapist" in html
    assert "Spitzer et al. 2006" in html


def test_a_score_of_9_stays_quiet(cast, clock):
    take(cast.parent, Check.PHQ9, [1] * 9, T - DAY)
    assert "data-card" not in for_you(cast)


def test_not_now_returns_after_a_week_while_the_score_is_recent(cast, clock):
    take(cast.parent, Check.GAD7, [2] * 7, T - DAY)
    client = cast.client_for(cast.parent)
    response = client.post(
        reverse("wellbeing:dismiss", args=[cast.household.pk]),
        {"rule": "high_scores", "key": "", "choice": "not_now"},
        follow=True,
    )
    assert "here if you want it later" in response.content.decode()
    assert "data-card" not in response.content.decode()
    clock.shift(6 * DAY)
    assert "data-card" not in for_you(cast)
    clock.shift(2 * DAY)
    assert 'data-card="high_scores"' in for_you(cast)
    clock.shift(20 * DAY)  # four weeks after the check: the evidence is over
    assert "data-card" not in for_you(cast)


def test_i_already_have_support_stops_the_card_for_good(cast, clock):
    take(cast.parent, Check.GAD7, [2] * 7, T - DAY)
    dismiss(cast, "high_scores", "have_support")
    assert CardDismissal.objects.get().hidden_until is None
    clock.shift(40 * DAY)
    take(cast.parent, Check.PHQ9, [3] * 8 + [0])  # new evidence, same card: still stopped
    assert "data-card" not in for_you(cast)


def test_dismissing_a_card_that_is_not_showing_stores_nothing(cast, clock):
    dismiss(cast, "high_scores", "have_support")
    dismiss(cast, "nonsense", "not_now")
    assert not CardDismissal.objects.exists()


def test_the_partner_cannot_dismiss_a_card_for_someone_else(cast, clock):
    take(cast.parent, Check.GAD7, [2] * 7, T - DAY)
    dismiss(cast, "high_scores", "have_support", who=cast.partner)
    assert not CardDismissal.objects.exists()
    assert 'data-card="high_scores"' in for_you(cast)


# The plans card.


def plan(cast, at: datetime, who=None) -> Separation:
    return make_separation(cast, status=Separation.Status.PLANNED, starts_at=at + DAY)


def test_plans_called_off_again_and_again_bring_up_a_gentle_card(cast, clock):
    for days in (20, 10, 2):
        clock.move_to(T - days * DAY)
        separations.cancel(plan(cast, T - days * DAY), by=cast.parent)
    clock.move_to(T)
    html = for_you(cast)
    assert 'data-card="cancelled_plans"' in html
    assert "called off 3 of your plans" in html
    assert "our own rule of thumb, not a test" in html
    assert reverse("wellbeing:reflection", args=[cast.household.pk]) in html


def test_plans_the_partner_called_off_do_not_count(cast, clock):
    for days in (20, 10, 2):
        clock.move_to(T - days * DAY)
        separations.cancel(plan(cast, T - days * DAY), by=cast.partner)
    clock.move_to(T)
    assert "data-card" not in for_you(cast)
    assert "data-card" not in for_you(cast, cast.partner)


def test_plans_that_mostly_went_ahead_stay_quiet(cast, clock):
    for days in (20, 10, 2):
        clock.move_to(T - days * DAY)
        separations.cancel(plan(cast, T - days * DAY), by=cast.parent)
    clock.move_to(T)
    for days in (18, 12, 6, 1):
        make_separation(cast, status=Separation.Status.BACK, starts_at=T - days * DAY)
    assert "data-card" not in for_you(cast)


# The card for practising that has felt hard for a while.


def practised(cast, days_ago: float, feel: str = "hard", kind=Separation.Kind.PRACTICE):
    at = T - days_ago * DAY
    separation = make_separation(
        cast, status=Separation.Status.BACK, starts_at=at, private={"feel": feel, "rated_at": at}
    )
    Separation.objects.filter(pk=separation.pk).update(kind=kind)
    return separation


def test_practices_mostly_hard_for_six_weeks_bring_up_a_gentle_card(cast, clock):
    for days in (45, 30, 20, 3):
        practised(cast, days)
    practised(cast, 10, "manageable")
    practised(cast, 12, "")  # skipped: says nothing either way
    html = for_you(cast)
    assert 'data-card="hard_practice"' in html
    assert "4 of the 5 practices you rated in the last 8 weeks felt hard." in html
    assert "a therapist can help" in html
    assert "Craske et al. 2008 and 2014" in html
    assert "our own rule of thumb, not a test" in html
    assert reverse("practice:ladder", args=[cast.household.pk, cast.parent.pk]) in html
    assert reverse("wellbeing:help") in html
    assert "I already have support" in html and "Not now" in html
    assert "wellbeing-notice" in dashboard(cast, cast.parent)


def test_the_hard_practice_card_stays_quiet_when_it_should(cast, clock):
    for days in (30, 20, 12, 3):  # hard, but for less than six weeks
        practised(cast, days)
    for days in (50, 45):  # six weeks and more: but an appointment, and a skipped rating
        practised(cast, days, kind=Separation.Kind.EVERYDAY)
    practised(cast, 48, "")
    assert "data-card" not in for_you(cast)
    for days in (40, 35, 25, 15):  # as many manageable as hard: not mostly hard
        practised(cast, days, "manageable")
    practised(cast, 44)
    assert "data-card" not in for_you(cast)


def test_someone_elses_hard_practices_do_not_count_for_maya(cast, clock):
    for days in (45, 30, 20, 3):
        at = T - days * DAY
        make_separation(
            cast,
            leaver=cast.partner,
            carer=cast.parent,
            status=Separation.Status.BACK,
            starts_at=at,
            private={"feel": "hard"},
        )
    assert "data-card" not in for_you(cast)
    assert 'data-card="hard_practice"' in for_you(cast, cast.partner)


def test_not_now_on_the_hard_practice_card_returns_while_the_evidence_lasts(cast, clock):
    for days in (45, 30, 20, 3):
        practised(cast, days)
    response = cast.client_for(cast.parent).post(
        reverse("wellbeing:dismiss", args=[cast.household.pk]),
        {"rule": "hard_practice", "key": "", "choice": "not_now"},
        follow=True,
    )
    assert "here if you want it later" in response.content.decode()
    stored = CardDismissal.objects.get()
    assert stored.evidence_until == T + 11 * DAY  # the oldest leaves the 8 weeks then
    assert stored.hidden_until == T + 7 * DAY
    clock.shift(6 * DAY)
    assert "data-card" not in for_you(cast)
    clock.shift(DAY)  # T+7: the week is over and the evidence still holds
    assert 'data-card="hard_practice"' in for_you(cast)
    clock.shift(4 * DAY)  # T+11: the evidence has run out
    assert "data-card" not in for_you(cast)


def test_not_now_on_the_hard_practice_card_does_not_return_on_stale_evidence(cast, clock):
    for days in (50, 30, 20, 3):
        practised(cast, days)
    dismiss(cast, "hard_practice", "not_now")
    assert CardDismissal.objects.get().hidden_until == T + 6 * DAY
    clock.shift(6 * DAY)
    assert "data-card" not in for_you(cast)


def test_i_already_have_support_stops_the_hard_practice_card(cast, clock):
    for days in (45, 30, 20, 3):
        practised(cast, days)
    assert dismiss(cast, "hard_practice", "have_support").status_code == 302
    assert CardDismissal.objects.get().hidden_until is None
    clock.shift(8 * DAY)
    practised(cast, -7)  # still hard, and new evidence: the card stays stopped
    practised(cast, -6)
    assert "data-card" not in for_you(cast)
    assert "wellbeing-notice" not in dashboard(cast, cast.parent)


# The dashboard: shared by both parents, so the notice is computed for the viewer only.


def test_the_dashboard_notice_is_for_the_person_it_is_about_only(cast, clock):
    take(cast.parent, Check.GAD7, [3, 3, 3, 2, 2, 2, 2], T - DAY)
    maya = dashboard(cast, cast.parent)
    assert "wellbeing-notice" in maya
    assert "a note for you on your For you page" in maya
    assert "17" not in maya.split('id="wellbeing-heading"', 1)[1].split("</section>", 1)[0]
    for who in (cast.partner, cast.caregiver):
        html = dashboard(cast, who)
        assert "wellbeing-notice" not in html
        assert "note for you" not in html


def test_no_notice_without_an_active_card(cast, clock):
    take(cast.parent, Check.GAD7, [2] * 7, T - DAY)
    dismiss(cast, "high_scores", "not_now")
    assert "wellbeing-notice" not in dashboard(cast, cast.parent)
    assert reverse("wellbeing:for_you", args=[cast.household.pk]) in dashboard(cast, cast.parent)


def test_a_caregiver_sees_no_for_you_link(cast):
    html = dashboard(cast, cast.caregiver)
    assert reverse("wellbeing:for_you", args=[cast.household.pk]) not in html


# Queries: the same number however much evidence there is.


def add_evidence(cast, n: int) -> None:
    for i in range(n):
        slow(cast, T - ((i * 5) % 13 + 0.5) * DAY)
        take(cast.parent, Check.GAD7, [2] * 7, T - (i % 20) * DAY)
        separations.cancel(plan(cast, T - (i % 20) * DAY), by=cast.parent)
        # Hard practices 7 weeks ago and lately; another plan called off for the recent one.
        practised(cast, 50 - i)
        practised(cast, 2 + i % 20)
        separations.cancel(plan(cast, T - (i % 20 + 0.5) * DAY), by=cast.parent)


@pytest.mark.parametrize("page", ["for_you", "dashboard"])
def test_the_card_pages_ask_a_steady_number_of_queries(
    cast, clock, page, django_assert_max_num_queries
):
    name = "households:dashboard" if page == "dashboard" else "wellbeing:for_you"
    url = reverse(name, args=[cast.household.pk])
    client = cast.client_for(cast.parent)
    add_evidence(cast, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "wellbeing-notice" in html or html.count("data-card=") == 4
    add_evidence(cast, 15)
    with django_assert_max_num_queries(len(few)):
        client.get(url)
