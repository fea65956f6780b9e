"""Translation freshness: is each translated block current, stale or missing?

A translation file records, in its top-level `translated_from:` mapping, the fingerprint of
the source text each block was translated from (`TextBlock.fingerprint`). When the source
text changes its fingerprint changes, so the translation is known to be stale until a
translator brings it up to date and records the new fingerprint (`build.py translated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostics
from .i18n import translations
from .markup import PendingText
from .model import Curriculum, TextSet
from .texts import TRANSLATED_FROM


def N_(message: str) -> str:
    """Mark a string for the catalog (babel.cfg extracts taller/**.py); translated later."""
    return message


# The mark printed after a missing or stale translation; an English msgid, translated
# through the interface catalog (content/locales/<lang>/LC_MESSAGES/messages.po).
PENDING_MARK = N_("(translation pending)")


class State(Enum):
    """Where a translated block stands against its source."""

    CURRENT = "current"
    STALE = "stale"
    MISSING = "missing"


def state(source: TextSet, translation: TextSet | None, key: str) -> State:
    """The state of `key` (a key of `source`) in `translation`."""
    block = translation.blocks.get(key) if translation else None
    if block is None:
        return State.MISSING
    recorded = translation.translated_from.get(key)
    # No fingerprint at all counts as stale: nobody has said it matches the source.
    if recorded is None or recorded.value != source.blocks[key].fingerprint():
        return State.STALE
    return State.CURRENT


def check_freshness(source: TextSet, translation: TextSet, diags: Diagnostics) -> None:
    """Warn about stale blocks of `translation` and fingerprints recorded for unknown keys.

    Missing blocks are reported by `texts.check_textset`, which knows the schema.
    """
    for key, block in translation.blocks.items():
        if key in source.blocks and state(source, translation, key) is State.STALE:
            diags.warning(block.loc, f"stale translation of {key} (source changed at {source.blocks[key].loc})")
    for key, recorded in translation.translated_from.items():
        if key not in source.blocks:
            diags.warning(recorded.loc, f"unknown key in {TRANSLATED_FROM}: {key}")


def display_text(cur: Curriculum, unit: str, lang: str, key: str, default: str | tuple,
                 mark: str) -> str | tuple[str, ...]:
    """The text to print for `key`: the translation, or a marked stand-in when it is not current.

    A missing block prints the source text and a stale one the old translation, each
    followed by `mark`, so a build never stops for a translation that is behind.
    """
    by_lang = cur.texts.get(unit, {})
    translation, source = by_lang.get(lang), by_lang.get(cur.source_language)
    block = translation.blocks.get(key) if translation else None
    if lang == cur.source_language or source is None or key not in source.blocks:
        return block.value if block else default
    found = state(source, translation, key)
    if found is State.CURRENT:
        return block.value
    value = source.blocks[key].value if found is State.MISSING else block.value
    if isinstance(value, tuple):
        return tuple(PendingText(item, mark) for item in value)
    return PendingText(value, mark)


@lru_cache(maxsize=None)
def pending_mark(content: Path, lang: str) -> str:
    """The pending mark in `lang` ("(traducción pendiente)" in Spanish), from its catalog."""
    return translations(content, lang).gettext(PENDING_MARK)


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
    header = ("blocks", "current", "stale", "missing", "coverage")
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
        name = f"{lang} (source)" if lang == cur.source_language else lang
        summary.append((name, total))
    parts = [_table("language", header, summary)]
    for lang in langs:
        if lang == cur.source_language:
            continue
        rows = list(per_lang[lang].items())
        total = Coverage()
        for _, row in rows:
            total.add(row)
        parts.append(_table(lang, header, rows + [("total", total)]))
    return "\n\n".join(parts) + "\n"


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
