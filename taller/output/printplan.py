"""What to print for a workshop, said for the print shop: each material by its printed
title, copies, pages and sheets, how to print it (one side, or both and which edge to flip
on), how to cut the cards, and the sheets of each paper size.

The pages are those of the documents a build makes, laid out the same way (the pipeline
renders what a plan lists, or takes it from the render cache), never a previous build's
manifest: a plan is right before any build and after any edit. Copies come from each
kind's print rule (kinds/). The same plan is printed by `plan` and made into a one-page PDF
for the print shop by the `print-plan` kind.
"""

from __future__ import annotations

import html
import io
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..messages import _, ngettext
from ..render.sheets import CARDS_PER_SHEET, SHEETS_MM
from ..views.workshop import workshop

if TYPE_CHECKING:
    from ..content.model import Track
    from ..kinds.base import Artifact
    from ..render.weasy import Rendered
    from ..views.base import LanguageView

# How a material is printed (the template and the terminal each say it in their language).
ONE_SIDE, LONG_EDGE, SHORT_EDGE = "one-side", "long-edge", "short-edge"
FACILITATORS = 2  # when nobody says how many: the plan command's default too


@dataclass(frozen=True)
class Listed:
    """One output as a listing sees it: its printed title, its pages and its sheet."""

    artifact: Artifact
    title: str
    pages: int
    size_mm: tuple[int, int]  # of its first page: width, height


def describe(artifact: Artifact, source, rendered: Rendered) -> Listed:
    """`artifact` as rendered: the title it prints (its HTML's <title>, in its language)
    and its first page's size, read from the PDF (a certificate is landscape)."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(rendered.pdf)).pages[0]
    size = round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72)
    text = getattr(source, "html", None) or source.front  # a joined document: its front's title
    found = re.search(r"<title>(.*?)</title>", text, re.S)
    title = " ".join(html.unescape(found.group(1)).split()) if found else artifact.path
    return Listed(artifact, title, rendered.pages, size)


@dataclass(frozen=True)
class PrintLine:
    """One material of the plan."""

    title: str
    path: str          # relative to OUT, for whoever prints from the folder
    copies: int
    pages: int         # of one copy (sides of the sheet for cards)
    sheets: int        # of paper, for every copy
    paper: str         # "A4", "letter", or "W × H mm"
    sides: str         # ONE_SIDE, LONG_EDGE or SHORT_EDGE
    cards: int = 0     # cards to cut from each sheet (0: nothing to cut)
    group: str = ""    # one of a module kind's files: the kind's label (a msgid), under which
    module: str = ""   # its module's title is enough (the one-page PDF: one line each)

    @property
    def printed_sides(self) -> int:
        """Sides printed for every copy (what print shops count)."""
        return self.copies * self.pages


@dataclass(frozen=True)
class Total:
    """The sheets of one paper size."""

    paper: str
    sheets: int
    printed_sides: int


@dataclass(frozen=True)
class PrintPlan:
    """What one workshop of a track prints, in one language, for so many people."""

    track: str
    title: str
    lang: str
    participants: int
    facilitators: int
    days: int
    lines: tuple[PrintLine, ...]

    @property
    def groups(self) -> list[tuple[str, list[PrintLine]]]:
        """The lines in order, those of one module kind together under its label ("" for
        the others, each on its own)."""
        groups: list[tuple[str, list[PrintLine]]] = []
        for line in self.lines:
            if groups and line.group and groups[-1][0] == line.group:
                groups[-1][1].append(line)
            else:
                groups.append((line.group, [line]))
        return groups

    @property
    def cut(self) -> list[PrintLine]:
        """The materials to cut into cards once printed."""
        return [line for line in self.lines if line.cards]

    @property
    def totals(self) -> list[Total]:
        """Sheets per paper size, largest first: unlike materials are never added as "copies"."""
        by_paper: dict[str, list[PrintLine]] = {}
        for line in self.lines:
            by_paper.setdefault(line.paper, []).append(line)
        totals = [Total(paper, sum(x.sheets for x in lines), sum(x.printed_sides for x in lines))
                  for paper, lines in by_paper.items()]
        return sorted(totals, key=lambda t: -t.sheets)


def paper_name(size_mm: tuple[int, int]) -> str:
    """The paper a page of `size_mm` is printed on, either way round."""
    for name, sheet in SHEETS_MM.items():
        if sorted(size_mm) == sorted(round(d) for d in sheet):
            return name
    return f"{size_mm[0]} × {size_mm[1]} mm"


def plan(view: LanguageView, track: Track, listed: list[Listed], participants: int | None = None,
         facilitators: int | None = None) -> PrintPlan:
    """The plan of `track` in `view`'s language from what it prints (`listed`); without
    `participants`, for the largest group its sessions are written for."""
    shown = workshop(view, track)
    participants = participants or int(shown["group_max"])
    facilitators = facilitators or FACILITATORS
    lines = []
    for item in listed:
        rule = item.artifact.kind.print_rule
        copies = rule.copies(participants, facilitators)
        landscape = item.size_mm[0] > item.size_mm[1]
        sides = ONE_SIDE if rule.one_sided or item.pages == 1 else SHORT_EDGE if landscape else LONG_EDGE
        sheets = copies * (item.pages if sides == ONE_SIDE else math.ceil(item.pages / 2))
        cards = CARDS_PER_SHEET if item.artifact.variant.impose == "cards" else 0
        module = item.artifact.module  # one file of a per-module kind: grouped under the kind's label
        group, module = ("", "") if module is None else (
            item.artifact.kind.label, str(view.text(view.cur.module(module).unit, "title")))
        lines.append(PrintLine(item.title, item.artifact.path, copies, item.pages, sheets,
                               paper_name(item.size_mm), sides, cards, group, module))
    return PrintPlan(track.id, str(shown["title"]), view.lang, participants, facilitators, len(shown["days"]),
                     tuple(lines))


def how(line: PrintLine) -> str:
    """How to print `line` (its sides), in the interface language, in a few words."""
    return {ONE_SIDE: _("one side"), LONG_EDGE: _("both, long edge"), SHORT_EDGE: _("both, short edge")}[line.sides]


def format_plan(printed: PrintPlan) -> str:
    """The plan as a plain table, in the interface language, for the terminal: the numbers
    first, the title (of any length) last."""
    from ..language.catalogs import language_name  # Babel: only when a plan is shown

    head = [
        ngettext("Print plan: {title} ({track}), {days} day", "Print plan: {title} ({track}), {days} days",
                 printed.days).format(title=printed.title, track=printed.track, days=printed.days),
        ngettext("For {participants} participant", "For {participants} participants", printed.participants).format(
            participants=printed.participants) + ", " + ngettext(
            "{facilitators} facilitator", "{facilitators} facilitators", printed.facilitators).format(
            facilitators=printed.facilitators) + "; " + _("materials in {language}").format(
            language=language_name(printed.lang)),
    ]
    names = [_("copies"), _("pages"), _("sheets"), _("paper"), _("sides"), _("material")]
    rows = [[str(line.copies), str(line.pages), str(line.sheets), line.paper, how(line), line.title]
            for line in printed.lines]
    widths = [max(len(row[n]) for row in [names, *rows]) for n in range(5)]

    def row(cells: list[str]) -> str:
        numbers = "  ".join(cell.rjust(width) for cell, width in zip(cells[:3], widths))
        return f"{numbers}  {cells[3].ljust(widths[3])}  {cells[4].ljust(widths[4])}  {cells[5]}"

    notes = []
    if printed.cut:
        notes.append(_("Cards: once printed, cut along the marks, {cards} cards a sheet: {titles}").format(
            cards=printed.cut[0].cards, titles=", ".join(line.title for line in printed.cut)))
    totals = [ngettext("Total on {paper}: {sheets} sheet ({sides} printed sides)",
                       "Total on {paper}: {sheets} sheets ({sides} printed sides)", total.sheets).format(
                           paper=total.paper, sheets=total.sheets, sides=total.printed_sides)
              for total in printed.totals]
    return "\n".join([*head, "", row(names), *(row(cells) for cells in rows), "", *notes, *totals])
