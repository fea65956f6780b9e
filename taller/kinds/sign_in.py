"""A workshop's sign-in sheet, blank: names are written by hand on the day."""

from __future__ import annotations

from ..messages import N_
from .base import TRACK, Kind, PrintRule

KIND = Kind("sign-in", "sign-in.html.j2", TRACK, label=N_("Sign-in sheet"),
            print_rule=PrintRule(lambda participants, facilitators: 1))
