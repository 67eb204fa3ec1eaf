"""Owner pages are about one parent's own inner data: anyone else gets 404.

`@access(Access.OWNER)` already keeps out other households and caregiver links; this keeps
out a caregiver's account too, and every query then filters by the membership returned here.
"""

from __future__ import annotations

from django.http import Http404

from backsoon.households.models import Membership
from backsoon.wellbeing.resources import CountryResources, resources_for


def own_membership(request) -> Membership:
    if not request.subject.is_parent:
        raise Http404
    return request.subject.membership


def lines_for(request) -> CountryResources:
    """The crisis and support lines for the household's country."""
    return resources_for(request.household.country)
