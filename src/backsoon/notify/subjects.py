"""Whose channels: an account's membership or a caregiver link (households/access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from backsoon.households.access import Subject
from backsoon.households.models import CaregiverLink, Household, Membership

Owner = Subject | Membership | CaregiverLink


@dataclass(frozen=True)
class Whom:
    household: Household
    membership: Membership | None
    link: CaregiverLink | None

    @property
    def is_parent(self) -> bool:
        return self.membership is not None and self.membership.is_parent

    @property
    def name(self) -> str:
        return self.membership.display_name if self.membership else self.link.name

    def fields(self) -> dict:
        """Keyword arguments that set (or filter by) this owner on a SubjectOwned row."""
        if self.membership is not None:
            return {"membership": self.membership}
        return {"link": self.link}

    def q(self, prefix: str = "") -> Q:
        if self.membership is not None:
            return Q(**{f"{prefix}membership": self.membership})
        return Q(**{f"{prefix}link": self.link})


def whom(owner: Owner | Whom) -> Whom:
    if isinstance(owner, Whom):
        return owner
    if isinstance(owner, Membership):
        return Whom(owner.household, owner, None)
    if isinstance(owner, CaregiverLink):
        return Whom(owner.household, None, owner)
    if isinstance(owner, Subject):
        return Whom(owner.household, owner.membership, owner.link)
    raise TypeError(f"Not a subject: {owner!r}")
