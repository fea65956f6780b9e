"""A workshop's certificates: one page per name given with --participants, or one blank.

Personal data: with names, a certificate is never cached, kept as HTML, previewed, listed
in the offline edition or zipped; it is printed from OUT and passed on by hand.
"""

from __future__ import annotations

from ..messages import N_
from .base import TRACK, Kind, PrintRule

KIND = Kind("certificate", "certificate.html.j2", TRACK, label=N_("Certificate"), personal=True,
            print_rule=PrintRule(lambda participants, facilitators: participants, one_sided=True))
