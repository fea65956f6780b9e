"""Imposition with pypdf: card faces n-up on cut sheets, A5 pages as saddle-stitch booklets.

WeasyPrint does no imposition; pypdf places already-rendered pages on sheets, so nothing
is laid out twice. Each rendered page becomes a form XObject that a sheet draws with one
`Do`: its content stream is copied as it is, never parsed and rewritten (pypdf's
`merge_transformed_page` parsed it and wrote it back uncompressed: 0.3 s and five times the
bytes per booklet), and a card face drawn eight times is stored once.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

from .sheets import CARD_MM, MM, SHEETS_MM, card_grid


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _form(writer: PdfWriter, page: PageObject):
    """A rendered page as a form XObject in `writer` (an indirect reference)."""
    contents = page["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
        NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
    })
    if "/Group" in page:  # transparency group of the page: keeps blending the same
        form[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
    return writer._add_object(form.flate_encode())


def _sheet(writer: PdfWriter, width: float, height: float, placed: list[tuple[object, float, float]]) -> None:
    """Add a sheet side that draws each form at its (x, y) offset, in points from bottom-left."""
    page = writer.add_blank_page(width=width, height=height)
    names: dict = {}  # form → its resource name on this side
    ops = []
    for form, x, y in placed:
        name = names.setdefault(form, NameObject(f"/P{len(names)}"))
        ops.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q")
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({name: form for form, name in names.items()})})
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())


def impose_cards(pdf: bytes, sheet: str) -> bytes:
    """Pages 1-2 are the card's front and back, page 3 the sheet with crop marks: one sheet
    side of fronts, one of backs. The grid is symmetric, so a long-edge duplex print puts
    each back behind a front."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    front, back, marks = (_form(writer, page) for page in reader.pages[:3])
    grid = card_grid(sheet)
    width, height = float(reader.pages[2].mediabox.width), float(reader.pages[2].mediabox.height)
    for face in (front, back):
        cells = [(face, x * MM, (grid.sheet[1] - y - CARD_MM[1]) * MM) for x, y in grid.cells]  # PDF origin: bottom-left
        _sheet(writer, width, height, [(marks, 0.0, 0.0), *cells])
    return _write(writer)


def booklet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """Page pairs (left, right) for each sheet side of a saddle-stitched booklet, 0-based;
    None is a blank page. Sides alternate front, back, for duplex short-edge printing."""
    total = (pages + 3) // 4 * 4
    index = lambda n: n if n < pages else None  # noqa: E731 - padding pages are blank
    sides = []
    for sheet in range(total // 4):
        sides.append((index(total - 1 - 2 * sheet), index(2 * sheet)))
        sides.append((index(2 * sheet + 1), index(total - 2 - 2 * sheet)))
    return sides


def impose_booklet(pdf: bytes, sheet: str) -> tuple[bytes, int]:
    """Half-sheet pages two-up on landscape sheets (A5 on A4), padded with blanks to a
    multiple of 4; the pair is centred, as A5 is a hair narrower than half of A4."""
    reader = PdfReader(io.BytesIO(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    sheet_height, sheet_width = (d * MM for d in SHEETS_MM[sheet])  # landscape
    dx, dy = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    forms = [_form(writer, page) for page in reader.pages]
    sides = booklet_order(len(forms))
    for pair in sides:
        _sheet(writer, sheet_width, sheet_height,
               [(forms[n], dx + slot * width, dy) for slot, n in enumerate(pair) if n is not None])
    return _write(writer), len(sides)


def impose(rendered_pdf: bytes, how: str, sheet: str) -> tuple[bytes, int]:
    """The rendered pages laid out on sheets as `how` says (a variant's `impose`)."""
    if how == "cards":
        return impose_cards(rendered_pdf, sheet), 2
    if how == "booklet":
        return impose_booklet(rendered_pdf, sheet)
    raise ValueError(f"unknown imposition {how!r}")
