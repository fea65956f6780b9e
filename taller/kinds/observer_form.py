"""The observer's form for role plays and facilitation practice: what she watches for,
ticked on a three-step scale, the phrases that worked and her feedback in three parts.
One A4 page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.texts import SHARED_UNITS
from ..messages import N_
from .base import LANGUAGE, Kind, PrintRule

if TYPE_CHECKING:
    from ..render.html import KindContext


def view(ctx: KindContext) -> dict:
    schema = SHARED_UNITS["observer-form"].schema(ctx.view.cur)
    texts = {key: ctx.view.text("observer-form", key) for key in schema}
    # The groups in the unit's order: `groups.<id>.title` and `groups.<id>.items`.
    ids = [key[len("groups."):-len(".title")] for key in schema if key.startswith("groups.") and key.endswith(".title")]
    groups = [{"id": g, "title": texts[f"groups.{g}.title"], "items": texts[f"groups.{g}.items"]} for g in ids]
    return {"form_texts": texts, "groups": groups}


KIND = Kind(
    "observer-form", "observer-form.html.j2", LANGUAGE, label=N_("Observer's form"), view=view,
    # Practice runs in groups of four, one woman observing at a time and the roles turning
    # until each has facilitated: one form a round, so one for each participant.
    print_rule=PrintRule(lambda participants, facilitators: participants),
)
