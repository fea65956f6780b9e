"""The participant's legal sheet of each module: every fact the module teaches (its
handout's and its sessions'; never the group's history), in plain words first, their
sources in small type, and once the note about facts not yet reviewed.

The handout itself says what the law says in a few plain lines and points here; the guide
keeps the full box for the facilitator.
"""

from __future__ import annotations

from ..messages import N_
from .base import MODULE, Kind, PrintRule

KIND = Kind("legal-sheet", "legal-sheet.html.j2", MODULE, label=N_("What the law says"), folder="legal-sheets",
            html_edition=True, print_rule=PrintRule(lambda participants, facilitators: participants), for_participants=True)
