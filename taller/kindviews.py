"""Views for the print kinds beyond handouts and guides: card, form, glossary, book, workshop pack."""

from __future__ import annotations

from dataclasses import dataclass

from .collation import sort_key
from .model import Curriculum, Track
from .texts import CARD_LISTS
from .views import LanguageView, _clock
from .workshop import schedule, track_sessions


@dataclass
class GlossaryRow:
    term: str
    definition: str
    other_term: str
    other_definition: str


def glossary(view: LanguageView, other: LanguageView | None) -> list[GlossaryRow]:
    """Every term, sorted by the reading language's own alphabet, with its other-language pair."""
    rows = []
    for term in view.cur.glossary:
        mine = view.term(term.id)
        theirs = other.term(term.id) if other else mine
        rows.append(GlossaryRow(mine.term, mine.definition, theirs.term, theirs.definition))
    return sorted(rows, key=lambda row: sort_key(row.term, view.lang))


def card(view: LanguageView) -> dict[str, object]:
    """The pocket card's texts; each block carries its key so an overflow can be named."""
    return {"title": view.text("card", "title"), **{key: view.text("card", key) for key in CARD_LISTS}}


def incident_form(view: LanguageView) -> dict[str, object]:
    """The incident record's headings, labels and options in one language."""
    t = lambda key: view.text("incident-form", key)  # noqa: E731
    sections = [{"id": s.id, "title": t(f"sections.{s.id}"),
                 "fields": [{"id": f.id, "type": f.type, "lines": f.lines, "label": t(f"fields.{f.id}"),
                             "options": [{"id": o, "label": t(f"options.{o}")} for o, _ in f.options]}
                            for f in s.fields]}
                for s in view.cur.incident_form]
    return {"title": t("title"), "intro": t("intro"), "yes": t("yes"), "no": t("no"), "sections": sections}


def book(view: LanguageView, other: LanguageView | None) -> dict[str, object]:
    """The whole manual: every module's guide, then glossary and legal facts as appendices."""
    return {"modules": [view.module(m) for m in view.cur.modules], "glossary": glossary(view, other),
            "facts": [view.fact(f.id) for f in view.cur.legal_facts]}


def workshop(view: LanguageView, track: Track, start: str) -> dict[str, object]:
    """A track's agenda (days of clock-timed slots) and its evaluation questions."""
    cur: Curriculum = view.cur
    hours, minutes = start.split(":")
    sessions = track_sessions(cur, track)
    days = []
    for day in schedule(sessions, int(hours) * 60 + int(minutes)):
        slots = []
        for slot in day.slots:
            item = {"start": _clock(slot.start), "end": _clock(slot.end), "kind": slot.kind}
            if slot.session:
                base = f"sessions.{slot.session.id}"
                item["module"] = view.text(slot.module.unit, "title")
                item["number"] = f"{slot.module.number}.{slot.module.sessions.index(slot.session) + 1}"
                item["title"] = view.text(slot.module.unit, f"{base}.title")
            slots.append(item)
        days.append({"number": day.number, "slots": slots})
    # One question per session keeps the questionnaire to a page or two.
    questions = [view.text(m.unit, f"sessions.{s.id}.evaluation")[0] for m, s in sessions]
    return {"id": track.id, "title": view.text("tracks", f"{track.id}.title"),
            "description": view.text("tracks", f"{track.id}.description"), "days": days,
            "questions": questions, "group_max": max((s.group_max for _, s in sessions), default=20)}
