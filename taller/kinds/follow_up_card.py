"""The follow-up card of a grievance or criminal complaint: where it was filed, its case
number, who handles it and the dates to go back, to fill in by hand; a wallet card of
90 × 62 mm, both faces, eight to a cut sheet."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..content.texts import SHARED_UNITS
from ..messages import N_
from ..render.sheets import CARDS_PER_SHEET, card_grid
from .base import LANGUAGE, Kind, PrintRule, Variant

if TYPE_CHECKING:
    from ..render.html import KindContext

# Rows for the dates to go back: as many as the back face holds with the tips below them.
VISITS = 3


def view(ctx: KindContext) -> dict:
    """The card's labels (every key of its unit), and crop marks from the imposition's grid."""
    texts = {key: ctx.view.text("follow-up-card", key) for key in SHARED_UNITS["follow-up-card"].schema(ctx.view.cur)}
    return {"follow": texts, "visits": VISITS, "crop_marks": card_grid(ctx.sheet).crop_marks()}


KIND = Kind(
    "follow-up-card", "follow-up-card.html.j2", LANGUAGE, label=N_("Case follow-up card"), view=view,
    variants=(Variant(impose="cards", fixed_faces=True),),  # like the pocket card: eight-up, texts must fit
    # One card for each participant: she keeps it with the copies of her case.
    print_rule=PrintRule(lambda participants, facilitators: math.ceil(participants / CARDS_PER_SHEET)), for_participants=True)
