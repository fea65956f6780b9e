"""My emergency contacts: a wallet card of 90 × 62 mm, both faces, eight to a cut sheet,
with lines to fill in by hand (a compañera, the organisation, a lawyer). It never prints a
name or a number: only the women know which ones they trust and have checked."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..content.texts import SHARED_UNITS
from ..messages import N_
from ..render.sheets import CARDS_PER_SHEET, card_grid
from .base import LANGUAGE, Kind, PrintRule, Variant

if TYPE_CHECKING:
    from ..render.html import KindContext


def view(ctx: KindContext) -> dict:
    """The card's labels (every key of its unit), and crop marks from the imposition's grid."""
    texts = {key: ctx.view.text("contacts", key) for key in SHARED_UNITS["contacts"].schema(ctx.view.cur)}
    return {"contacts": texts, "crop_marks": card_grid(ctx.sheet).crop_marks()}


KIND = Kind(
    "contacts", "contacts.html.j2", LANGUAGE, label=N_("Emergency contacts card"), view=view,
    # Laid out like the pocket card: two faces and a sheet of crop marks, imposed eight-up; a
    # label too long for its face is an error that names it.
    variants=(Variant(impose="cards", fixed_faces=True),),
    print_rule=PrintRule(lambda participants, facilitators: math.ceil(participants / CARDS_PER_SHEET)),
    for_participants=True, html_edition=True)
