"""A document's fonts made smaller together with the content that shows them.

Every font WeasyPrint embeds (`fontprograms.weasyprint_program`) loses the tables no
reader reads, and its text map is written in ranges. When every content stream that
shows text in it was read (`pagecontent.parse`), and nothing else uses it (a form field's
appearance or default resources, a pattern), it goes further:

- its glyphs are numbered from 0 in their order, the content's codes with them, and its
  widths (`/W`) and text map follow: the subset WeasyPrint embeds keeps the whole font's
  glyph ids, so most of its `loca`, `hmtx` and `/W` were for glyphs it does not have;
- when the document shows enough glyphs for it to pay (the CMap costs what a few
  thousand glyphs save), fonts of at most 256 glyphs take one byte a glyph instead of
  two, through one embedded CMap.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fontprograms
from .glyphcodes import glyph_count, shown

# One byte a glyph saves a few bytes a hundred glyphs once deflated and costs the one-byte
# CMap: measured on the curriculum, a document showing fewer glyphs is smaller with two.
NARROW_FROM = 4000


@dataclass
class Showing:
    """A content stream as `documentfonts` sees it: its fonts by resource name (`b"/F1"`)
    and its instructions (None when it could not be read)."""

    fonts: dict
    instructions: list | None


def lighten(pdf, showings: list[Showing], used_elsewhere: set) -> list[dict]:
    """Rewrite the fonts of `showings` (and `used_elsewhere`'s, object ids of fonts that
    something not among them draws with, only lighter); for each showing, the new codes
    of its renumbered fonts by resource name, as `glyphcodes.recode` takes them."""
    fonts: dict = {}
    codes: dict = {}  # font object id → codes shown, for fonts every showing could read
    blocked = set(used_elsewhere)
    known = True
    glyphs = 0
    for showing in showings:
        found = shown(showing.instructions) if showing.instructions is not None else None
        for name, font in showing.fonts.items():
            fonts[font.objgen] = font
            if found is None or found.get(name, set()) is None:
                blocked.add(font.objgen)
            elif name in found:
                codes.setdefault(font.objgen, set()).update(found[name])
        if found is not None:
            known &= set(found) <= set(showing.fonts)  # a font this does not find (inherited resources)
            glyphs += glyph_count(showing.instructions)
    programs = [fontprograms.weasyprint_program(font) for font in fonts.values()]
    shared = {p.objgen for p in programs if p is not None and sum(q is not None and q.objgen == p.objgen
                                                                 for q in programs) > 1}
    renumbered, drawn_codes = {}, {}
    for (objgen, font), program in zip(fonts.items(), programs):
        if program is None:
            continue
        cid_font = font.DescendantFonts[0]
        widths = fontprograms.widths(cid_font)
        renumber = known and objgen not in blocked and program.objgen not in shared and widths is not None \
            and _text_map(font) is not None
        original = program.read_bytes()
        drawn = set(widths or ()) | codes.get(objgen, set())
        holes = _holes(drawn, _text_map(font)) if renumber else set()
        lean = fontprograms.lean_program(original, drawn | holes) if renumber else None
        if lean is None or not drawn <= set(lean[1]):  # a code with no glyph: keep the ids
            lean = fontprograms.lean_program(original)
        if lean is None:
            continue
        data, mapping = lean
        program.write(data)
        program.Length1 = len(data)
        if mapping is not None:
            renumbered[objgen] = mapping
            drawn_codes[objgen] = {mapping[c] for c in drawn}
            # A hole is never drawn: its width 0 only keeps the run of widths unbroken.
            cid_font.W = fontprograms.written_widths({**{mapping[c]: 0 for c in holes if c in mapping},
                                                      **{mapping[c]: w for c, w in widths.items() if c in mapping}})
    one_byte = glyphs >= NARROW_FROM and renumbered and all(len(m) <= 256 for m in renumbered.values())
    encoding = fontprograms.one_byte_cmap(pdf) if one_byte else None
    for objgen, font in fonts.items():
        text = _text_map(font)
        if text is None:
            continue
        mapping = renumbered.get(objgen)
        if mapping is not None:
            text = {mapping[c]: t for c, t in text.items() if c in mapping}
            if one_byte:
                font.Encoding = encoding
        widths = fontprograms.widths(font.DescendantFonts[0]) if "/DescendantFonts" in font else None
        drawn = drawn_codes.get(objgen, set(widths) if widths is not None else None)
        font.ToUnicode.write(fontprograms.written_text_map(text, 1 if mapping is not None and one_byte else 2, drawn))
    width = 1 if one_byte else 2
    return [{name: (renumbered[font.objgen], width) for name, font in showing.fonts.items()
             if font.objgen in renumbered} for showing in showings]


HOLE = 3  # the most unused glyphs kept between two drawn ones to keep a text map's range


def _holes(drawn: set[int], text: dict[int, bytes]) -> set[int]:
    """Unused glyph ids kept (empty) between two drawn glyphs whose text counts up with
    their ids (`C` and `E` two apart, `D` not drawn): one text map range for both instead
    of two lines, for the price of an empty glyph."""
    holes: set[int] = set()
    order = sorted(c for c in drawn if c in text)
    for low, high in zip(order, order[1:]):
        a, b = text[low], text[high]
        if 1 < high - low <= HOLE + 1 and len(a) == len(b) and a[:-1] == b[:-1] and b[-1] - a[-1] == high - low:
            holes.update(range(low + 1, high))
    return holes


def _text_map(font) -> dict[int, bytes] | None:
    from pikepdf import Stream

    to_unicode = font.get("/ToUnicode")
    return fontprograms.text_map(to_unicode.read_bytes()) if isinstance(to_unicode, Stream) else None
