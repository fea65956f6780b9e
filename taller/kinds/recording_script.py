"""The recording script: for whoever records a handout (or the pocket card) in her own
voice, its parts numbered as the audio edition numbers them, the words to read, how long
each should take, and the file each recording goes into
(`content/audio/<lang>/<module>/part-NN.ogg`). One per handout and language, and one for
the card, under `<lang>/recording-scripts/`.

How long a part should take is estimated from its words at a calm reading pace (WPM words
a minute, and a breath after each line), not from the synthetic voice: the script prints
without running the synthesizer, and a member reads at her pace, not the machine's.

It is a working sheet for the person who records, printed from the build: not in the
offline edition, whose zip goes round by WhatsApp and must stay small.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..content.recordings import CARD, folder_rel
from ..messages import N_
from .audio import folder_name, parts
from .base import LANGUAGE, Artifact, Kind

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..render.html import KindContext
    from ..views.reading import Part

WPM = 130           # words a minute: slow enough to be followed by ear
BREATH = 0.6        # seconds after each line, as the synthetic voice pauses too
CONTENT = "content"  # the content folder as this repository names it, printed in the file names


def artifacts(cur: Curriculum, lang: str) -> list[Artifact]:
    """The card's script, then each handout's (the module set, so `watch` remakes it)."""
    return [Artifact(KIND, lang, name=CARD), *(Artifact(KIND, lang, module=m.id, name=m.id) for m in cur.modules)]


def estimate(part: Part) -> int:
    """Seconds a part takes to read aloud at WPM, rounded up to five."""
    seconds = part.words * 60 / WPM + BREATH * (len(part.lines) + 1 + bool(part.lead))
    return max(5, math.ceil(seconds / 5) * 5)


def view(ctx: KindContext) -> dict:
    """The parts as the audio edition reads them, each with its time and its file."""
    lang, module = ctx.artifact.lang, ctx.artifact.module
    folder = f"{CONTENT}/{folder_rel(lang, folder_name(ctx.artifact))}"
    title = ctx.view.text(f"modules/{module}", "title") if module else ctx.view.text("card", "title")
    shown = []
    for part in parts(ctx.renderer, lang, module):
        seconds = estimate(part)
        shown.append({"number": part.number, "heading": part.heading, "lead": part.lead, "lines": part.lines,
                      "recordable": part.recordable, "minutes": seconds // 60, "seconds": seconds % 60,
                      "file": f"{folder}/{part.name}.ogg"})
    recordable = " ".join(str(p["number"]) for p in shown if p["recordable"])
    return {"script": {"title": title, "parts": shown, "folder": folder, "wpm": WPM,
                       "command": f"python build.py recorded --lang {lang} {folder_name(ctx.artifact)} {recordable}"}}


KIND = Kind(
    "recording-script", "recording-script.html.j2", LANGUAGE, label=N_("Recording script"), folder="recording-scripts",
    artifacts=artifacts, view=view, offline=False,
)
