from __future__ import annotations

import segno
from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.api.portability.deletion import delete_household
from backsoon.caresheets.sections import CHILD_SECTIONS
from backsoon.households import ratelimit, services
from backsoon.households.access import Access, access
from backsoon.households.forms import (
    ChildForm,
    HouseholdForm,
    InvitationForm,
    MemberProfileForm,
    NewHouseholdForm,
)
from backsoon.households.models import Child, Invitation, Membership, Role
from backsoon.notify.models import OutboxEmail


def _today(household):
    return timezone.localdate(timezone=services.zone(household))


@access(Access.PUBLIC)
def home(request):
    if not request.user.is_authenticated:
        return render(
            request, "households/landing.html", {"signup_open": services.signup_open(request)}
        )
    if request.session.get(services.PENDING_INVITATION_KEY):
        return redirect("households:accept", token=request.session[services.PENDING_INVITATION_KEY])
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("household")
        .order_by("household__name")
    )
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("households:dashboard", household_id=memberships[0].household_id)
    return render(request, "households/home.html", {"memberships": memberships})


@access(Access.ACCOUNT)
def household_new(request):
    form = NewHouseholdForm(request.POST or None, country=services.default_country())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            household = form.save()
            Membership.objects.create(
                household=household,
                user=request.user,
                role=Role.PARENT,
                display_name=form.cleaned_data["display_name"],
            )
        messages.success(request, _("Your household is ready. Add your baby next."))
        return redirect("households:child_new", household_id=household.pk)
    return render(request, "households/household_new.html", {"form": form})


@access(Access.HOUSEHOLD, caregivers=True)
def dashboard(request, household_id):
    if request.subject.is_link:
        return redirect("caresheets:care", household_id=household_id)
    household = request.household
    # In the same query: whether each child's care sheet was ever saved (the first step).
    children = list(household.children.annotate(sheet_revision=F("care_sheet__revision")))
    today = _today(household)
    return render(
        request,
        "households/dashboard.html",
        {
            "household": household,
            "children": [(child, child.age_in_months(today)) for child in children],
            "first_steps": first_steps(household, request.subject, children),
        },
    )


def first_steps(household, subject, children: list[Child]) -> dict | None:
    """A parent's gentle next steps once a child is added: the care sheet before anything
    else, and (optional, never a gate) a phone number for the caregiver's call button."""
    if not subject.is_parent or not children:
        return None
    sheet_first = not any(child.sheet_revision for child in children)
    ask_phone = not subject.membership.phone
    if not sheet_first and not ask_phone:
        return None
    start = reverse(
        "caresheets:child_section", args=[household.pk, children[0].pk, CHILD_SECTIONS[0].key]
    )
    return {"sheet_first": sheet_first, "sheet_url": start, "ask_phone": ask_phone}


@access(Access.PARENTS)
def child_new(request, household_id):
    form = ChildForm(request.POST or None, today=_today(request.household))
    if request.method == "POST" and form.is_valid():
        child = form.save(commit=False)
        child.household = request.household
        child.save()
        messages.success(request, _("%(name)s is added.") % {"name": child.name})
        return redirect("households:dashboard", household_id=household_id)
    return render(request, "households/child_form.html", {"form": form, "child": None})


@access(Access.PARENTS)
def child_edit(request, household_id, child_id):
    child = get_object_or_404(Child, pk=child_id, household=request.household)
    form = ChildForm(request.POST or None, instance=child, today=_today(request.household))
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            child.delete()
            messages.success(request, _("%(name)s was removed.") % {"name": child.name})
            return redirect("households:dashboard", household_id=household_id)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("households:dashboard", household_id=household_id)
    return render(request, "households/child_form.html", {"form": form, "child": child})


@access(Access.PARENTS)
def members(request, household_id):
    household = request.household
    member_list = list(household.memberships.select_related("user"))
    invitations = list(household.invitations.pending())
    failed_ids = set(
        OutboxEmail.objects.filter(
            message_id__in=[i.email_message_id for i in invitations if i.email_message_id],
            status=OutboxEmail.Status.FAILED,
        ).values_list("message_id", flat=True)
    )
    return render(
        request,
        "households/members.html",
        {
            "household": household,
            "members": member_list,
            "invitations": [(i, i.email_message_id in failed_ids) for i in invitations],
        },
    )


@access(Access.PARENTS)
def invite(request, household_id):
    household = request.household
    form = InvitationForm(request.POST or None, household=household, inviter=request.user)
    if request.method == "POST" and form.is_valid() and not ratelimit.share_allowed(request):
        form.add_error(None, ratelimit.SHARE_LIMIT_MESSAGE)
    if request.method == "POST" and form.is_valid():
        invitation, token = services.create_invitation(
            household=household,
            invited_by=request.subject.membership,
            role=form.cleaned_data["role"],
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            link=lambda t: request.build_absolute_uri(reverse("households:accept", args=[t])),
        )
        link = request.build_absolute_uri(reverse("households:accept", args=[token]))
        text = _("%(name)s invited you to %(household)s on Back Soon: %(link)s") % {
            "name": request.subject.display_name,
            "household": household.name,
            "link": link,
        }
        return render(
            request,
            "households/invitation_share.html",
            {
                "household": household,
                "invitation": invitation,
                "link": link,
                "sms_href": "sms:?" + urlencode({"body": text}),
                "qr_data_uri": segno.make(link, error="m").svg_data_uri(scale=5, border=2),
            },
        )
    return render(request, "households/invite.html", {"household": household, "form": form})


@access(Access.PARENTS)
@require_POST
def invitation_revoke(request, household_id, invitation_id):
    invitation = get_object_or_404(Invitation, pk=invitation_id, household=request.household)
    if invitation.state() == "pending":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        messages.success(
            request,
            _("The invitation for %(name)s no longer works.") % {"name": invitation.display_name},
        )
    return redirect("households:members", household_id=household_id)


@access(Access.PARENTS)
@require_POST
def member_remove(request, household_id, member_id):
    member = get_object_or_404(Membership, pk=member_id, household=request.household)
    if member == request.subject.membership:
        return redirect("households:leave", household_id=household_id)
    error = services.remove_member(member)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("%(name)s is no longer in this household.") % {"name": member.display_name}
        )
    return redirect("households:members", household_id=household_id)


@access(Access.HOUSEHOLD, caregivers=True, links=False)
def leave(request, household_id):
    membership = request.subject.membership
    last_parent = services.is_last_parent(membership)
    if request.method == "POST" and not last_parent:
        membership.delete()
        messages.success(
            request, _("You left %(household)s.") % {"household": request.household.name}
        )
        return redirect("home")
    return render(
        request,
        "households/leave.html",
        {"household": request.household, "last_parent": last_parent},
    )


@access(Access.PARENTS)
def household_settings(request, household_id):
    household = request.household
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("households:dashboard", household_id=household_id)
    return render(request, "households/settings.html", {"household": household, "form": form})


@access(Access.PARENTS)
def household_delete(request, household_id):
    household = request.household
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip() == household.name:
            delete_household(household)
            messages.success(request, _("The household and everything in it were deleted."))
            return redirect("home")
        error = _("Type the household's name exactly as shown to confirm.")
    return render(
        request,
        "households/delete.html",
        {"household": household, "error": error, "typed": request.POST.get("confirm_name", "")},
    )


@access(Access.HOUSEHOLD, caregivers=True, links=False)
def profile(request, household_id):
    form = MemberProfileForm(request.POST or None, instance=request.subject.membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("households:dashboard", household_id=household_id)
    return render(
        request, "households/profile.html", {"household": request.household, "form": form}
    )


@access(Access.PUBLIC)
def accept(request, token):
    if ratelimit.token_guesses_exceeded(request):
        return ratelimit.too_many(request)
    invitation = services.find_invitation(token)
    if invitation is None:
        ratelimit.record_token_miss(request)
    state = invitation.state() if invitation else "unknown"
    if state != "pending":
        request.session.pop(services.PENDING_INVITATION_KEY, None)
        return render(
            request,
            "households/invitation_invalid.html",
            {"state": state},
            status=404 if state == "unknown" else 410,
        )
    if not request.user.is_authenticated:
        # Remember the invitation through sign-up or log-in; it also opens sign-up.
        request.session[services.PENDING_INVITATION_KEY] = token
        return render(
            request,
            "households/invitation_accept.html",
            {"invitation": invitation, "signup_open": services.signup_open(request)},
        )
    already = Membership.objects.filter(household=invitation.household, user=request.user).first()
    if already:
        request.session.pop(services.PENDING_INVITATION_KEY, None)
        messages.info(
            request,
            _("You're already a member of %(household)s.")
            % {"household": invitation.household.name},
        )
        return redirect("households:dashboard", household_id=invitation.household_id)
    display_name = request.POST.get("display_name", invitation.display_name).strip()[:60]
    error = ""
    if request.method == "POST":
        if not display_name:
            error = _("Please tell us the name others will see.")
        elif "\x00" in display_name:  # as Django's form fields refuse it
            error = _("Null characters are not allowed.")
        else:
            membership = services.accept_invitation(invitation, request.user, display_name)
            request.session.pop(services.PENDING_INVITATION_KEY, None)
            if membership is None:
                return render(
                    request, "households/invitation_invalid.html", {"state": "used"}, status=410
                )
            messages.success(
                request, _("Welcome to %(household)s.") % {"household": invitation.household.name}
            )
            return HttpResponseRedirect(
                reverse("households:dashboard", args=[membership.household_id])
            )
    return render(
        request,
        "households/invitation_accept.html",
        {"invitation": invitation, "display_name": display_name, "error": error},
    )
