"""A workshop's before-and-after evaluation: one question per session."""

from __future__ import annotations

from ..messages import N_
from .base import TRACK, Kind, PrintRule

KIND = Kind("evaluation", "evaluation.html.j2", TRACK, label=N_("Evaluation"),
            print_rule=PrintRule(lambda participants, facilitators: participants))
