"""Every form in the app, posted with hostile values: a clear answer, never a 500, and a
refused form saves nothing at all.

The forms are found, not listed: the test crawls every page each subject may open (parents,
a caregiver with an account, a caregiver link, and the anonymous pages for signing up and in)
and reads each `<form method="post">` with the values the page would send. Hypothesis then
keeps, drops or replaces each field with something hostile (hostile.py: control characters
and NUL, header injection, unicode edge cases, huge strings, impossible and DST-ambiguous
dates, far-future and ancient years, negative and huge numbers). Each example runs in a
savepoint that is rolled back, so a successful post never changes the next example's world.

Checked for each post: no server error; when the answer is a refusal (a form shown again
with its errors, or 400/409/422), every row of every table is as it was; and every email
queued has no injected header.
"""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backsoon.caresheets import services as caresheets
from backsoon.households.access import Access
from backsoon.households.tests.test_access_matrix import (
    GUARDED,
    IN,
    ROUTES,
    build_world,
    expect_web,
    kwargs_for,
    snapshot,
    web_client,
)
from backsoon.notify.models import OutboxEmail
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import make_separation
from backsoon.tests_security.forms import Form, forms_on
from backsoon.tests_security.hostile import field_value, hostile_text

CRAWLERS = ("parent", "caregiver", "link", "anonymous")
PUBLIC_PAGES = ("account_signup", "account_login", "account_reset_password")
ERROR_MARKS = ("field--invalid", "field__error", "errorlist")
EXAMPLES = min(settings().max_examples, 8)


def crawl(world) -> dict[str, list[tuple[str, Form]]]:
    """route name: [(subject, form)], from every page each subject may open."""
    found: dict[str, list[tuple[str, Form]]] = {}
    seen = set()
    h = world.cast.household.pk
    extra = [
        reverse("separations:detail", args=[h, world.planned.pk]),
        reverse("separations:edit", args=[h, world.planned.pk]),
        reverse("separations:before", args=[h, world.planned.pk]),
        reverse("separations:away", args=[h, world.away.pk]),
    ]
    for subject in CRAWLERS:
        client = web_client(world, subject)
        if subject == "anonymous":
            pages = [reverse(name) for name in PUBLIC_PAGES]
        else:
            pages = [
                reverse(r.name, kwargs=kwargs_for(r, world.values))
                for r in GUARDED
                if expect_web(r, subject) == IN
            ]
            if subject == "parent":
                pages += extra + [
                    reverse(r.name) for r in ROUTES if r.access is Access.ACCOUNT and not r.kwargs
                ]
        for page in pages:
            response = client.get(page)
            if response.status_code != 200 or response.streaming:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            for form in forms_on(page, response.content.decode()):
                key = (subject, form.action, tuple(sorted(form.fields)))
                if key not in seen:
                    seen.add(key)
                    found.setdefault(form.route, []).append((subject, form))
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        cast = world.cast
        now = timezone.now()
        world.planned = make_separation(
            cast, status=Separation.Status.PLANNED, starts_at=now + timedelta(hours=2)
        )
        world.away = make_separation(cast, starts_at=now - timedelta(minutes=5))
        agreement = caresheets.sheet_for(cast.household, "agreement")
        caresheets.save(agreement, {"call_now": {"items": ["a fever"]}}, cast.parent)
        world.forms = crawl(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


ROUTE_NAMES = sorted(
    {r.name for r in ROUTES if r.access is not Access.PUBLIC and r.name} | set(PUBLIC_PAGES)
)


def test_the_crawl_finds_the_forms_that_matter(w):
    expected = {
        "households:settings",
        "households:child_new",
        "households:invite",
        "households:profile",
        "households:links",
        "caresheets:child_section",
        "caresheets:respond",
        "separations:plan",
        "separations:edit",
        "separations:before",
        "separations:reunion",
        "separations:care_post",
        "separations:ritual",
        "coping:kit",
        "coping:urge_new",
        "coping:urgent",
        "practice:step_add",
        "wellbeing:gad7",
        "notify:settings",
        "api_pages:token_new",
        "account_login",
        "account_reset_password",
    }
    assert expected <= set(w.forms), sorted(expected - set(w.forms))


def rejected(response) -> bool:
    if response.status_code in (400, 409, 422):
        return True
    body = b"" if response.streaming else response.content
    return response.status_code == 200 and any(m.encode() in body for m in ERROR_MARKS)


def assert_clean_emails(since: int) -> None:
    for email in OutboxEmail.objects.filter(pk__gt=since):
        message = message_from_bytes(bytes(email.raw), policy=policy.default)
        assert "Bcc" not in message, email.subject
        assert "thief@example.org" not in str(message["To"]), email.subject
        assert "\n" not in email.subject and "\r" not in email.subject


def client_for(w, subject: str) -> Client:
    return web_client(w, subject)


def post(w, subject: str, form: Form, data: dict):
    with transaction.atomic():
        before = snapshot()
        last_email = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client_for(w, subject).post(form.action, data)
        assert response.status_code < 500, (form.action, data)
        if rejected(response):
            assert snapshot() == before, f"{form.action} refused the form but saved part of it"
        assert_clean_emails(last_email)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("route", ROUTE_NAMES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_hostile_values_in_every_form(w, route, data):
    forms = w.forms.get(route)
    if not forms:
        return  # no page offers a form here (the crawl test checks the ones that matter)
    subject, form = data.draw(st.sampled_from(forms), label="form")
    values = {}
    for name, current in form.fields.items():
        value = data.draw(field_value(current), label=name)
        if value is not None:
            values[name] = value
    if data.draw(st.booleans(), label="an unexpected field"):
        values[data.draw(st.text(min_size=1, max_size=20), label="its name")] = data.draw(
            hostile_text()
        )
    post(w, subject, form, values)


@pytest.mark.parametrize("route", ["households:invite", "households:links", "households:profile"])
def test_a_name_with_a_line_break_never_becomes_an_email_header(w, route):
    """Names travel into emails (invitations, notifications): CR/LF stays out of headers."""
    for subject, form in w.forms.get(route, []):
        data = {k: v for k, v in form.fields.items()}
        for name in data:
            if "name" in name:
                data[name] = "Maya\r\nBcc: thief@example.org"
            if "email" in name:
                data[name] = "pat@example.org"
        post(w, subject, form, data)


@pytest.mark.parametrize(
    "target", ["home", "a\x00b", "/h/1/care/\r\nSet-Cookie: x=1", "//evil.example"]
)
def test_a_hostile_next_after_posting_goes_to_the_caregivers_page(w, target):
    """Found by the fuzzing: a bare word was looked up as a view name, a line break broke
    the Location header (both were 500s)."""
    subject, form = next((s, f) for s, f in w.forms["separations:care_post"] if "next" in f.fields)
    response = post(w, subject, form, {**form.fields, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "separations:care_now", kwargs={"household_id": w.cast.household.pk}
    )


@pytest.mark.parametrize("target", ["kit", "/h/1/\nx"])
def test_a_hostile_next_on_the_grounding_pages_goes_back_to_the_tools(w, target):
    client = web_client(w, "parent")
    h = w.cast.household.pk
    response = client.post(reverse("coping:kit", args=[h]), {"next": target, "real_lines": "ok"})
    assert response.status_code in (200, 302)
    assert "\n" not in response.get("Location", "")


def test_an_inviters_name_with_a_line_break_stays_out_of_the_email_headers(w):
    """Maya's own name goes into the invitation's subject ("Maya invited you…")."""
    (_, profile), *_ = w.forms["households:profile"]
    (_, invite), *_ = w.forms["households:invite"]
    client = web_client(w, "parent")
    with transaction.atomic():
        last = OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        name = "Maya\r\nBcc: thief@example.org"
        data = {**profile.fields, "display_name": name}
        assert client.post(profile.action, data).status_code < 500
        data = {**invite.fields, "display_name": "Pat", "email": "pat@example.org"}
        assert client.post(invite.action, data).status_code < 500
        sent = OutboxEmail.objects.filter(pk__gt=last)
        assert sent.exists()
        assert_clean_emails(last)
        raw = bytes(sent.get().raw)
        assert b"\r\nBcc:" not in raw.split(b"\r\n\r\n", 1)[0]
        transaction.set_rollback(True)
