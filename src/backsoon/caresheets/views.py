"""The caregiver view: the whole care sheet on one calm page, and the agreement's answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backsoon.caresheets import display, services
from backsoon.caresheets.forms import AgreementResponseForm
from backsoon.caresheets.models import Sheet
from backsoon.households.access import Access, access
from backsoon.households.models import Child, Role
from backsoon.households.services import zone
from backsoon.pwa import offline_ok
from backsoon.separations.caregiver import care_panel_context, next_planned
from backsoon.wellbeing.resources import emergency_number

BIGGER_TEXT_KEY = "backsoon_bigger_text"


def join_names(names: list[str]) -> str:
    """ "Maya", "Maya and Sam", "Maya, Sam and Ana"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@dataclass
class ChildSheet:
    child: Child
    sheet: Sheet | None
    sections: list[display.SectionView] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return any(s.values for s in self.sections)


def _changed_list(child_sheets, household_sections, agreement_sections) -> list[tuple[str, str]]:
    """(what, anchor) for each section marked "changed", in page order."""
    found = [(str(s.spec.title), s.anchor) for s in household_sections if s.changed]
    for entry in child_sheets:
        found += [
            (f"{entry.child.name}: {s.spec.title}", s.anchor) for s in entry.sections if s.changed
        ]
    if any(s.changed for s in agreement_sections):
        found.append((_("the emergency agreement"), "agreement"))
    return found


def care_context(request, response_form: AgreementResponseForm | None = None) -> dict:
    household = request.household
    subject = request.subject
    country = household.country
    children = list(household.children.all())
    parents = list(household.memberships.filter(role=Role.PARENT))
    sheets = services.sheets_of(household)
    marks = services.look(subject, sheets.all)

    def views(sheet: Sheet | None, kind: str, prefix: str) -> list[display.SectionView]:
        content = sheet.content if sheet else {}
        return display.section_views(
            kind, content, marks.get(sheet.pk, set()) if sheet else set(), prefix
        )

    household_sections = views(sheets.household, Sheet.Kind.HOUSEHOLD, "")
    by_key = {s.spec.key: s for s in household_sections}
    child_sheets = [ChildSheet(child, sheets.children.get(child.pk)) for child in children]
    for entry in child_sheets:
        entry.sections = views(entry.sheet, Sheet.Kind.CHILD, f"child-{entry.child.pk}-")
    agreement = sheets.agreement
    agreement_sections = views(agreement, Sheet.Kind.AGREEMENT, "agreement-")
    agreement_written = agreement is not None and any(s.values for s in agreement_sections)
    can_respond = agreement_written and not subject.is_parent
    doctor = by_key["doctor"].data
    if can_respond and response_form is None:
        response_form = AgreementResponseForm(initial={"version": agreement.revision})
    return {
        "household": household,
        "tz": zone(household),
        "bigger_text": request.session.get(BIGGER_TEXT_KEY, False),
        "emergency": display.emergency(emergency_number(country)),
        "parents": [(p.display_name, display.phone(p.phone, country)) for p in parents],
        "parent_names": join_names([p.display_name for p in parents]),
        "children_names": join_names([c.name for c in children]),
        "contacts": display.contacts(sheets.household.content if sheets.household else {}, country),
        "contacts_section": by_key["contacts"],
        "doctor_section": by_key["doctor"],
        "home_section": by_key["home"],
        "pediatrician_phone": display.phone(doctor.get("pediatrician_phone", ""), country),
        "hospital_phone": display.phone(doctor.get("hospital_phone", ""), country),
        "child_sheets": child_sheets,
        "agreement": agreement,
        "agreement_sections": agreement_sections,
        "agreement_written": agreement_written,
        "can_respond": can_respond,
        "confirmation": services.last_confirmation(subject, agreement) if can_respond else None,
        "response_form": response_form,
        "changed": _changed_list(child_sheets, household_sections, agreement_sections),
        "updated_at": sheets.updated_at,
    }


@access(Access.HOUSEHOLD, caregivers=True)
@offline_ok
def care(request, household_id):
    context = care_context(request) | care_panel_context(request)
    context["next_planned"] = next_planned(request.household)
    return render(request, "caresheets/care.html", context)


def _care_url(household_id: int, anchor: str = "") -> str:
    url = reverse("caresheets:care", args=[household_id])
    return f"{url}#{anchor}" if anchor else url


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def respond(request, household_id):
    """A caregiver confirms the agreement, or sends a question or a note about it."""
    subject = request.subject
    if subject.is_parent:
        raise Http404
    agreement = services.find_sheet(request.household, Sheet.Kind.AGREEMENT)
    if agreement is None or agreement.revision == 0:
        return redirect(_care_url(household_id))
    form = AgreementResponseForm(request.POST)
    if not form.is_valid():
        return render(request, "caresheets/care.html", care_context(request, response_form=form))
    note = form.cleaned_data["note"]
    if form.cleaned_data["version"] != agreement.revision:
        if note:
            version = min(form.cleaned_data["version"], agreement.revision)
            services.respond(subject, agreement, confirmed=False, note=note, version=version)
        messages.info(
            request,
            _(
                "The agreement was updated while you were reading it. Have a look at the new "
                "version before you confirm."
            )
            + (" " + _("Your note was sent.") if note else ""),
        )
        return redirect(_care_url(household_id, "agreement"))
    services.respond(subject, agreement, confirmed=form.confirms, note=note)
    if form.confirms:
        messages.success(request, _("Thank you. The parents can see that you've read it."))
    else:
        messages.success(request, _("Sent. The parents will see your note."))
    return redirect(_care_url(household_id, "agreement"))


@access(Access.HOUSEHOLD, caregivers=True)
@require_POST
def text_size(request, household_id):
    request.session[BIGGER_TEXT_KEY] = request.POST.get("size") == "bigger"
    return redirect(_care_url(household_id))
