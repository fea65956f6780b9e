"""The finished file, packed: one object stream, every stream deflated as tightly as the
format allows, a cross-reference stream.

qpdf (pikepdf) writes object streams and Flate streams with zlib. The same deflate format
written with libdeflate's strongest level (near-optimal parsing, not zlib's greedy-lazy
matching) is smaller with no change to what a reader decodes: measured on the curriculum,
object streams (the tag tree, pages, fonts' widths) 19% smaller, page content 7%, fonts
1%. zopfli gains another half per cent at a fortieth of the speed (0.1 MB/s against 4 MB/s:
minutes a build), so it is not used.

qpdf cannot be handed compressed object streams, so the file is written here: qpdf first
writes the document without object streams (only what the catalog still reaches,
numbered 1…n), then every object that is not a stream goes, in that order, into one object
stream (one packs tighter than qpdf's streams of 100), each stream is written on its own,
and a cross-reference stream indexes both. The file identifier is a hash of the body, so
the same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re

import deflate
import pikepdf
from pikepdf import Array, Dictionary, Name

LEVEL = 12  # libdeflate's strongest

_UNSET = ("/Length", "/Filter", "/DecodeParms")


def deflated(data: bytes) -> bytes:
    """`data` in zlib format (what /FlateDecode reads), at libdeflate's strongest level."""
    return deflate.zlib_compress(data, LEVEL)


def packed(pdf: pikepdf.Pdf) -> bytes:
    """The document as a file: see the module's docstring."""
    plain = io.BytesIO()
    pdf.save(plain, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False,
             stream_decode_level=pikepdf.StreamDecodeLevel.none)
    with pikepdf.open(plain) as clean:
        return _write(clean)


def _write(pdf: pikepdf.Pdf) -> bytes:
    out = bytearray(b"%PDF-" + str(pdf.pdf_version).encode("ascii") + b"\n%\xbf\xf7\xa2\xfe\n")
    entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}  # number → xref entry
    members: list[tuple[int, bytes]] = []
    for obj in pdf.objects:
        number = obj.objgen[0]
        if isinstance(obj, pikepdf.Stream):
            entries[number] = (1, len(out), 0)
            out += _stream(number, obj)
        else:
            members.append((number, minified(obj.unparse(resolved=True))))
    container = max(entries.keys() | {n for n, _ in members}) + 1
    header, body = bytearray(), bytearray()
    for index, (number, text) in enumerate(members):
        entries[number] = (2, container, index)
        if body and body[-1] not in _DELIMITERS and text[0] not in _DELIMITERS:
            body += b"\n"  # two numbers or keywords in a row would read as one
        header += b"%d %d " % (number, len(body))
        body += text
    header[-1:] = b"\n"
    entries[container] = (1, len(out), 0)
    data = deflated(bytes(header + body))
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        container, len(members), len(header), len(data)) + data + b"\nendstream\nendobj\n"
    out += _cross_reference(pdf, entries, container + 1, len(out), hashlib.md5(out).hexdigest().encode("ascii"))
    return bytes(out)


def _stream(number: int, stream: pikepdf.Stream) -> bytes:
    """A stream object, its data deflated anew where it is Flate or not filtered at all
    (never longer than it was); other filters (images) are kept as they are."""
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if isinstance(filters, Array) and len(filters) == 1:
        filters = filters[0]
    plain = filters is None or (filters == Name.FlateDecode and "/DecodeParms" not in stream)
    data, filtered = raw, filters is not None
    if plain:
        decoded = stream.read_bytes() if filters is not None else raw
        packed_data = deflated(decoded)
        if len(packed_data) < len(raw) or filters is not None:
            data, filtered = min((packed_data, raw), key=len), True
    entries = Dictionary({key: stream.stream_dict[key] for key in stream.stream_dict.keys()
                          if not (plain and key in _UNSET) and key != "/Length"})
    if plain and filtered:
        entries.Filter = Name.FlateDecode
    entries.Length = len(data)
    return b"%d 0 obj\n" % number + minified(entries.unparse()) + b"\nstream\n" + data + b"\nendstream\nendobj\n"


def _cross_reference(pdf: pikepdf.Pdf, entries: dict, number: int, offset: int, digest: bytes) -> bytes:
    """The cross-reference stream (PNG-up rows, deflated) with the trailer's entries."""
    entries[number] = (1, offset, 0)
    size = number + 1
    widths = [1, _width(max(e[1] for e in entries.values())), _width(max(e[2] for e in entries.values()))]
    rows, previous = bytearray(), bytes(sum(widths))
    for n in range(size):
        kind, second, third = entries.get(n, (0, 0, 0))
        row = bytes([kind]) + second.to_bytes(widths[1], "big") + third.to_bytes(widths[2], "big")
        rows += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous))
        previous = row
    data = deflated(bytes(rows))
    trailer = b" /Root " + pdf.trailer.Root.unparse()
    if "/Info" in pdf.trailer:
        trailer += b" /Info " + pdf.trailer.Info.unparse()
    return (b"%d 0 obj\n<< /Type /XRef /Size %d /W [ %d %d %d ]%s /ID [ <%s> <%s> ] /Filter /FlateDecode "
            b"/DecodeParms << /Columns %d /Predictor 12 >> /Length %d >>\nstream\n" % (
                number, size, *widths, trailer, digest, digest, sum(widths), len(data))
            + data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offset)


_DELIMITERS = frozenset(b"()<>[]{}/%")
# Tokens as qpdf writes them, each with the space before it: a literal string (qpdf
# escapes its parentheses), a dictionary's brackets, a hex string, an array's brackets, a
# name, a number or keyword.
_OBJECT_TOKEN = re.compile(rb"\s*(\((?:[^\\()]|\\.)*\)|<<|>>|<[0-9A-Fa-f]*>|[\[\]{}]|/[^\s()<>\[\]{}/%]*"
                           rb"|[^\s()<>\[\]{}/%]+)", re.S)


def minified(text: bytes) -> bytes:
    """An object as qpdf writes it, with only the spaces that separate two tokens (`/P 4 0
    R/S/P`, not `<< /P 4 0 R /S /P >>`); kept as it is when it holds anything else."""
    out = bytearray()
    at = 0
    for match in _OBJECT_TOKEN.finditer(text):
        if match.start() != at:
            return text  # something these tokens do not cover (a comment, a stray bracket)
        token = match[1]
        if out and out[-1] not in _DELIMITERS and token[0] not in _DELIMITERS:
            out += b" "
        out += token
        at = match.end()
    return bytes(out) if text[at:].strip() == b"" else text


def _width(value: int) -> int:
    return max(1, (value.bit_length() + 7) // 8)
