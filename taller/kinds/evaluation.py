"""A workshop's before-and-after evaluation: one question per session; the `pictures`
variant, for those who do not write, has the same questions read aloud by the facilitator
and faces to circle."""

from __future__ import annotations

from ..messages import N_
from .base import PLAIN, TRACK, Kind, PrintRule, Variant

KIND = Kind("evaluation", "evaluation.html.j2", TRACK, label=N_("Evaluation"),
            variants=(PLAIN, Variant("pictures", label=N_("with pictures, read aloud"), css_class="pictures")),
            print_rule=PrintRule(lambda participants, facilitators: participants))
