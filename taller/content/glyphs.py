"""What the bundled fonts can print: which characters, and how wide a line of them is.

A character none of the bundled fonts has would print as an empty box (or, were the
machine's fonts visible, in whatever font that machine has: other bytes on another
computer). So it is an error at the line that has it, before anything renders.

Content is the lowest stage, so the one list of font files lives here; render/fonts.py
gives the same list to the renderer, the render cache and the no-op build stamp.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..messages import _

PRIMARY_FAMILY = "Atkinson Hyperlegible"  # made for low vision: every text is set in it
FALLBACK_FAMILY = "Noto Sans"  # only for what Atkinson lacks (the Quechua and Aymara ʼ)


def primary_font_dir() -> Path:
    """Atkinson Hyperlegible's folder (a pinned Python package, not the machine's fonts)."""
    import fontpkg_atkinson_hyperlegible as fonts

    return Path(fonts.__file__).resolve().parent / "files"


def fallback_font_dir() -> Path:
    """Noto Sans's folder: its upright and italic variable faces (the renderer makes the
    weights it uses into static fonts before embedding them)."""
    import fontpkg_noto_sans as fonts

    return Path(fonts.__file__).resolve().parent / "files"


def font_files() -> list[Path]:
    """Every font file an output may embed: Atkinson's four faces, then Noto Sans's two."""
    return sorted(primary_font_dir().glob("*.ttf")) + sorted(fallback_font_dir().glob("*.ttf"))


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """The code points some bundled font has (the union of their cmaps): the renderer falls
    back from face to face, so a character any of them has is printed."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            points.update(font["cmap"].getBestCmap())
    return frozenset(points)


def _needs_glyph(char: str) -> bool:
    """Line breaks and tabs become spaces or breaks; format characters (soft hyphen, zero-width
    joiners, a byte-order mark) and variation selectors print as nothing. Characters YAML
    itself refuses (C0/C1 controls, DEL) are reported by the YAML reader, not twice here."""
    if char in "\t\n\r\x85":
        return False
    point = ord(char)
    if point < 0x20 or 0x7F <= point < 0xA0:
        return False
    if 0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF:
        return False
    return unicodedata.category(char) not in ("Cf", "Cs")


def uncovered(text: str) -> set[str]:
    """The characters of `text`, as written, that no bundled font can print."""
    covered = coverage()
    return {char for char in set(text) if ord(char) not in covered and _needs_glyph(char)}


# What else turns into a character on the page: a YAML double-quoted escape ("\u02BC") and
# an HTML character reference, which the Markdown of prose decodes ("&#x1F600;", "&hearts;").
_WRITTEN_AS = re.compile(r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})"
                         r"|&#([0-9]{1,7});|&#[xX]([0-9A-Fa-f]{1,6});|&([A-Za-z][A-Za-z0-9]{1,31});")


def _written_as(text: str) -> dict[int, str]:
    """Characters written as escapes or references: {offset of the escape: character}."""
    if "\\" not in text and "&" not in text:
        return {}
    from html.entities import html5

    found = {}
    for match in _WRITTEN_AS.finditer(text):
        hex2, hex4, hex8, dec, hexref, name = match.groups()
        if name is not None:
            char = html5.get(name + ";", "")
        else:
            point = int(dec, 10) if dec is not None else int(hex2 or hex4 or hex8 or hexref, 16)
            char = chr(point) if point <= 0x10FFFF else ""
        for c in char:  # a named reference may stand for two characters
            found.setdefault(match.start(), c)
    return found


def check_text(text: str, display: str, diags: Diagnostics) -> None:
    """An error at the first line of `text` (a decoded content file) that uses each
    character no bundled font has: once per character and file, so a file full of
    emoji gives one line per emoji, not one per use."""
    missing = uncovered(text)
    escaped = _written_as(text)
    escaped_missing = uncovered("".join(escaped.values()))
    if not missing and not escaped_missing:
        return
    first: dict[str, int] = {char: text.index(char) for char in missing}
    for offset, char in sorted(escaped.items()):
        if char in escaped_missing and offset < first.get(char, len(text)):
            first[char] = offset
    for char, offset in sorted(first.items(), key=lambda item: item[1]):
        line = text.count("\n", 0, offset) + 1
        name = unicodedata.name(char, _("no name"))
        diags.error(Location(display, line), _("character {code} ({name}) is not in the bundled fonts; it would print "
                                               "as an empty box: write it another way, or ask for a font that has "
                                               "it").format(code=f"U+{ord(char):04X}", name=name))


# The certificate's name line. Measured here, at the content stage, so that reading the
# participants can report a name too long for it by its line in the file; the certificate's
# template is given the same numbers (kinds/certificate.py).
NAME_LINE_MM = 150   # fits A4 and letter landscape alike, inside the page margins
NAME_PT = 22         # a name is set this large when it fits
NAME_FLOOR_PT = 12   # and made smaller, down to this, when it does not; below it, an error
_NAME_FACE = "AtkinsonHyperlegible-Bold.ttf"  # names are bold
_FALLBACK_UPRIGHT = "NotoSans[wdth,wght].ttf"  # its default instance: regular, normal width
_SAFETY = 0.97       # a little room for what the measure ignores (kerning, rounding)
_PT_PER_MM = 72 / 25.4


@lru_cache(maxsize=1)
def _bold_advances() -> tuple[dict[int, float], dict[int, float]]:
    """Advance widths in em of the bold name face and of the fallback's upright face."""
    from fontTools.ttLib import TTFont

    tables = []
    for path in (primary_font_dir() / _NAME_FACE, fallback_font_dir() / _FALLBACK_UPRIGHT):
        with TTFont(path, lazy=True) as font:
            upem, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
            tables.append({point: metrics[glyph][0] / upem for point, glyph in font["cmap"].getBestCmap().items()})
    return tables[0], tables[1]


def name_width_pt(name: str, size_pt: float) -> float:
    """The width of `name` in the bold name face at `size_pt` (the fallback's advance for a
    character the face lacks, an em for one neither has: too wide rather than too narrow)."""
    primary, fallback = _bold_advances()
    return size_pt * sum(primary.get(ord(c), fallback.get(ord(c), 1.0)) for c in name)


def name_size_pt(name: str) -> float | None:
    """The font size that puts `name` on one name line: the nominal size if it fits, else
    the largest size that does (in tenths of a point), or None below the floor."""
    room = NAME_LINE_MM * _PT_PER_MM * _SAFETY
    width = name_width_pt(name, NAME_PT)
    if width <= room:
        return float(NAME_PT)
    size = int(NAME_PT * room / width * 10) / 10  # rounded down: a size that fits
    return size if size >= NAME_FLOOR_PT else None
