"""Household operations shared by views, the API and commands."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backsoon.households.models import Household, Invitation, Membership, Role, hash_token
from backsoon.notify.mail import send_templated

PENDING_INVITATION_KEY = "backsoon_invitation"


def zone(household: Household) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(household.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def default_country() -> str:
    return settings.DEFAULT_COUNTRY


def find_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("household", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def signup_open(request) -> bool:
    """open: anyone; invite (default): the first person, then invitation holders; closed: nobody."""
    mode = settings.REGISTRATION
    if mode == "open":
        return True
    if mode == "closed":
        return False
    if not get_user_model().objects.exists():
        return True
    invitation = find_invitation(request.session.get(PENDING_INVITATION_KEY, ""))
    return invitation is not None and invitation.state() == "pending"


def create_invitation(
    *,
    household: Household,
    invited_by: Membership,
    role: str,
    display_name: str,
    email: str,
    link: Callable[[str], str],
) -> tuple[Invitation, str]:
    with transaction.atomic():
        invitation, token = Invitation.create(
            household=household,
            invited_by=invited_by,
            role=role,
            display_name=display_name,
            email=email,
        )
        if email:
            invitation.email_message_id = send_templated(
                "households/email/invitation",
                [email],
                {"invitation": invitation, "inviter": invited_by.display_name, "link": link(token)},
            )
            invitation.save(update_fields=["email_message_id"])
    return invitation, token


def accept_invitation(invitation: Invitation, user, display_name: str) -> Membership | None:
    """Join the household; None if the invitation was used or withdrawn a moment ago."""
    now = timezone.now()
    with transaction.atomic():
        taken = (
            Invitation.objects.pending(now)
            .filter(pk=invitation.pk)
            .update(accepted_at=now, accepted_by=user)
        )
        if taken != 1:
            return None
        membership, _created = Membership.objects.get_or_create(
            household_id=invitation.household_id,
            user=user,
            defaults={"role": invitation.role, "display_name": display_name},
        )
        if invitation.email and invitation.email.lower() == (user.email or "").lower():
            # The link reached this inbox, so the address is proven.
            EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(
                verified=True
            )
    return membership


def is_last_parent(membership: Membership) -> bool:
    if membership.role != Role.PARENT:
        return False
    return (
        not Membership.objects.filter(household_id=membership.household_id, role=Role.PARENT)
        .exclude(pk=membership.pk)
        .exists()
    )


def remove_member(membership: Membership) -> str:
    """Remove a member; returns a message when it is not allowed."""
    if is_last_parent(membership):
        return _("A household needs at least one parent.")
    membership.delete()
    return ""
