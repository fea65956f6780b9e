"""What to print for a workshop: every file, how many copies, and the sheets of paper it takes.

Reads the manifest of a build (pages per file), so the numbers match what was built; the
files and copies come from each kind's print rule (kinds/). Sheets count double-sided
printing: a 5-page handout takes 3 sheets; a kind printed one-sided takes a sheet a page.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, Location

if TYPE_CHECKING:
    from ..kinds.base import Artifact


@dataclass(frozen=True)
class PrintLine:
    path: str
    copies: int
    pages: int
    sheets: int


def print_plan(printed: list[Artifact], out: Path, lang: str, participants: int, facilitators: int,
               diags: Diagnostics) -> list[PrintLine]:
    """The print list of `printed` (the files of one track in one language, kinds/base.printed_for)."""
    manifest = out / "manifest.json"
    try:
        outputs = {o["path"]: o for o in json.loads(manifest.read_text(encoding="utf-8"))["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        diags.error(Location(str(manifest)), "no build found: run `python build.py` first")
        return []
    lines = []
    for artifact in printed:
        entry = outputs.get(artifact.path)
        if entry is None:
            diags.error(None, f"{artifact.path} is not in the last build: build it first (python build.py --lang {lang})")
            continue
        rule = artifact.kind.print_rule
        copies, pages = rule.copies(participants, facilitators), entry["pages"]
        per_copy = pages if rule.one_sided else math.ceil(pages / 2)
        lines.append(PrintLine(artifact.path, copies, pages, per_copy * copies))
    return lines


def format_plan(lines: list[PrintLine], track_id: str, participants: int) -> str:
    """A plain table a facilitator can take to the print shop."""
    width = max((len(line.path) for line in lines), default=10)
    rows = [f"Print plan for {track_id}, {participants} participants (double-sided; certificates one-sided)",
            f"{'file':<{width}}  {'copies':>6}  {'pages':>5}  {'sheets':>6}"]
    rows += [f"{line.path:<{width}}  {line.copies:>6}  {line.pages:>5}  {line.sheets:>6}" for line in lines]
    rows.append(f"{'total':<{width}}  {sum(line.copies for line in lines):>6}  {'':>5}  {sum(line.sheets for line in lines):>6}")
    return "\n".join(rows)
