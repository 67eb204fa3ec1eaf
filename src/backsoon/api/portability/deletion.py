"""Deleting for real: a household with everything in it, photos included; an account with
everything kept about that person alone.

Rows go in one transaction; photo files go from storage once it has committed (a rollback
must not leave rows pointing at deleted files). Should the process die in that moment, the
files are orphans nobody can reach: no row names them any more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import parseaddr

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from backsoon.api.portability.personal import delete_owner_data
from backsoon.households.models import Household, Membership
from backsoon.households.services import is_last_parent
from backsoon.notify.models import Delivery, OutboxEmail
from backsoon.separations.models import CheckIn


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def delete_household(household: Household) -> None:
    """The household and everything in it, for everyone: rows, photos, its queued emails."""
    photos = list(
        CheckIn.objects.filter(separation__household=household)
        .exclude(photo="")
        .values_list("photo", flat=True)
    )
    invitation_ids = household.invitations.exclude(email_message_id="").values("email_message_id")
    notification_emails = Delivery.objects.filter(
        Q(notification__membership__household=household)
        | Q(notification__link__household=household),
        email__isnull=False,
    ).values("email_id")
    with transaction.atomic():
        OutboxEmail.objects.filter(
            Q(message_id__in=invitation_ids) | Q(pk__in=notification_emails)
        ).delete()
        household.delete()
        transaction.on_commit(lambda: _delete_files(photos))


@dataclass
class AccountDeletion:
    """What deleting this account will do, for the warning before it."""

    goes: list[Household] = field(default_factory=list)  # this was the last parent
    stays: list[Household] = field(default_factory=list)


def plan_account_deletion(user) -> AccountDeletion:
    plan = AccountDeletion()
    for membership in Membership.objects.filter(user=user).select_related("household"):
        (plan.goes if is_last_parent(membership) else plan.stays).append(membership.household)
    return plan


def delete_account(user) -> None:
    """The account and its inner data; shared data stays with each household, or goes with
    it when this was its last parent."""
    plan = plan_account_deletion(user)
    addresses = {e.lower() for e in user.emailaddress_set.values_list("email", flat=True)}
    addresses.add((user.email or "").lower())
    addresses.discard("")
    with transaction.atomic():
        for household in plan.goes:
            delete_household(household)
        for membership in Membership.objects.filter(user=user):
            delete_owner_data(membership)
        _delete_mail_to(addresses)
        user.delete()


def _delete_mail_to(addresses: set[str]) -> None:
    """Queued and sent emails to this person (sign-in links, resets): they name the address."""
    if not addresses:
        return
    query = Q()
    for address in addresses:
        query |= Q(recipients__icontains=address)
    doomed = [
        email.pk
        for email in OutboxEmail.objects.filter(query).only("pk", "recipients")
        if any(parseaddr(str(r))[1].lower() in addresses for r in email.recipients)
    ]
    OutboxEmail.objects.filter(pk__in=doomed).delete()
