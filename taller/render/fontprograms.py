"""Embedded fonts, lighter: what a PDF reader never reads taken out of a font program, its
glyphs numbered from 0, text maps written in ranges.

- A TrueType program embedded for a CID-keyed font keeps only the tables that draw and
  place its glyphs (`glyf`, `loca`, `head`, `hhea`, `hmtx`, `maxp`, and the hinting
  tables `cvt `, `fpgm`, `prep` when there are any): the PDF's font dictionary names the
  font and gives its widths, its codes are glyph ids, its text is already shaped, so
  `cmap`, `name`, `post`, `OS/2` and the OpenType layout tables are never read. This is
  the set iText embeds for its CID fonts (FreeType, and so Poppler and PDFium, loads a
  font without `cmap` because such PDFs are common). The glyphs are the
  same glyphs.
- A ToUnicode map (what a reader copies or reads aloud for each glyph) is written sorted,
  codes whose text counts up with them as one range, instead of one line a glyph.
- A subset keeps the whole font's glyph ids (HarfBuzz's `RETAIN_GIDS`), so most of its
  `loca` and `hmtx` are for glyphs it does not have: the kept glyphs can be numbered from
  0 (`lean_program` with `keep`), composite glyphs' parts renumbered with them.
- `ONE_BYTE_CMAP`: the encoding of a font of at most 256 glyphs written one byte a glyph.

Which fonts are renumbered or take one byte, and the content that goes with them, is
`documentfonts`'s choice.
"""

from __future__ import annotations

import re
import struct

import pikepdf
from pikepdf import Dictionary, Name

_DRAWING_TABLES = {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp", b"cvt ", b"fpgm", b"prep"}


def lean_program(data: bytes, keep: set[int] | None = None) -> tuple[bytes, dict[int, int] | None] | None:
    """A TrueType font program with only the drawing tables of the module's docstring, and
    with `keep`, only those glyphs (with .notdef and the glyphs their composites are made
    of) numbered from 0 in their order; the program and each kept glyph's new id (None
    without `keep`). None to keep the program as it is (not TrueType, or not read)."""
    tables = _tables(data)
    if tables is None or not {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp"} <= set(tables):
        return None
    tables = {tag: table for tag, table in tables.items() if tag in _DRAWING_TABLES}
    mapping = None
    if keep is not None:
        try:
            mapping = _renumber(tables, keep)
        except (struct.error, IndexError, ValueError):
            return None  # a table this does not read: the font stays as it is
    return _font(data[:4], tables), mapping


def _tables(data: bytes) -> dict[bytes, bytes] | None:
    """A TrueType program's tables by tag, in the order of their data in the file."""
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        return None
    count = struct.unpack(">H", data[4:6])[0]
    if len(data) < 12 + 16 * count:
        return None
    records = [struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i]) for i in range(count)]
    if any(offset + length > len(data) for _, _, offset, length in records):
        return None
    return {tag: data[offset:offset + length] for tag, _, offset, length in sorted(records, key=lambda r: r[2])}


def _font(version: bytes, tables: dict[bytes, bytes]) -> bytes:
    """A TrueType program of these tables: directory by tag, data 4-byte aligned, checksums."""
    head = tables.get(b"head")
    if head is not None and len(head) >= 12:  # its checksum is taken with the adjustment at 0
        tables = {**tables, b"head": head[:8] + b"\0\0\0\0" + head[12:]}
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = version + struct.pack(">HHHH", count, power * 16, power.bit_length() - 1, (count - power) * 16)
    offset = 12 + 16 * count
    places, body = {}, bytearray()
    for tag, table in tables.items():
        places[tag] = offset + len(body)
        body += table + b"\0" * (-len(table) % 4)
    directory = b"".join(struct.pack(">4sIII", tag, _checksum(tables[tag]), places[tag], len(tables[tag]))
                         for tag in sorted(tables))
    font = bytearray(header + directory + body)
    if b"head" in tables:
        struct.pack_into(">I", font, places[b"head"] + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(table: bytes) -> int:
    padded = table + b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _renumber(tables: dict[bytes, bytes], keep: set[int]) -> dict[int, int]:
    """Keep only glyphs `keep` (and .notdef, and their composites' parts), renumbered in
    their order: `glyf`, `loca`, `hmtx`, `maxp` and `hhea` rewritten in place."""
    head, maxp, hhea, hmtx = tables[b"head"], tables[b"maxp"], tables[b"hhea"], tables[b"hmtx"]
    count = struct.unpack(">H", maxp[4:6])[0]
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    loca = (struct.unpack(f">{count + 1}I", tables[b"loca"][:4 * (count + 1)]) if long_offsets else
            [2 * o for o in struct.unpack(f">{count + 1}H", tables[b"loca"][:2 * (count + 1)])])
    glyf = tables[b"glyf"]
    glyphs = [glyf[loca[i]:loca[i + 1]] for i in range(count)]
    if any(loca[i] > loca[i + 1] for i in range(count)) or loca[count] > len(glyf):
        raise ValueError("glyph offsets out of order")
    kept, pending = set(), [0, *(g for g in keep if g < count)]
    while pending:  # a composite glyph draws other glyphs: they stay too
        glyph = pending.pop()
        if glyph not in kept:
            kept.add(glyph)
            pending.extend(struct.unpack(">H", glyphs[glyph][at:at + 2])[0] for at in _components(glyphs[glyph]))
    order = sorted(kept)
    mapping = {old: new for new, old in enumerate(order)}
    metrics_count = struct.unpack(">H", hhea[34:36])[0]
    if not 0 < metrics_count <= count or len(hmtx) < 2 * metrics_count + 2 * count:
        raise ValueError("hmtx shorter than its glyphs")

    def metric(glyph: int) -> bytes:
        if glyph < metrics_count:
            return hmtx[4 * glyph:4 * glyph + 4]
        lsb_at = 4 * metrics_count + 2 * (glyph - metrics_count)
        return hmtx[4 * metrics_count - 4:4 * metrics_count - 2] + hmtx[lsb_at:lsb_at + 2]

    new_glyf, offsets = bytearray(), []
    for old in order:
        glyph = bytearray(glyphs[old])
        for at in _components(glyphs[old]):
            struct.pack_into(">H", glyph, at, mapping[struct.unpack(">H", glyph[at:at + 2])[0]])
        offsets.append(len(new_glyf))
        new_glyf += glyph + b"\0" * (len(glyph) % 2)
    offsets.append(len(new_glyf))
    long_offsets = offsets[-1] > 0x1FFFE
    tables[b"glyf"] = bytes(new_glyf)
    tables[b"loca"] = (struct.pack(f">{len(offsets)}I", *offsets) if long_offsets else
                       struct.pack(f">{len(offsets)}H", *(o // 2 for o in offsets)))
    tables[b"hmtx"] = b"".join(metric(old) for old in order)
    tables[b"head"] = head[:50] + struct.pack(">h", 1 if long_offsets else 0) + head[52:]
    tables[b"maxp"] = maxp[:4] + struct.pack(">H", len(order)) + maxp[6:]
    tables[b"hhea"] = hhea[:34] + struct.pack(">H", len(order)) + hhea[36:]
    return mapping


def _components(glyph: bytes) -> list[int]:
    """Where a composite glyph's parts name their glyph ids (none for a simple glyph)."""
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    places, at = [], 10
    while True:
        flags = struct.unpack(">H", glyph[at:at + 2])[0]
        places.append(at + 2)
        at += 4 + (4 if flags & 0x0001 else 2)  # the two arguments: words or bytes
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0  # the scale
        if not flags & 0x0020:  # no more components
            return places
        if at + 4 > len(glyph):
            raise ValueError("a composite glyph runs past its end")


# --- Widths ----------------------------------------------------------------------------

def widths(cid_font: Dictionary) -> dict[int, object] | None:
    """A CIDFont's widths (`/W`) by code; None when it has a form this does not read."""
    array = cid_font.get("/W")
    if not isinstance(array, pikepdf.Array):
        return None
    items, found = list(array), {}
    i = 0
    while i < len(items):
        if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
            found.update((int(items[i]) + k, w) for k, w in enumerate(items[i + 1]))
            i += 2
        elif i + 2 < len(items) and not isinstance(items[i + 2], pikepdf.Array):
            found.update((c, items[i + 2]) for c in range(int(items[i]), int(items[i + 1]) + 1))
            i += 3
        else:
            return None
    return found


def written_widths(found: dict[int, object]) -> pikepdf.Array:
    """`/W` for widths by code: each run of consecutive codes as `first [w w …]`."""
    out: list = []
    for code in sorted(found):
        if out and out[-2] + len(out[-1]) == code:
            out[-1].append(found[code])
        else:
            out += [code, [found[code]]]
    return pikepdf.Array([pikepdf.Array(item) if isinstance(item, list) else item for item in out])


# --- Text maps -------------------------------------------------------------------------

_HEX = rb"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(_HEX + rb"\s*" + _HEX)
_RANGE = re.compile(_HEX + rb"\s*" + _HEX + rb"\s*" + _HEX)


def text_map(data: bytes) -> dict[int, bytes] | None:
    """A ToUnicode CMap's codes and their UTF-16BE text; None when it has what this does
    not read (ranges to arrays, code lengths other than two bytes)."""
    mapping: dict[int, bytes] = {}
    if b"[" in data:
        return None
    for block in _BFCHAR.findall(data):
        for source, target in _PAIR.findall(block):
            if len(source) != 4:
                return None
            mapping[int(source, 16)] = bytes.fromhex(target.decode("ascii"))
    for block in _BFRANGE.findall(data):
        for low, high, target in _RANGE.findall(block):
            if len(low) != 4 or len(high) != 4:
                return None
            first = bytes.fromhex(target.decode("ascii"))
            for offset in range(int(high, 16) - int(low, 16) + 1):
                mapping[int(low, 16) + offset] = first[:-1] + bytes([(first[-1] + offset) & 0xFF])
    return mapping or None


def written_text_map(mapping: dict[int, bytes], code_bytes: int, drawn: set[int] | None = None) -> bytes:
    """A ToUnicode CMap: codes of `code_bytes` bytes, each run of codes whose text counts
    up with them (in the last byte) as one range. A range may step over codes the document
    never draws (not in `drawn`, the glyphs the font has widths for): what they would
    map to is never asked, and a subset's letters keep the font's alphabetical order, so
    a few ranges cover a whole alphabet with gaps."""
    codes = sorted(mapping)
    drawn = set(codes) if drawn is None else drawn | set(codes)
    ranges, singles = [], []
    i = 0
    while i < len(codes):
        low, text = codes[i], mapping[codes[i]]
        j = i
        while j + 1 < len(codes):
            following = codes[j + 1]
            step = following - low
            if following >> 8 != low >> 8 or text[-1] + step > 0xFF \
                    or mapping[following] != text[:-1] + bytes([text[-1] + step]) \
                    or any(c in drawn for c in range(codes[j] + 1, following)):
                break
            j += 1
        (ranges if j > i else singles).append((low, codes[j]))
        i = j + 1
    width = 2 * code_bytes

    def code(value: int) -> bytes:
        return b"<%0*x>" % (width, value)

    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", code(0) + b" " + code(256 ** code_bytes - 1), b"endcodespacerange"]
    for start in range(0, len(ranges), 100):
        block = ranges[start:start + 100]
        lines.append(b"%d beginbfrange" % len(block))
        lines += [code(low) + b" " + code(high) + b" <" + mapping[low].hex().encode("ascii") + b">" for low, high in block]
        lines.append(b"endbfrange")
    for start in range(0, len(singles), 100):
        block = singles[start:start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines += [code(low) + b" <" + mapping[low].hex().encode("ascii") + b">" for low, _ in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


# --- One byte a glyph ------------------------------------------------------------------

# A CMap as Adobe's technical note 5014 writes one (some printers' interpreters run it as
# PostScript), with no more space than PostScript needs.
ONE_BYTE_CMAP = (b"/CIDInit/ProcSet findresource begin 12 dict begin begincmap/CIDSystemInfo<</Registry(Adobe)"
                 b"/Ordering(Identity)/Supplement 0>>def/CMapName/Taller-OneByte def/CMapType 1 def\n"
                 b"1 begincodespacerange<00><ff>endcodespacerange 1 begincidrange<00><ff>0 endcidrange\n"
                 b"endcmap CMapName currentdict/CMap defineresource pop end end\n")


def one_byte_cmap(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """The encoding of a document's one-byte fonts: code n is CID n, 0 to 255."""
    return pdf.make_stream(ONE_BYTE_CMAP, Type=Name.CMap, CMapName=Name("/Taller-OneByte"),
                           CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0))


def weasyprint_program(font: Dictionary) -> pikepdf.Stream | None:
    """The TrueType program of a font of WeasyPrint's kind (Type0, `Identity-H`, a
    CIDFontType2 whose codes are glyph ids, no CIDSet); None for any other font."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
        return None
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
        return None
    cid_font = descendants[0]
    if cid_font.get("/Subtype") != Name.CIDFontType2 or cid_font.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return None
    descriptor = cid_font.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or "/CIDSet" in descriptor:
        return None
    program = descriptor.get("/FontFile2")
    return program if isinstance(program, pikepdf.Stream) else None
