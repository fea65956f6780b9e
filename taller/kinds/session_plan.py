"""The session plan: the trainers' blank template (objective, agenda with minutes, team
roles, safety, what to check, the agreement sought) used in training-trainers and
sensitising-police. Two A4 pages, filled in by hand."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..content.texts import SHARED_UNITS
from ..messages import N_
from .base import LANGUAGE, Kind, PrintRule

if TYPE_CHECKING:
    from ..render.html import KindContext

# Empty rows of the agenda and of the list of things to check.
AGENDA_ROWS, VERIFY_ROWS = 9, 3
# The guides hand one plan to each working group (about four women) and keep one per facilitator.
GROUP = 4


def view(ctx: KindContext) -> dict:
    texts = {key: ctx.view.text("session-plan", key) for key in SHARED_UNITS["session-plan"].schema(ctx.view.cur)}
    return {"plan_texts": texts, "agenda_rows": AGENDA_ROWS, "verify_rows": VERIFY_ROWS}


KIND = Kind(
    "session-plan", "session-plan.html.j2", LANGUAGE, label=N_("Session plan template"), view=view,
    # Only the workshops that train trainers or prepare a talk with the police plan sessions.
    print_rule=PrintRule(lambda participants, facilitators: math.ceil(participants / GROUP) + facilitators,
                         modules=("training-trainers", "sensitising-police")),
)
