"""The legal review packet: for the group's lawyer, every legal fact as it is printed, where
it is printed, and a place to mark it correct, to be corrected or to be removed, to write
the correction, and to sign and date. One per language: the lawyer checks the words the
readers of that language get. Grouped by the law each fact rests on, with a contents list.

It is for the lawyer, not for members: it is not in the offline edition, and `plan` does
not print it for a workshop. The answers come back as `build.py reviewed FACT_ID --by … --on …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..messages import N_
from .base import LANGUAGE, Kind

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..render.html import KindContext
    from ..views.base import FactView


@dataclass
class LawGroup:
    """The facts resting on one law, in the order legal.yaml lists them."""

    id: str
    title: str
    facts: list[FactView]


def printed_in(cur: Curriculum, fact_id: str) -> list[tuple[str, str]]:
    """Where a fact is printed: (what, module id) pairs, in the curriculum's order (the
    handout prints its title; the legal sheet and the guide all of it); the manual prints
    every fact in its appendix."""
    history = {f.id for f in cur.legal_facts if f.standing == "history"}
    places = []
    for module in cur.modules:
        in_handout = any(f == fact_id for f, _ in module.handout_legal_facts)
        in_module = in_handout or any(f == fact_id for s in module.sessions for f, _ in s.legal_facts)
        if in_handout:
            places.append(("handout", module.id))  # its title, in the box "La ley dice"
        if in_module and fact_id not in history:
            places.append(("legal-sheet", module.id))
        if in_module:
            places.append(("guide", module.id))
    return places


def view(ctx: KindContext) -> dict:
    v, cur = ctx.view, ctx.view.cur
    groups = []
    for law in cur.laws:
        facts = [v.fact(f.id) for f in cur.legal_facts if f.law == law]
        if facts:
            groups.append(LawGroup(law, v.text("legal", f"laws.{law}.title"), facts))
    titles = {m.id: v.text(f"modules/{m.id}", "title") for m in cur.modules}
    places = {f.id: [(what, titles[module]) for what, module in printed_in(cur, f.id)] for f in cur.legal_facts}
    return {"laws": groups, "places": places, "every_months": cur.review_every_months}


KIND = Kind("legal-review", "legal-review.html.j2", LANGUAGE, label=N_("Legal review packet"), view=view,
            offline=False)
