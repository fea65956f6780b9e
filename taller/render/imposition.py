"""Imposition with pikepdf: card faces n-up on cut sheets, A5 pages as saddle-stitch booklets.

WeasyPrint does no imposition; the rendered pages are placed on sheets, so nothing is laid
out twice. Each rendered page becomes a form XObject that a sheet draws with one `Do`: its
content stream is kept as it is, never parsed and rewritten, and a card face drawn eight
times is stored once.

The sheets are made inside the rendered document itself, so what it carries stays: its
language, title (docinfo and XMP), `DisplayDocTitle` and tag tree. A form drawn once (a
booklet's pages) keeps its tags: its marked content is referred to by the form and the
sheet that draws it (PDF 32000-1, 14.7.4.3). A form drawn many times cannot be part of the
structure more than once, so a card face is tagged where it is drawn first and each other
copy is an untagged copy of it, drawn as an artifact: a screen reader reads one card, not
eight. The rendered pages' links and bookmarks are dropped with them (they point into
pages that are no longer there).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from .compact import compact
from .sheets import CARD_MM, MM, SHEETS_MM, card_grid

_MARKED = re.compile(rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+\d+\s*>>\s*BDC")


def _write(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return compact(out.getvalue())


@dataclass
class _Face:
    """A rendered page as a form XObject: the tagged form (drawn once), the page it came
    from, and, made when a second copy is drawn, the same drawing without tags."""

    form: pikepdf.Stream
    page: Dictionary
    tagged: bool
    plain: pikepdf.Stream | None = None
    drawn_on: Dictionary | None = None  # the sheet side that draws the tagged form


@dataclass
class _Imposition:
    """Sheets added to a rendered document, which loses its own pages at the end."""

    pdf: pikepdf.Pdf
    faces: list[_Face] = field(default_factory=list)
    rendered: int = 0  # how many of the document's pages are the rendered ones

    @classmethod
    def of(cls, data: bytes) -> _Imposition:
        pdf = pikepdf.open(io.BytesIO(data))
        imposition = cls(pdf)
        for page in pdf.pages:
            form = pdf.make_indirect(page.as_form_xobject())
            tagged = "/StructParents" in page.obj and bool(_MARKED.search(form.read_bytes()))
            if tagged:
                form.StructParents = page.obj.StructParents
            imposition.faces.append(_Face(form, page.obj, tagged))
        imposition.rendered = len(pdf.pages)
        return imposition

    def sheet(self, width: float, height: float, placed: list[tuple[_Face, float, float]]) -> None:
        """Add a sheet side that draws each face at its (x, y) offset, in points from bottom-left."""
        page = self.pdf.add_blank_page(page_size=(width, height))
        names: dict = {}  # form's objgen → (its resource name on this side, the form)
        ops = []
        for face, x, y in placed:
            first = face.tagged and face.drawn_on is None
            form = face.form if first or not face.tagged else self._plain(face)
            name, _ = names.setdefault(form.objgen, (Name(f"/P{len(names)}"), form))
            op = f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q"
            if first:
                face.drawn_on = page.obj
            elif self.tagged:  # everything on a tagged page is structure or artifact
                op = f"/Artifact BMC {op} EMC"
            ops.append(op)
        page.obj.Resources = Dictionary(XObject=Dictionary({str(name): form for name, form in names.values()}))
        page.obj.Contents = self.pdf.make_stream("\n".join(ops).encode("ascii"))

    @property
    def tagged(self) -> bool:
        return "/StructTreeRoot" in self.pdf.Root

    def _plain(self, face: _Face) -> pikepdf.Stream:
        """The face's drawing with its marked-content ids taken out, for its copies."""
        if face.plain is None:
            data = _MARKED.sub(b"/Artifact BMC", face.form.read_bytes())
            face.plain = self.pdf.make_stream(data)
            for key, value in face.form.stream_dict.items():
                if key not in ("/Length", "/Filter", "/DecodeParms", "/StructParents"):
                    face.plain[key] = value
        return face.plain

    def finish(self) -> bytes:
        """The sheets alone: the rendered pages removed, the tags moved into the forms."""
        if self.tagged:
            _move_tags(self.pdf, self.faces)
        for key in ("/Outlines", "/Names", "/OpenAction", "/PageMode"):
            if key in self.pdf.Root:
                del self.pdf.Root[key]
        del self.pdf.pages[:self.rendered]
        return _write(self.pdf)


def _move_tags(pdf: pikepdf.Pdf, faces: list[_Face]) -> None:
    """Each structure element's content, which was on a rendered page, is now in that
    page's form, drawn on a sheet: its ids become references to both. The rendered pages'
    annotations (links) are gone, and so are their references in the tree."""
    where = {face.page.objgen: face for face in faces if face.tagged and face.drawn_on is not None}
    old_pages = {face.page.objgen for face in faces}
    root = pdf.Root.StructTreeRoot
    pending = list(root.K) if isinstance(root.K, Array) else [root.K]
    seen = set()
    while pending:
        element = pending.pop()
        if not isinstance(element, Dictionary) or "/S" not in element or element.objgen in seen:
            continue
        seen.add(element.objgen)
        page = element.get("/Pg")
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]
        moved = []
        for kid in kids:
            if isinstance(kid, int):
                face = where.get(page.objgen) if page is not None else None
                if face is not None:
                    moved.append(Dictionary(Type=Name.MCR, Pg=face.drawn_on, Stm=face.form, MCID=kid))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR and "/Stm" not in kid:
                face = where.get(kid.Pg.objgen)
                if face is not None:
                    moved.append(Dictionary(Type=Name.MCR, Pg=face.drawn_on, Stm=face.form, MCID=kid.MCID))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                continue  # an annotation of a rendered page: not on any sheet
            else:
                moved.append(kid)
                pending.append(kid)
        element.K = Array(moved)
        if page is not None and page.objgen in old_pages:
            if page.objgen in where:
                element.Pg = where[page.objgen].drawn_on
            else:
                del element["/Pg"]
    tree = root.get("/ParentTree")
    nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
    if isinstance(nums, Array):  # keep the forms' entries; the annotations' are gone
        root.ParentTree = Dictionary(Nums=Array(
            item for i in range(0, len(nums) - 1, 2) if isinstance(nums[i + 1], Array) for item in (nums[i], nums[i + 1])))


def impose_cards(pdf: bytes, sheet: str) -> bytes:
    """Pages 1-2 are the card's front and back, page 3 the sheet with crop marks: one sheet
    side of fronts, one of backs. The grid is symmetric, so a long-edge duplex print puts
    each back behind a front."""
    imposition = _Imposition.of(pdf)
    front, back, marks = imposition.faces[:3]
    grid = card_grid(sheet)
    box = marks.page.MediaBox
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    for face in (front, back):
        cells = [(face, x * MM, (grid.sheet[1] - y - CARD_MM[1]) * MM) for x, y in grid.cells]  # PDF origin: bottom-left
        imposition.sheet(width, height, [(marks, 0.0, 0.0), *cells])
    return imposition.finish()


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
    imposition = _Imposition.of(pdf)
    box = imposition.faces[0].page.MediaBox
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    sheet_height, sheet_width = (d * MM for d in SHEETS_MM[sheet])  # landscape
    dx, dy = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    sides = booklet_order(len(imposition.faces))
    for pair in sides:
        imposition.sheet(sheet_width, sheet_height,
                         [(imposition.faces[n], dx + slot * width, dy) for slot, n in enumerate(pair) if n is not None])
    return imposition.finish(), len(sides)


def impose(rendered_pdf: bytes, how: str, sheet: str) -> tuple[bytes, int]:
    """The rendered pages laid out on sheets as `how` says (a variant's `impose`)."""
    if how == "cards":
        return impose_cards(rendered_pdf, sheet), 2
    if how == "booklet":
        return impose_booklet(rendered_pdf, sheet)
    raise ValueError(f"unknown imposition {how!r}")
