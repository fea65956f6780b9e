"""What to print for a workshop: every file, how many copies, and the sheets of paper it takes.

Reads the manifest of a build (pages per file), so the numbers match what was built.
Sheets count double-sided printing: a 5-page handout takes 3 sheets.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics, Location
from .imposition import CARD_COLS, CARD_ROWS
from .model import Curriculum


@dataclass(frozen=True)
class PrintLine:
    path: str
    copies: int
    pages: int
    sheets: int


def print_plan(cur: Curriculum, out: Path, track_id: str, lang: str, participants: int, facilitators: int,
               diags: Diagnostics) -> list[PrintLine]:
    """The print list of one track in one language."""
    track = next((t for t in cur.tracks if t.id == track_id), None)
    if track is None:
        diags.error(None, f"unknown track '{track_id}' (known: {', '.join(t.id for t in cur.tracks)})")
        return []
    try:
        outputs = {o["path"]: o for o in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]}
    except (OSError, ValueError, KeyError):
        diags.error(Location(str(out / "manifest.json")), "no build found: run `python build.py` first")
        return []
    modules = [m for m, _ in track.modules]
    wanted: list[tuple[str, int]] = []  # (path, copies)
    wanted += [(f"{lang}/handouts/{m}.pdf", participants) for m in modules]
    wanted += [(f"{lang}/guides/{m}.pdf", facilitators) for m in modules]
    wanted += [(f"{lang}/card.pdf", math.ceil(participants / (CARD_COLS * CARD_ROWS))),
               (f"{lang}/incident-form.pdf", participants), (f"{lang}/glossary.pdf", participants)]
    base = f"{lang}/workshops/{track.id}"
    wanted += [(f"{base}/agenda.pdf", participants + facilitators), (f"{base}/sign-in.pdf", 1),
               (f"{base}/evaluation.pdf", participants), (f"{base}/certificate.pdf", participants)]
    lines = []
    for path, copies in wanted:
        entry = outputs.get(path)
        if entry is None:
            diags.error(None, f"{path} is not in the last build: build it first (python build.py --lang {lang})")
            continue
        pages = entry["pages"]
        # Certificates are printed one-sided; everything else double-sided.
        per_copy = pages if entry["kind"] == "certificate" else math.ceil(pages / 2)
        lines.append(PrintLine(path, copies, pages, per_copy * copies))
    return lines


def format_plan(lines: list[PrintLine], track_id: str, participants: int) -> str:
    """A plain table a facilitator can take to the print shop."""
    width = max((len(line.path) for line in lines), default=10)
    rows = [f"Print plan for {track_id}, {participants} participants (double-sided; certificates one-sided)",
            f"{'file':<{width}}  {'copies':>6}  {'pages':>5}  {'sheets':>6}"]
    rows += [f"{line.path:<{width}}  {line.copies:>6}  {line.pages:>5}  {line.sheets:>6}" for line in lines]
    rows.append(f"{'total':<{width}}  {sum(l.copies for l in lines):>6}  {'':>5}  {sum(l.sheets for l in lines):>6}")
    return "\n".join(rows)
