"""The glyph codes a content stream shows, font by font, and the same strings written with
new codes (a font renumbered, or one byte a glyph): the content's side of `documentfonts`.

Strings are WeasyPrint's two-byte codes (`Identity-H`: the code is the glyph id). The font
in use is followed through `Tf` and the graphics state stack (`q` … `Q`).
"""

from __future__ import annotations

from .pagecontent import Glyphs, Instruction

_SHOWS = frozenset({b"Tj", b"TJ", b"'", b'"'})


def shown(instructions: list[Instruction]) -> dict[bytes, set[int] | None] | None:
    """Each font the stream sets (by resource name) and the two-byte codes it shows with
    it, or None for a font with a string of odd length; None for the whole stream when it
    shows a string in a font it does not set itself (a form drawn with its caller's font)."""
    fonts: dict[bytes, set[int] | None] = {}
    for font, strings in _showings(instructions):
        if font is None:
            return None
        codes = fonts.setdefault(font, set())
        if codes is None:
            continue
        for glyphs in strings:
            if len(glyphs) % 2:
                fonts[font] = None
                break
            codes.update(int.from_bytes(glyphs[i:i + 2], "big") for i in range(0, len(glyphs), 2))
    return fonts


def glyph_count(instructions: list[Instruction]) -> int:
    """How many two-byte glyph codes the stream shows, in any font."""
    return sum(len(glyphs) for _, strings in _showings(instructions) for glyphs in strings) // 2


def recode(instructions: list[Instruction], codes: dict[bytes, tuple[dict[int, int], int]]) -> None:
    """Each string shown in a font of `codes` (by resource name: new code of each old
    two-byte code, and how many bytes a new code takes) written with the new codes."""
    current: bytes | None = None
    stack: list = []
    for operands, operator in instructions:
        if operator == b"q":
            stack.append(current)
        elif operator == b"Q":
            current = stack.pop() if stack else None
        elif operator == b"Tf" and operands:
            current = operands[0]
        elif operator in _SHOWS and current in codes:
            mapping, width = codes[current]
            for i, operand in enumerate(operands):
                if isinstance(operand, Glyphs):
                    operands[i] = _recoded(operand, mapping, width)
                elif isinstance(operand, list):
                    operand[:] = [_recoded(item, mapping, width) if isinstance(item, Glyphs) else item
                                  for item in operand]


def _recoded(glyphs: bytes, mapping: dict[int, int], width: int) -> Glyphs:
    return Glyphs(b"".join(mapping[int.from_bytes(glyphs[i:i + 2], "big")].to_bytes(width, "big")
                           for i in range(0, len(glyphs), 2)))


def _showings(instructions: list[Instruction]):
    """(font in use or None, the strings) for each operator that shows text."""
    current: bytes | None = None
    stack: list = []
    for operands, operator in instructions:
        if operator == b"q":
            stack.append(current)
        elif operator == b"Q":
            current = stack.pop() if stack else None
        elif operator == b"Tf" and operands:
            current = operands[0]
            yield current, []
        elif operator in _SHOWS:
            yield current, [s for o in operands for s in (o if isinstance(o, list) else [o]) if isinstance(s, Glyphs)]
