"""`status`: how much of each translation is current, stale or missing, as plain tables."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Curriculum, TextSet
from ..messages import _
from .freshness import State, state


@dataclass
class Coverage:
    """How much of one unit (or of a whole language) is translated."""

    blocks: int = 0
    current: int = 0
    stale: int = 0
    missing: int = 0

    def add(self, other: Coverage) -> None:
        self.blocks += other.blocks
        self.current += other.current
        self.stale += other.stale
        self.missing += other.missing

    @property
    def percent(self) -> int:
        # Rounded down, so 99.6 % never shows as a finished 100 %.
        return 100 if not self.blocks else self.current * 100 // self.blocks


def coverage(source: TextSet, translation: TextSet | None) -> Coverage:
    """Count the source's blocks by their state in `translation` (None: no file)."""
    result = Coverage(blocks=len(source.blocks))
    for key in source.blocks:
        found = state(source, translation, key)
        if found is State.CURRENT:
            result.current += 1
        elif found is State.STALE:
            result.stale += 1
        else:
            result.missing += 1
    return result


def status_table(cur: Curriculum, langs: list[str]) -> str:
    """Plain aligned text: one summary row per language, then one table of units per translation."""
    header = (_("blocks"), _("current"), _("stale"), _("missing"), _("coverage"))
    units = sorted(cur.texts, key=_unit_order)
    per_lang: dict[str, dict[str, Coverage]] = {}
    for lang in langs:
        rows = {}
        for unit in units:
            source = cur.texts[unit].get(cur.source_language)
            if source is None:
                continue  # an unreadable source file was reported as an error
            if lang == cur.source_language:
                rows[unit] = Coverage(len(source.blocks), len(source.blocks))  # the source is its own truth
            else:
                rows[unit] = coverage(source, cur.texts[unit].get(lang))
        per_lang[lang] = rows
    summary = []
    for lang in langs:
        total = Coverage()
        for row in per_lang[lang].values():
            total.add(row)
        summary.append((_label(cur, lang), total))
    parts = [_table(_("language"), header, summary)]
    for lang in langs:
        if lang == cur.source_language:
            continue
        rows = list(per_lang[lang].items())
        total = Coverage()
        for _unit, row in rows:
            total.add(row)
        parts.append(_table(_label(cur, lang), header, rows + [(_("total"), total)]))
    return "\n\n".join(parts) + "\n"


def _label(cur: Curriculum, lang: str) -> str:
    """A language as the tables name it: the source, and a language still being translated, say so."""
    if lang == cur.source_language:
        return _("{lang} (source)").format(lang=lang)
    return _("{lang} (in progress)").format(lang=lang) if cur.in_progress(lang) else lang


def _unit_order(unit: str) -> tuple[int, str]:
    # Shared units first, then modules; the module order of the manual is in curriculum.yaml
    # but a stable alphabetical order is easier to scan in a terminal.
    return (1 if unit.startswith("modules/") else 0, unit)


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, Coverage]]) -> str:
    cells = [[title, *header]]
    for name, c in rows:
        cells.append([name, str(c.blocks), str(c.current), str(c.stale), str(c.missing), f"{c.percent}%"])
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)
