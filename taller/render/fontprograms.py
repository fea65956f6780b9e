"""The embedded fonts, lighter: what a PDF reader never reads is taken out of each font
program, text maps are written in ranges, and a font whose glyphs all have ids under 256
gets one byte a glyph.

- A TrueType program embedded for a CID-keyed font keeps only the tables that draw and
  place its glyphs (`glyf`, `loca`, `head`, `hhea`, `hmtx`, `maxp`, and the hinting
  tables `cvt `, `fpgm`, `prep` when there are any): the PDF's font dictionary names the
  font and gives its widths, its codes are glyph ids, its text is already shaped, so
  `cmap`, `name`, `post`, `OS/2` and the OpenType layout tables are never read. This is
  the set iText embeds for its CID fonts (FreeType, and so Poppler and PDFium, loads a
  font without `cmap` because such PDFs are common). The glyphs are the
  same glyphs.
- A ToUnicode map (what a reader copies or reads aloud for each glyph) is written sorted,
  consecutive codes with consecutive text as one range, instead of one line a glyph.
- WeasyPrint writes every glyph as a two-byte code (`Identity-H`). A subset keeps the
  font's glyph ids, and Atkinson Hyperlegible has fewer than 256 glyphs, so the high byte
  is always 0: such a font gets an embedded one-byte CMap (codes 0–255 are glyph ids
  0–255) and its strings lose the zero bytes (`pagecontent`). Only when every stream that
  draws with the font was rewritten; a font a form field, pattern or appearance uses
  keeps two bytes.
"""

from __future__ import annotations

import re
import struct

import pikepdf
from pikepdf import Dictionary, Name

_DRAWING_TABLES = {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp", b"cvt ", b"fpgm", b"prep"}


def lean_program(data: bytes) -> bytes | None:
    """A TrueType font program with only the tables of the module's docstring; None to keep
    it as it is (not TrueType, or nothing to take out)."""
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        return None
    count = struct.unpack(">H", data[4:6])[0]
    if len(data) < 12 + 16 * count:
        return None
    records = [struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i]) for i in range(count)]
    if any(offset + length > len(data) for _, _, offset, length in records):
        return None
    kept = [r for r in records if r[0] in _DRAWING_TABLES]
    if len(kept) == count or not {b"glyf", b"loca", b"head", b"maxp"} <= {r[0] for r in kept}:
        return None
    tables = {tag: data[offset:offset + length] for tag, _, offset, length in kept}
    if b"head" in tables and len(tables[b"head"]) >= 12:  # its checksum is taken with the adjustment at 0
        tables[b"head"] = tables[b"head"][:8] + b"\0\0\0\0" + tables[b"head"][12:]
    power = 1 << (len(kept).bit_length() - 1)
    header = data[:4] + struct.pack(">HHHH", len(kept), power * 16, power.bit_length() - 1, (len(kept) - power) * 16)
    offset = 12 + 16 * len(kept)
    directory, body = bytearray(), bytearray()
    for tag, _, original_offset, _ in sorted(kept, key=lambda r: r[2]):  # the data in its order
        table = tables[tag]
        tables[tag] = (offset + len(body), table)
        body += table + b"\0" * (-len(table) % 4)
    for tag in sorted(tables):  # the directory by tag
        at, table = tables[tag]
        directory += struct.pack(">4sIII", tag, _checksum(table), at, len(table))
    font = bytearray(header + directory + body)
    if b"head" in tables:
        at = tables[b"head"][0]
        struct.pack_into(">I", font, at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(table: bytes) -> int:
    padded = table + b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


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


def written_text_map(mapping: dict[int, bytes], code_bytes: int) -> bytes:
    """A ToUnicode CMap: codes of `code_bytes` bytes, runs of consecutive codes with
    consecutive text (in the last byte of each) as ranges."""
    codes = sorted(mapping)
    ranges, singles = [], []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1 and codes[j + 1] & 0xFF \
                and _follows(mapping[codes[j]], mapping[codes[j + 1]]):
            j += 1
        (ranges if j > i else singles).append((codes[i], codes[j]))
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


def _follows(text: bytes, following: bytes) -> bool:
    return len(text) == len(following) and text[:-1] == following[:-1] and following[-1] == text[-1] + 1


# --- One byte a glyph ------------------------------------------------------------------

# A CMap as Adobe's technical note 5014 writes one (some printers' interpreters run it as
# PostScript), with no more space than PostScript needs.
ONE_BYTE_CMAP = (b"/CIDInit/ProcSet findresource begin 12 dict begin begincmap/CIDSystemInfo<</Registry(Adobe)"
                 b"/Ordering(Identity)/Supplement 0>>def/CMapName/Taller-OneByte def/CMapType 1 def\n"
                 b"1 begincodespacerange<00><ff>endcodespacerange 1 begincidrange<00><ff>0 endcidrange\n"
                 b"endcmap CMapName currentdict/CMap defineresource pop end end\n")


def one_byte_cmap(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """The encoding of every narrowed font of a document: one-byte codes, code n is CID n."""
    return pdf.make_stream(ONE_BYTE_CMAP, Type=Name.CMap, CMapName=Name("/Taller-OneByte"),
                           CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0))


def can_narrow(font: Dictionary) -> bool:
    """Whether a font is WeasyPrint's kind (Type0, Identity-H, a TrueType CIDFont with
    identity glyph ids) with at most 256 glyphs, so every code is one byte's worth."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
        return False
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
        return False
    cid_font = descendants[0]
    if cid_font.get("/Subtype") != Name.CIDFontType2 or cid_font.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return False
    program = cid_font.get("/FontDescriptor", {}).get("/FontFile2")
    if not isinstance(program, pikepdf.Stream):
        return False
    data = program.read_bytes()
    at = _table(data, b"maxp")
    return at is not None and len(data) >= at + 6 and struct.unpack(">H", data[at + 4:at + 6])[0] <= 256


def _table(data: bytes, wanted: bytes) -> int | None:
    """Where a table starts in a TrueType font program."""
    if len(data) < 12:
        return None
    count = struct.unpack(">H", data[4:6])[0]
    for i in range(count):
        if 28 + 16 * i > len(data):
            return None
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == wanted:
            return offset
    return None
