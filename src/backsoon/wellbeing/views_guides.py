"""Reading for the household: the age guide per child, and the guides for each person.

None of this is anyone's inner data: the age guide and the caregiver's guide are open to
everyone in the household, caregiver links too; the parents' guides to the parents.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from backsoon.households.access import Access, access
from backsoon.households.models import Child
from backsoon.wellbeing.ageguide import age_guide, for_age
from backsoon.wellbeing.guides import guide


@access(Access.HOUSEHOLD, caregivers=True, links=True)
def age(request, household_id, child_id):
    child = get_object_or_404(Child, pk=child_id, household=request.household)
    months = child.age_in_months(timezone.localdate())  # the household's clock (access)
    text = age_guide()
    return render(
        request,
        "wellbeing/age_guide.html",
        {"child": child, "guide": text, "age": for_age(text, months)},
    )


def _guide_page(request, key: str):
    return render(request, "wellbeing/guide.html", {"guide": guide(key)})


@access(Access.PARENTS)
def leaving_guide(request, household_id):
    return _guide_page(request, "leaving")


@access(Access.PARENTS)
def partner_guide(request, household_id):
    return _guide_page(request, "partner")


@access(Access.HOUSEHOLD, caregivers=True, links=True)
def caregiver_guide(request, household_id):
    return _guide_page(request, "caregiver")
