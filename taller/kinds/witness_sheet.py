"""The witness sheet: what a witness saw and heard herself, noted with her consent, in the
parts of the incident record (when and where, what, who, consent). One A4 page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.texts import SHARED_UNITS
from ..messages import N_
from .base import LANGUAGE, Kind, PrintRule

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..render.html import KindContext
    from ..views.base import LanguageView


def incident_options(view: LanguageView, cur: Curriculum, field_id: str) -> list[str]:
    """The tick-box options of one field of the incident record, in this language: the
    sheet asks who acted and for what use in the record's own words, so the two match."""
    for section in cur.incident_form:
        for field in section.fields:
            if field.id == field_id:
                return [view.text("incident-form", f"options.{option}") for option, _ in field.options]
    return []


def view(ctx: KindContext) -> dict:
    cur = ctx.view.cur
    texts = {key: ctx.view.text("witness-sheet", key) for key in SHARED_UNITS["witness-sheet"].schema(cur)}
    return {"sheet_texts": texts,
            "institutions": incident_options(ctx.view, cur, "institution"),
            "uses": incident_options(ctx.view, cur, "consent-use")}


KIND = Kind(
    "witness-sheet", "witness-sheet.html.j2", LANGUAGE, label=N_("Witness sheet"), view=view,
    print_rule=PrintRule(lambda participants, facilitators: participants),  # one each: they practise filling it in
    for_participants=True)
