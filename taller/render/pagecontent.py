"""Page content said in fewer bytes: the same drawing, the same marked content, in order.

A content stream is read into instructions (operands and an operator) and written back
after these rewrites, each of which draws exactly what was drawn before:

- numbers of 1 and more rounded to `decimals` (2 on a page: a two-hundredth of a CSS
  pixel; 3 in a form or where a `cm` scales up, which would scale the rounding with it);
  font sizes and numbers below 1 (a matrix's scale, a colour) stay as they are;
- a glyph run's strings joined where the adjustment between them is 0, written as literal
  strings (half the bytes of hex), a run of one string shown with `Tj`;
- a drawing (a `q` … `Q` of paths, clips, fills, strokes and their colours, widths and
  dashes: a border, a tick box, a step's circle) drawn at its first point with a `cm`
  translation, so the same shape anywhere on the page is the same bytes, which deflate
  stores once. The translation is exact (decimal arithmetic on the numbers as written);
- neighbouring text objects (WeasyPrint writes one `BT` … `ET` for each line, each inside
  its marked content) become one text object holding the lines' marked content; a `Tf`,
  colour or `gs` that sets what the text object already has set is dropped;

A stream with anything this does not read (a literal string, a comment, an inline image,
a nested dictionary) is left as it is; so is one compacted before (its strings are
literal), which keeps compaction safe to run twice.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Tokens: an inline dictionary (flat), a hex string, array brackets, a name, a number or
# operator; `\S` last catches what none of them reads (a literal string, a comment).
_TOKENS = re.compile(rb"<<.*?>>|<[0-9A-Fa-f\s]*>|[\[\]]|/[^\s/<>\[\]()%{}]*|[^\s/<>\[\]()%{}]+|\S", re.S)
_OPERAND_START = frozenset(b"/<+-.0123456789")
_KEYWORDS = {b"true", b"false", b"null"}
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")


class Glyphs(bytes):
    """The bytes of a string operand (glyph codes), as opposed to a token as written."""


Instruction = tuple[list, bytes]  # operands (tokens, Glyphs, or lists of them for arrays), operator


def parse(data: bytes) -> list[Instruction] | None:
    """The stream's instructions, or None when it holds what this module does not read."""
    if b"(" in data or b"%" in data or _INLINE_IMAGE.search(data):
        return None
    instructions: list[Instruction] = []
    operands: list = []
    array: list | None = None
    for token in _TOKENS.findall(data):
        first = token[0]
        if token == b"[":
            if array is not None:
                return None  # an array in an array: no operator takes one
            array = []
        elif token == b"]":
            if array is None:
                return None
            operands.append(array)
            array = None
        elif first == 0x3C:  # <
            if token.startswith(b"<<"):
                if token.count(b"<<") > 1 or array is not None:
                    return None
                (array if array is not None else operands).append(token)
            elif token.endswith(b">") and len(token) > 1:
                hexdigits = re.sub(rb"\s", b"", token[1:-1])
                if len(hexdigits) % 2:
                    hexdigits += b"0"
                (array if array is not None else operands).append(Glyphs(bytes.fromhex(hexdigits.decode("ascii"))))
            else:
                return None
        elif len(token) == 1 and token in b"()%{}>":
            return None
        elif array is not None:
            array.append(token)
        elif first in _OPERAND_START or token in _KEYWORDS:
            operands.append(token)
        else:
            instructions.append((operands, token))
            operands = []
    if operands or array is not None:
        return None
    return instructions


def serialize(instructions: list[Instruction]) -> bytes:
    """The instructions as a content stream, with a separator only where two tokens would
    otherwise run together (`/Span<</MCID 3>>BDC`, `0 0 m`)."""
    out = bytearray()
    for operands, operator in instructions:
        separator = b"\n"
        for part in [_operand(o) for o in operands] + [operator]:
            if out and out[-1] not in _DELIMITERS and part[0] not in _DELIMITERS:
                out += separator
            out += part
            separator = b" "
    return bytes(out + b"\n")


_DELIMITERS = frozenset(b"()<>[]{}/%")


def _operand(operand) -> bytes:
    if isinstance(operand, Glyphs):
        return _literal(operand)
    if isinstance(operand, list):
        out = bytearray(b"[")
        previous_number = False
        for item in operand:
            number = not isinstance(item, Glyphs)
            if number and previous_number:
                out += b" "
            out += _literal(item) if not number else item
            previous_number = number
        return bytes(out + b"]")
    return operand


def _literal(glyphs: bytes) -> bytes:
    # Backslash and parentheses escaped; a bare CR would be read as a line end, LF is kept.
    escaped = glyphs.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r")
    return b"(" + escaped + b")"


def tighten(data: bytes, decimals: int = 3) -> bytes | None:
    """The stream with every rewrite of the module's docstring; None to leave it as it is."""
    instructions = parse(data)
    return None if instructions is None else serialize(rewritten(instructions, decimals))


def rewritten(instructions: list[Instruction], decimals: int) -> list[Instruction]:
    """Parsed instructions with the rewrites of the module's docstring."""
    if _enlarges(instructions):
        decimals = 3  # a drawing scaled up would scale the rounding up with it
    instructions = _translate_drawings(instructions, decimals)
    _round(instructions, decimals)
    _join_runs(instructions)
    return _merge_text(instructions)


# --- Numbers -----------------------------------------------------------------------------

def _enlarges(instructions: list[Instruction]) -> bool:
    """Whether a `cm` scales or skews by more than 1 (or cannot be read)."""
    for operands, operator in instructions:
        if operator == b"cm":
            try:
                if len(operands) != 6 or any(abs(float(n)) > 1 for n in operands[:4]):
                    return True
            except (TypeError, ValueError):
                return True
    return False


_LONG = {decimals: re.compile(rb"[-+]?[1-9]\d*\.\d{%d,}" % (decimals + 1)) for decimals in (2, 3)}


def _round(instructions: list[Instruction], decimals: int) -> None:
    """Numbers of 1 and more to `decimals`, except a font's size (a size a hair off moves
    the end of a long line)."""
    long = _LONG[decimals]
    for operands, operator in instructions:
        for i, operand in enumerate(operands):
            if operator == b"Tf" and i == 1:
                continue
            if isinstance(operand, list):
                for j, item in enumerate(operand):
                    if not isinstance(item, Glyphs) and long.fullmatch(item):
                        operand[j] = _short(item, decimals)
            elif not isinstance(operand, Glyphs) and long.fullmatch(operand):
                operands[i] = _short(operand, decimals)


def _short(number: bytes, decimals: int) -> bytes:
    """A number with at most `decimals` decimals, no trailing zeros."""
    return f"{float(number):.{decimals}f}".rstrip("0").rstrip(".").encode("ascii")


def _decimal(token) -> Decimal | None:
    if isinstance(token, (Glyphs, list)):
        return None
    try:
        return Decimal(token.decode("ascii"))
    except (InvalidOperation, UnicodeDecodeError):
        return None


def _written(number: Decimal) -> bytes:
    """A decimal as a PDF number: no exponent, no trailing zeros, no negative zero."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.encode("ascii")


# --- Glyph runs --------------------------------------------------------------------------

_ZERO = re.compile(rb"[-+]?(?:0+\.?0*|\.0+)")


def _join_runs(instructions: list[Instruction]) -> None:
    """`[<0013>0<0034>-15<002b>0] TJ` → `[(..)-15(.)] TJ`; one string → `(…) Tj`. An
    adjustment of 0 moves nothing, so the strings on either side of it are one string."""
    for index, (operands, operator) in enumerate(instructions):
        if operator != b"TJ" or len(operands) != 1 or not isinstance(operands[0], list):
            continue
        run: list = []
        for item in operands[0]:
            if isinstance(item, Glyphs):
                if run and isinstance(run[-1], Glyphs):
                    run[-1] = Glyphs(run[-1] + item)
                else:
                    run.append(item)
            elif not _ZERO.fullmatch(item):
                run.append(item)
        if len(run) == 1 and isinstance(run[0], Glyphs):
            instructions[index] = ([run[0]], b"Tj")
        else:
            operands[0] = run


# --- Drawings at their own origin ----------------------------------------------------------

_POINTS = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4}  # operands that are all x y pairs
_DRAWING = frozenset({b"m", b"l", b"c", b"v", b"y", b"h", b"re", b"S", b"s", b"f", b"F", b"f*", b"B", b"B*",
                      b"b", b"b*", b"n", b"W", b"W*", b"g", b"G", b"rg", b"RG", b"k", b"K", b"cs", b"CS",
                      b"sc", b"SC", b"scn", b"SCN", b"gs", b"w", b"J", b"j", b"M", b"d", b"ri", b"i", b"q", b"Q"})


def _translate_drawings(instructions: list[Instruction], decimals: int) -> list[Instruction]:
    """Each outermost `q` … `Q` that only draws paths (two path operators at least) gets
    its coordinates from its first point, and a `cm` to that point."""
    out: list[Instruction] = []
    i, count = 0, len(instructions)
    while i < count:
        if instructions[i][1] == b"q":
            end = _drawing_end(instructions, i)
            if end is not None:
                translated = _translated(instructions[i + 1:end], decimals)
                if translated is not None:
                    out.append(instructions[i])
                    out.extend(translated)
                    out.append(instructions[end])
                    i = end + 1
                    continue
        out.append(instructions[i])
        i += 1
    return out


def _drawing_end(instructions: list[Instruction], start: int) -> int | None:
    """The index of the `Q` closing the `q` at `start` when everything between only draws."""
    depth = 0
    for index in range(start, len(instructions)):
        operator = instructions[index][1]
        if operator not in _DRAWING:
            return None
        if operator == b"q":
            depth += 1
        elif operator == b"Q":
            depth -= 1
            if depth == 0:
                return index
    return None


def _translated(body: list[Instruction], decimals: int) -> list[Instruction] | None:
    """A drawing's body drawn from its first point: the point rounded to `decimals` goes
    into a `cm`, each coordinate becomes its distance from the point as written, rounded.
    The same shape anywhere is then the same numbers (rounding each coordinate where it
    lies would make a circle's numbers differ by a hundredth here and there); each point
    stays within a hundredth of a unit of where it was drawn."""
    paths = [(operands, operator) for operands, operator in body if operator in _POINTS or operator == b"re"]
    if len(paths) < 2 or len(paths[0][0]) < 2:
        return None
    start = [_decimal(t) for t in paths[0][0][:2]]
    if None in start:
        return None
    step = Decimal(1).scaleb(-decimals)
    moved = [([b"1", b"0", b"0", b"1", _written(start[0].quantize(step)), _written(start[1].quantize(step))], b"cm")]
    for operands, operator in body:
        if operator in _POINTS or operator == b"re":
            if len(operands) != _POINTS.get(operator, 4):
                return None
            numbers = [_decimal(t) for t in operands]
            if None in numbers:
                return None
            points = len(operands) if operator in _POINTS else 2  # a rectangle's size stays
            moved.append(([_written((n - start[k % 2]).quantize(step)) if k < points else operands[k]
                           for k, n in enumerate(numbers)], operator))
        else:
            moved.append((operands, operator))
    return moved


# --- Text objects ---------------------------------------------------------------------------

# Operators a text object may hold (PDF 32000-1, figure 9): text state and positioning,
# showing, colour, general graphics state, marked content.
_STATE = frozenset({b"Tc", b"Tw", b"Tz", b"TL", b"Tf", b"Ts", b"g", b"G", b"rg", b"RG", b"k", b"K", b"cs", b"CS",
                    b"sc", b"SC", b"scn", b"SCN", b"gs", b"w", b"J", b"j", b"M", b"d", b"ri", b"i"})
_IN_TEXT = _STATE | {b"Td", b"TD", b"Tm", b"T*", b"Tj", b"TJ", b"'", b'"', b"BMC", b"BDC", b"EMC", b"MP", b"DP"}
_POSITIONS = frozenset({b"Td", b"TD", b"T*", b"Tj", b"TJ", b"'", b'"'})  # what reads the matrix BT resets
_FILL = frozenset({b"g", b"rg", b"k", b"sc", b"scn"})
_STROKE = frozenset({b"G", b"RG", b"K", b"SC", b"SCN"})


def _merge_text(instructions: list[Instruction]) -> list[Instruction]:
    """Runs of text objects (each alone or alone in its marked content) as one text object."""
    if any(operator == b"Tr" for _, operator in instructions):
        return instructions  # a clipping render mode applies at ET: each text object counts
    out: list[Instruction] = []
    i, count = 0, len(instructions)
    while i < count:
        units = []
        end = _unit_end(instructions, i, first=True)
        if end is None:
            out.append(instructions[i])
            i += 1
            continue
        units.append((i, end))
        j = end + 1
        while True:
            k = j
            while k < count and instructions[k][1] in _STATE:
                k += 1
            nxt = _unit_end(instructions, k, first=False) if k < count else None
            if nxt is None:
                break
            units.append((j, nxt))  # the state between two units goes in with the second
            j = nxt + 1
        if len(units) == 1:
            out.extend(instructions[i:end + 1])
            i = end + 1
            continue
        merged: list[Instruction] = [([], b"BT")]
        for start, stop in units:
            merged.extend(ins for ins in instructions[start:stop + 1] if ins[1] not in (b"BT", b"ET"))
        merged.append(([], b"ET"))
        out.extend(_without_repeats(merged))
        i = j
    return out


def _unit_end(instructions: list[Instruction], start: int, first: bool) -> int | None:
    """Where a text unit starting at `start` ends: a `BT` … `ET`, or a marked-content
    sequence holding only state and one such text object. A unit after the first must set
    its matrix with `Tm` before it reads it (BT would have reset it)."""
    count = len(instructions)
    index = start
    marked = instructions[start][1] in (b"BDC", b"BMC")
    if marked:
        index += 1
        while index < count and instructions[index][1] in _STATE:
            index += 1
    if index >= count or instructions[index][1] != b"BT":
        return None
    depth, positioned = 0, first
    index += 1
    while index < count:
        operator = instructions[index][1]
        if operator == b"ET":
            break
        if operator not in _IN_TEXT:
            return None
        if operator in (b"BDC", b"BMC"):
            depth += 1
        elif operator == b"EMC":
            depth -= 1
            if depth < 0:
                return None
        elif operator == b"Tm":
            positioned = True
        elif operator in _POSITIONS and not positioned:
            return None
        index += 1
    else:
        return None
    if depth:
        return None
    if not marked:
        return index
    index += 1
    while index < count and instructions[index][1] in _STATE:
        index += 1
    if index < count and instructions[index][1] == b"EMC":
        return index
    return None


def _without_repeats(text: list[Instruction]) -> list[Instruction]:
    """A merged text object without the `Tf`, colours and `gs` that set what it already
    has set. Each line keeps its own `Tm`: a `Td` from the line before would land on the
    same point, but a renderer adding it up in floating point may round a line onto the
    next pixel."""
    out: list[Instruction] = []
    current: dict[bytes, tuple] = {}
    for operands, operator in text:
        key = b"fill" if operator in _FILL else b"stroke" if operator in _STROKE else \
            operator if operator in (b"Tf", b"gs", b"cs", b"CS") else None
        if key is not None:
            value = (operator, tuple(tuple(o) if isinstance(o, list) else bytes(o) for o in operands))
            if current.get(key) == value:
                continue
            current[key] = value
            if key in (b"cs", b"CS"):  # a colour space sets its initial colour
                current.pop(b"fill" if key == b"cs" else b"stroke", None)
            elif key == b"gs":  # an ExtGState may set a font too
                current.pop(b"Tf", None)
        out.append((operands, operator))
    return out


# --- Resources named -----------------------------------------------------------------------

_NAMED = {b"gs": "/ExtGState", b"cs": "/ColorSpace", b"CS": "/ColorSpace", b"sh": "/Shading"}


def resource_names(instructions: list[Instruction]) -> dict[str, set[bytes]]:
    """The resources a stream names, by category: graphics states, colour spaces,
    patterns, shadings and property lists (fonts and XObjects are not listed)."""
    names: dict[str, set[bytes]] = {}
    for operands, operator in instructions:
        if not operands:
            continue
        if operator in _NAMED:
            names.setdefault(_NAMED[operator], set()).add(operands[0])
        elif operator in (b"scn", b"SCN") and operands[-1][:1] == b"/":
            names.setdefault("/Pattern", set()).add(operands[-1])
        elif operator in (b"BDC", b"DP") and len(operands) == 2 and operands[1][:1] == b"/":
            names.setdefault("/Properties", set()).add(operands[1])
    return names
