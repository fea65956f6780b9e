"""A workshop's agenda: its sessions over its days, with clock times, breaks and lunch."""

from __future__ import annotations

from ..messages import N_
from .base import TRACK, Kind, PrintRule

KIND = Kind("agenda", "agenda.html.j2", TRACK, label=N_("Agenda"),
            print_rule=PrintRule(lambda participants, facilitators: participants + facilitators))
