"""A workshop's certificates: one page per name given with --participants, or one blank.

Personal data: with names, a certificate is never cached, kept as HTML, previewed, listed
in the offline edition or zipped; it is printed from OUT and passed on by hand.

A name is printed whole, on its one name line: a name too long for the line at the
nominal size is set smaller, measured with the bundled font's advance widths, down to a
floor (content/glyphs.py); reading the participants reports a name longer than that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.glyphs import NAME_FLOOR_PT, NAME_LINE_MM, name_size_pt
from ..messages import N_
from .base import TRACK, Kind, PrintRule

if TYPE_CHECKING:
    from ..render.html import KindContext


def view(ctx: KindContext) -> dict:
    """Each certificate's name and the size that keeps it on the name line. The names are
    the renderer's only for this kind (it declares it is personal); none gives a blank line."""
    names = list(ctx.renderer.options.participants) or [""]
    sizes = [name_size_pt(name) or NAME_FLOOR_PT for name in names]  # below the floor: reported when read
    return {"certificates": [{"name": name, "size": f"{size:g}"} for name, size in zip(names, sizes)],
            "name_line_mm": NAME_LINE_MM}


KIND = Kind("certificate", "certificate.html.j2", TRACK, label=N_("Certificate"), personal=True, view=view,
            print_rule=PrintRule(lambda participants, facilitators: participants, one_sided=True))
