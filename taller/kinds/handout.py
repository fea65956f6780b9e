"""The participant handout of each module: plain A4, an A5 booklet, and large print."""

from __future__ import annotations

from ..messages import N_
from .base import MODULE, PLAIN, Kind, PrintRule, Variant

KIND = Kind(
    "handout", "handout.html.j2", MODULE, label=N_("Handout"), folder="handouts",
    variants=(PLAIN,
              Variant("booklet", label=N_("booklet (A5, fold and staple)"), page_size="half", impose="booklet"),
              Variant("large-print", label=N_("large print"), css_class="large-print")),
    html_edition=True, first_look=True,
    print_rule=PrintRule(lambda participants, facilitators: participants), for_participants=True)
