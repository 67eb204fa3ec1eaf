"""The export's two CSV files, for spreadsheets: times in the household's own zone, and no
cell a spreadsheet would read as a formula."""

from __future__ import annotations

import csv
import io

from backsoon.api.portability import document as doc


def _cell(value) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def separations_csv(document: doc.Document, tz) -> str:
    names = {c.id: c.name for c in document.children}
    steps = {s.id: s.name for ladder in document.ladders for s in ladder.steps}

    def local(value):
        return value.astimezone(tz).isoformat() if value else ""

    rows = [
        [
            s.id,
            s.kind,
            s.status,
            local(s.starts_at),
            s.planned_minutes,
            local(s.left_at),
            local(s.back_at),
            round((s.back_at - s.left_at).total_seconds() / 60) if s.left_at and s.back_at else "",
            s.leaver_name,
            s.carer_name,
            ", ".join(names.get(c, "") for c in s.children),
            s.plan_note,
            steps.get(s.practice_step, ""),
            len(s.agreed),
            len(s.checkins),
            len(s.urgent_calls),
            s.thank_you.text if s.thank_you else "",
        ]
        for s in document.separations
    ]
    header = [
        "id",
        "kind",
        "status",
        "starts_at",
        "planned_minutes",
        "left_at",
        "back_at",
        "minutes_away",
        "leaver",
        "carer",
        "children",
        "plan_note",
        "ladder_step",
        "agreed_updates",
        "checkins",
        "urgent_calls",
        "thank_you",
    ]
    return _csv(header, rows)


def checkins_csv(document: doc.Document, tz) -> str:
    rows = [
        [
            c.id,
            s.id,
            c.created_at.astimezone(tz).isoformat(),
            c.author_name,
            "yes" if c.all_good else "",
            c.state,
            c.message,
            "yes" if c.ate_less else "",
            "yes" if c.looked_around else "",
            "; ".join(f"{a.name}: {a.after}" for a in c.settled),
            c.photo or "",
        ]
        for s in document.separations
        for c in s.checkins
    ]
    header = [
        "id",
        "separation_id",
        "posted_at",
        "author",
        "all_good",
        "state",
        "message",
        "ate_less",
        "looked_around",
        "settled",
        "photo",
    ]
    return _csv(header, rows)
