"""The pocket know-your-rights card: two faces of 90 × 62 mm, eight to a cut sheet; and
in large print, flowing on A4.

The worked example of a kind (content/README.md, "Adding a kind of material"): this
declaration, the view below, and `templates/card.html.j2`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..content.texts import CARD_LISTS
from ..messages import N_
from ..render.sheets import CARDS_PER_SHEET, card_grid
from .base import LANGUAGE, Kind, PrintRule, Variant

if TYPE_CHECKING:
    from ..render.html import KindContext


def view(ctx: KindContext) -> dict:
    """The card's texts, and crop marks drawn from the grid the imposition uses."""
    texts = {"title": ctx.view.text("card", "title"), **{key: ctx.view.text("card", key) for key in CARD_LISTS}}
    return {"card": texts, "crop_marks": card_grid(ctx.sheet).crop_marks()}


KIND = Kind(
    "card", "card.html.j2", LANGUAGE, label=N_("Pocket card"), view=view,
    # The plain card is laid out as its two faces and a sheet of crop marks, then imposed
    # eight-up; a text too long for its face is an error that names it.
    variants=(Variant(impose="cards", fixed_faces=True),
              Variant("large-print", label=N_("large print"), css_class="large-print")),
    print_rule=PrintRule(lambda participants, facilitators: math.ceil(participants / CARDS_PER_SHEET)),
    for_participants=True, html_edition=True)
