"""The glossary: the words of the law in this language, each beside its other-language pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language.collation import sort_key
from ..messages import N_
from .base import LANGUAGE, Kind, PrintRule

if TYPE_CHECKING:
    from ..render.html import KindContext
    from ..views.base import LanguageView


@dataclass
class GlossaryRow:
    term: str
    definition: str
    other_term: str
    other_definition: str


def rows(view: LanguageView, other: LanguageView | None) -> list[GlossaryRow]:
    """Every term, sorted by the reading language's own alphabet, with its other-language pair."""
    found = []
    for term in view.cur.glossary:
        mine = view.term(term.id)
        theirs = other.term(term.id) if other else mine
        found.append(GlossaryRow(mine.term, mine.definition, theirs.term, theirs.definition))
    return sorted(found, key=lambda row: sort_key(row.term, view.lang, view.cur.source_language))


def view(ctx: KindContext) -> dict:
    other = ctx.other
    return {"glossary": rows(ctx.view, other), "other_lang": other.lang if other else ctx.view.lang}


KIND = Kind(
    "glossary", "glossary.html.j2", LANGUAGE, label=N_("Glossary"), view=view, html_edition=True,
    print_rule=PrintRule(lambda participants, facilitators: participants), for_participants=True)
