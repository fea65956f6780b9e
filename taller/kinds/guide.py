"""The facilitator guide of each module: the session plan with clock times and notes."""

from __future__ import annotations

from ..messages import N_
from .base import MODULE, Kind, PrintRule

KIND = Kind(
    "guide", "guide.html.j2", MODULE, label=N_("Facilitator guide"), folder="guides", html_edition=True,
    print_rule=PrintRule(lambda participants, facilitators: facilitators),  # one guide each
)
