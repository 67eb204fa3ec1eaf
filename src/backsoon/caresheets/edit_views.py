"""Parents write the care sheet: an overview, one page per section, the agreement, the history."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backsoon.caresheets import sections, services, suggestions
from backsoon.caresheets.editor import SheetEditor, move_row_up
from backsoon.caresheets.models import Revision, Sheet
from backsoon.caresheets.sections import Section
from backsoon.households.access import Access, access
from backsoon.households.models import Child
from backsoon.households.services import zone

HISTORY_SHOWN = 100


@dataclass
class Page:
    title: str
    url: str
    filled: bool = False


def _child_url(household_id: int, child_id: int, key: str) -> str:
    return reverse("caresheets:child_section", args=[household_id, child_id, key])


def _household_url(household_id: int, key: str) -> str:
    return reverse(f"caresheets:household_{key}", args=[household_id])


def _sequence(household_id: int, children: list[Child]) -> list[str]:
    """Every edit page in the order "Save and continue" walks through them."""
    urls = [
        _child_url(household_id, c.pk, s.key) for c in children for s in sections.CHILD_SECTIONS
    ]
    urls += [_household_url(household_id, s.key) for s in sections.HOUSEHOLD_SECTIONS]
    return [*urls, reverse("caresheets:agreement", args=[household_id])]


def _next_url(household_id: int, children: list[Child], current: str) -> str:
    urls = _sequence(household_id, children)
    position = urls.index(current) if current in urls else len(urls) - 1
    if position + 1 < len(urls):
        return urls[position + 1]
    return reverse("caresheets:edit", args=[household_id])


def _pages(sheet: Sheet | None, specs: tuple[Section, ...], url) -> list[Page]:
    content = sections.clean_content(sheet.kind, sheet.content) if sheet else {}
    return [Page(str(s.title), url(s.key), s.key in content) for s in specs]


@access(Access.PARENTS)
def edit(request, household_id):
    household = request.household
    children = list(household.children.all())
    sheets = services.sheets_of(household)
    child_pages = [
        (
            child,
            _pages(
                sheets.children.get(child.pk),
                sections.CHILD_SECTIONS,
                lambda key, c=child: _child_url(household_id, c.pk, key),
            ),
        )
        for child in children
    ]
    household_pages = _pages(
        sheets.household, sections.HOUSEHOLD_SECTIONS, lambda key: _household_url(household_id, key)
    )
    started = any(page.filled for _c, pages in child_pages for page in pages) or any(
        page.filled for page in household_pages
    )
    return render(
        request,
        "caresheets/edit.html",
        {
            "household": household,
            "child_pages": child_pages,
            "household_pages": household_pages,
            "agreement": sheets.agreement,
            "status": services.agreement_status(household, sheets.agreement),
            "start_url": _sequence(household_id, children)[0],
            "started": started,
            "brief_hint": suggestions.hint("brief"),
            "long_hint": suggestions.hint("long")
            if sections.is_long([s.content for s in sheets.all])
            else "",
        },
    )


def _someone_else_changed(sheet: Sheet | None, based_on: int, specs, content: dict) -> bool:
    """Whether the sections on this page were saved by someone since the page was opened."""
    if sheet is None or based_on == sheet.revision:
        return False
    then = sections.clean_content(sheet.kind, services.content_at(sheet, based_on))
    return any(then.get(s.key) != content.get(s.key) for s in specs)


def _moved(data, editor: SheetEditor):
    """The POSTed data with one row moved up, or None when no row was asked to move."""
    prefix, _sep, index = data.get("move_up", "").rpartition(":")
    formset = editor.formsets.get(prefix)
    if formset is None or not index.isdecimal():  # isdigit takes "²", which int() refuses
        return None
    columns = [name for name in formset.form.base_fields if name != "DELETE"]
    return move_row_up(data, prefix, min(int(index), formset.absolute_max), columns)


def _edit_page(
    request, *, kind: str, specs: tuple[Section, ...], child: Child | None, context: dict
):
    """Show and save one page of a sheet; every save that changes something is a revision."""
    household = request.household
    sheet = services.find_sheet(household, kind, child)
    content = sections.clean_content(kind, sheet.content if sheet else {})
    revision = sheet.revision if sheet else 0
    options = {
        "content": content,
        "country": household.country,
        "based_on": revision,
        "prefill": kind == Sheet.Kind.AGREEMENT and revision == 0,
    }
    notice = ""
    editor = SheetEditor(specs, **options)
    if request.method == "POST":
        editor = SheetEditor(specs, data=request.POST, **options)
        moved = _moved(request.POST, editor)
        if moved is not None:
            editor = SheetEditor(specs, data=moved, **options)
            notice = _("Moved up. Save when you're ready.")
        elif editor.is_valid():
            based_on = editor.based_on if editor.based_on is not None else revision
            if _someone_else_changed(sheet, based_on, specs, content):
                data = request.POST.copy()
                data["based_on"] = str(revision)
                editor = SheetEditor(specs, data=data, **options)
                notice = _(
                    "%(name)s saved this part a moment ago, after you opened it. What you typed "
                    "is still below. Save again to keep your version."
                ) % {"name": sheet.updated_by_name}
            else:
                sheet = sheet or services.sheet_for(household, kind, child)
                saved = services.save(sheet, editor.cleaned_sections(), request.subject.membership)
                if saved:
                    messages.success(request, _("Saved."))
                elif not request.POST.get("next"):  # walking through, a skipped part says nothing
                    messages.info(request, _("Nothing had changed."))
                if request.POST.get("next"):
                    children = list(household.children.all())
                    return redirect(_next_url(household.pk, children, request.path))
                return redirect("caresheets:edit", household_id=household.pk)
    errors = editor.form.errors or any(
        fs.errors or fs.non_form_errors() for fs in editor.formsets.values()
    )
    return render(
        request,
        context.pop("template", "caresheets/section.html"),
        {
            "household": household,
            "tz": zone(household),
            "child": child,
            "editor": editor,
            "blocks": editor.blocks(),
            "has_errors": request.method == "POST" and bool(errors) and not notice,
            "notice": notice,
            "brief_hint": suggestions.hint("brief"),
            **context,
        },
    )


@access(Access.PARENTS)
def child_section(request, household_id, child_id, section):
    child = get_object_or_404(Child, pk=child_id, household=request.household)
    spec = sections.section(Sheet.Kind.CHILD, section)
    if spec is None:
        raise Http404
    return _edit_page(
        request,
        kind=Sheet.Kind.CHILD,
        specs=(spec,),
        child=child,
        context={"title": spec.title, "intro": spec.intro},
    )


@access(Access.PARENTS)
def household_section(request, household_id, part):
    spec = sections.section(Sheet.Kind.HOUSEHOLD, part)
    if spec is None:
        raise Http404
    return _edit_page(
        request,
        kind=Sheet.Kind.HOUSEHOLD,
        specs=(spec,),
        child=None,
        context={
            "title": spec.title,
            "intro": spec.intro,
            "shared": True,
            "profile_hint": part == "contacts",
        },
    )


@access(Access.PARENTS)
def agreement(request, household_id):
    household = request.household
    sheet = services.find_sheet(household, Sheet.Kind.AGREEMENT)
    return _edit_page(
        request,
        kind=Sheet.Kind.AGREEMENT,
        specs=sections.AGREEMENT_SECTIONS,
        child=None,
        context={
            "template": "caresheets/agreement.html",
            "sheet": sheet,
            "prefilled": sheet is None or sheet.revision == 0,
            "status": services.agreement_status(household, sheet),
        },
    )


@dataclass
class Entry:
    revision: Revision
    what: str
    details: list[str]


def _labels(kind: str, changes: object) -> list[str]:
    """ "Feeding (Burping)", "Who to call" … for a revision's [[section, field], …]."""
    found: dict[str, list[str]] = {}
    for pair in changes if isinstance(changes, list) else []:
        if not (isinstance(pair, list) and len(pair) == 2):
            continue
        spec = sections.section(kind, pair[0])
        if spec is None or not any(f.key == pair[1] for f in spec.fields):
            continue
        fields = found.setdefault(str(spec.title), [])
        if len(spec.fields) > 1:
            fields.append(str(spec.field(pair[1]).label))
    return [
        f"{title} ({', '.join(fields)})" if fields else title for title, fields in found.items()
    ]


@access(Access.PARENTS)
def history(request, household_id):
    revisions = (
        Revision.objects.filter(sheet__household=request.household)
        .select_related("sheet__child")
        .defer("content", "sheet__content")
        .order_by("-created_at", "-pk")[:HISTORY_SHOWN]
    )
    entries = []
    for revision in revisions:
        sheet = revision.sheet
        if sheet.kind == Sheet.Kind.CHILD:
            what = _("%(name)s's care sheet") % {"name": sheet.child.name}
        elif sheet.kind == Sheet.Kind.HOUSEHOLD:
            what = _("Who to call, doctor and home")
        else:
            what = _("Emergency agreement, version %(version)s") % {"version": revision.number}
        entries.append(Entry(revision, what, _labels(sheet.kind, revision.changes)))
    return render(
        request,
        "caresheets/history.html",
        {
            "household": request.household,
            "tz": zone(request.household),
            "entries": entries,
            "shown": HISTORY_SHOWN,
        },
    )
