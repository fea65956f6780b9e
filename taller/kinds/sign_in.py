"""A workshop's sign-in sheet, blank: names are written by hand on the day.

One page a day, with a fixed number of lines: a group larger than that needs more copies
of the same sheet, so the print rule counts copies from the lines a page has, and they are
printed one-sided (each day's sheets are passed round and kept on their own).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..messages import N_
from .base import TRACK, Kind, PrintRule

if TYPE_CHECKING:
    from ..render.html import KindContext

ROWS = 16  # name lines on a page: what fits an A4 or Letter page at a height a hand can write in


def view(ctx: KindContext) -> dict:
    """The number of name lines on each day's page."""
    return {"rows": ROWS}


KIND = Kind("sign-in", "sign-in.html.j2", TRACK, label=N_("Sign-in sheet"), view=view,
            print_rule=PrintRule(lambda participants, facilitators: math.ceil(participants / ROWS), one_sided=True))
