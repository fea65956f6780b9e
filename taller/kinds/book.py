"""The facilitator manual: a front (cover, contents, introduction), every module's guide,
and appendices (glossary, legal facts).

Its module pages are the guides' own layout: the manual is rendered as a joined document
whose parts are the guides' HTML, so a guide asked for in the same build is laid out once
for both (render/jobs.py), and a page of the manual is the page of the guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import N_
from ..render.sources import Joined
from .base import LANGUAGE, Artifact, Kind
from .glossary import rows
from .guide import KIND as GUIDE

if TYPE_CHECKING:
    from ..render.html import KindContext, Renderer


def view(ctx: KindContext) -> dict:
    """Every module's guide, then glossary and legal facts; `part` is the piece being made:
    "front", "back", or the "whole" manual as one document (for --keep-html)."""
    v = ctx.view
    book = {"modules": [v.module(m) for m in v.cur.modules], "glossary": rows(v, ctx.other),
            "facts": [v.fact(f.id) for f in v.cur.legal_facts]}
    return {"book": book, "part": ctx.extra.get("part", "whole")}


def source(renderer: Renderer, book: Artifact, keep_html: bool) -> Joined:
    """Front, each module's guide (the very HTML of the guide artifact), appendices."""
    guides = tuple(renderer.html(Artifact(GUIDE, book.lang, module=m.id)) for m in renderer.cur.modules)
    whole = renderer.html(book) if keep_html else None
    return Joined(renderer.html(book, extra={"part": "front"}), guides, renderer.html(book, extra={"part": "back"}),
                  whole)


KIND = Kind("book", "book.html.j2", LANGUAGE, label=N_("Facilitator manual"), view=view, source=source,
            spans_modules=True)
