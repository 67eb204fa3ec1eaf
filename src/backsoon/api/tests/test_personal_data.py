"""A person downloads their own inner data, from every household they are in: theirs only."""

import json

from django.urls import reverse

from backsoon.api.portability.personal import owner_models
from backsoon.api.tests.factories import full_household
from backsoon.coping.tests.factories import REAL_MARKER
from backsoon.households.models import Membership, Role
from backsoon.separations.models import Separation
from backsoon.separations.tests.factories import FEAR_MARKER, make_separation
from backsoon.wellbeing.scoring import Check
from backsoon.wellbeing.tests.factories import GAD7_HIGH, take


def test_every_kind_of_inner_data_is_found():
    labels = {m._meta.label_lower for m in owner_models()}
    assert {
        "separations.separationprivate",
        "separations.parentmessage",
        "wellbeing.selfcheckresult",
        "wellbeing.reminder",
        "wellbeing.carddismissal",
        "coping.urge",  # urges, from the coping app: found without a change here
        "coping.groundingkit",
        "coping.carerstrengths",
        "practice.weeklynote",
    } <= labels
    # Shared, though named for a person: the ladder travels in the household export.
    assert "practice.ladder" not in labels and "coping.urgentcall" not in labels


def test_it_holds_your_urges_ratings_weekly_note_and_grounding_kit(cast):
    made = full_household(cast)
    document = cast.client_for(cast.parent).get(reverse("api_pages:personal")).json()
    data = document["households"][0]["data"]
    assert data["coping.urge"][0]["strength_before"] == 8
    assert data["coping.urge"][0]["outcome"] == "passed"
    assert data["coping.urge"][0]["separation_id"] == made["back"].pk
    private = data["separations.separationprivate"][0]
    assert (private["feel"], private["worry_before"]) == ("manageable", 7)
    assert data["practice.weeklynote"][0]["next_weekly_at"].endswith("Z")
    assert data["coping.groundingkit"][0]["real_lines"].startswith(REAL_MARKER)
    assert len(data["wellbeing.selfcheckresult"]) == 1
    # Sam's download has none of it.
    sams = cast.client_for(cast.partner).get(reverse("api_pages:personal")).content.decode()
    assert REAL_MARKER not in sams and FEAR_MARKER not in sams
    assert '"strength_before": 8' not in sams


def test_the_download_holds_your_data_in_each_household_and_nobody_elses(cast):
    make_separation(cast, status=Separation.Status.BACK, private={"fear": FEAR_MARKER})
    make_separation(cast, leaver=cast.partner, private={"fear": "partner's own fear"})
    take(cast.parent, Check.GAD7, GAD7_HIGH)
    Membership.objects.create(
        household=cast.other_household,
        user=cast.parent.user,
        role=Role.CAREGIVER,
        display_name="Maya",
    )
    response = cast.client_for(cast.parent).get(reverse("api_pages:personal"))
    assert response["Content-Disposition"].startswith('attachment; filename="backsoon-my-data-')
    document = json.loads(response.content)
    assert document["schema"] == "backsoon-personal/2"
    assert document["account"] == {"email": "maya@example.org"}
    assert [h["household"] for h in document["households"]] == ["The Okafors", "The Lindqvists"]
    okafors = document["households"][0]["data"]
    assert [p["fear"] for p in okafors["separations.separationprivate"]] == [FEAR_MARKER]
    assert okafors["wellbeing.selfcheckresult"][0]["taken_at"].endswith("Z")
    assert "partner's own fear" not in response.content.decode()
