"""Find every form a subject is shown: crawl the pages, read each <form method="post">."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve


@dataclass
class Form:
    action: str  # a path
    fields: dict[str, str] = field(default_factory=dict)  # name: the value the page would send
    found_on: str = ""
    multipart: bool = False

    @property
    def route(self) -> str:
        match = resolve(self.action)
        return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


class FormReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page, a.get("action") or self.page)).path
                self.current = Form(
                    action, found_on=self.page, multipart="multipart" in a.get("enctype", "")
                )
            return
        form = self.current
        if form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if name not in form.fields or "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind == "file":
                form.fields.setdefault(name, "")
            elif kind in ("submit", "image"):
                form.fields.setdefault(name, a.get("value", ""))
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self.select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self.select:
            if not form.fields.get(self.select) or "selected" in a:
                form.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = ""

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    reader = FormReader(page)
    reader.feed(html)
    found = []
    for form in reader.forms:
        try:
            form.route  # noqa: B018 (a form that posts outside the app is not ours to fuzz)
        except Resolver404:
            continue
        found.append(form)
    return found
