"""A workshop's print plan, one page to hand to the print shop: every material it prints
by its printed title, copies, pages, sheets, one side or both (and the edge to flip on),
how to cut the cards, and the sheets of each paper size.

It lists other outputs with their pages, so it is made after them (`lists`: the pipeline
renders what it lists, or takes it from the render cache, and gives it their pages). A
build makes it for the largest group the track's sessions are written for (or for the
names given with --participants) and two facilitators; `python build.py plan` makes it
again for the numbers typed. Not in the offline edition: its numbers are one workshop's,
and the zips go to members, not to the print shop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import N_
from .base import TRACK, Kind, printed_for

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..render.html import KindContext
    from .base import Artifact


def listed(cur: Curriculum, artifact: Artifact) -> list[Artifact]:
    """What the workshop of `artifact`'s track prints in its language (kinds/base.printed_for)."""
    from . import KINDS  # the registry imports this module

    return printed_for(cur, artifact.track, artifact.lang, list(KINDS.values()))


def view(ctx: KindContext) -> dict:
    """The plan, from the pages the pipeline gives (`listed`) and the numbers `plan` typed
    (`workshop`: participants, facilitators), else the build's defaults."""
    from ..output.printplan import plan

    participants, facilitators = ctx.extra.get("workshop") or (len(ctx.renderer.options.participants) or None, None)
    track = next(t for t in ctx.renderer.cur.tracks if t.id == ctx.artifact.track)
    return {"plan": plan(ctx.view, track, ctx.extra["listed"], participants, facilitators)}


KIND = Kind("print-plan", "print-plan.html.j2", TRACK, label=N_("Print plan"), view=view, lists=listed, offline=False)
