"""Compaction: every finished PDF rewritten smaller, its tags and its look kept.

WeasyPrint 70 already writes object streams, a cross-reference stream and level-9 Flate,
so a plain qpdf rewrite saves nothing. What is large is what it writes: a structure
element for every line of text (a `Span` holding one marked-content id, about half the
tag tree), a `NonStruct` around each one-line wrapper, content streams that write each
glyph as its own two-byte hex string, each line as its own text object and each border as
its own numbers, and font programs with tables no PDF reader reads. This module takes out
only what carries nothing:

- the tag tree (`tagtree`): a `Span` or `NonStruct` with no attributes whose only
  children are marked-content ids hands them to its parent (the parent tree follows); a
  `NonStruct` holding only elements hands those up. Headings, paragraphs, lists, tables,
  links, figures keep their elements. A `Figure` with no alternative text is decorative
  (the section icons: an image that means something has `alt`, or a `<title>` in its
  SVG): WeasyPrint 70 tags every replaced box as a Figure, whatever the markup says, so
  its content becomes an `/Artifact` and the Figure leaves the tree. Tagged content whose
  element is not in the tree (WeasyPrint's running heads and page numbers) becomes an
  `/Artifact`; an element with no marked content of its own loses its optional `/Pg`.
- page and form content (`pagecontent`): shorter numbers, joined glyph runs, drawings at
  their own origin, one text object for a run of lines, one byte a glyph.
- fonts (`fontprograms`): unused tables out, text maps in ranges, one-byte encodings.
- the file (`pdffile`): one object stream, every stream deflated with libdeflate's
  strongest level, the file identifier a hash of the content, so the same input gives the
  same bytes.

Measured on the curriculum (full build, 1,437 pages): 5,153 → see the report in
`tests/test_pdf_structure.py` bytes a page.
"""

from __future__ import annotations

import io
import re
from importlib import metadata

# Part of the render cache's key: change it whenever this module, or one it calls
# (`tagtree`, `pagecontent`, `fontprograms`, `pdffile`), changes its output, so that PDFs
# compacted the old way are not served from the cache. libdeflate's version is part of it:
# another version may deflate to other bytes.
COMPACTION = f"compact-2 deflate {metadata.version('deflate')}"


def compact(data: bytes) -> bytes:
    """The same document, smaller: see the module's docstring for what changes."""
    import pikepdf  # only when a PDF is written: a no-op build never pays for it

    from .pdffile import packed
    from .tagtree import StructTree

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = StructTree.of(pdf)
        if tree is not None:
            for page, mcids in tree.drop_decorative_figures() + tree.drop_orphans():
                _retag_as_artifacts(page, mcids)
            tree.lean()
        _rewrite(pdf)
        return packed(pdf)


def _rewrite(pdf) -> None:
    """Content streams rewritten (`pagecontent`), fonts made smaller with the content that
    shows them (`documentfonts`), resources no content names taken out."""
    from pikepdf import Dictionary, Stream

    from . import documentfonts, pagecontent
    from .glyphcodes import recode

    jobs, owners = [], set()
    for stream, decimals, owner in _content_streams(pdf):
        instructions = pagecontent.parse(stream.read_bytes())
        if instructions is not None:
            instructions = pagecontent.rewritten(instructions, decimals)
        jobs.append((stream, owner, instructions))
        owners.add(owner.objgen)
    # What draws with resources and is not rewritten here: form fields' appearances and
    # defaults, patterns. Their fonts keep their codes, their resources all they have.
    used_elsewhere, foreign = set(), set()
    for obj in pdf.objects:
        if isinstance(obj, (Dictionary, Stream)) and obj.objgen not in owners and "/Resources" in obj:
            used_elsewhere.update(font.objgen for font in _fonts(obj).values())
            foreign.add(_key(obj.Resources, obj))
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, Dictionary):
        used_elsewhere.update(font.objgen for font in _fonts(acroform, "/DR").values())
    showings = [documentfonts.Showing(_fonts(owner), instructions) for _, owner, instructions in jobs]
    for (stream, _, instructions), codes in zip(jobs, documentfonts.lighten(pdf, showings, used_elsewhere)):
        if instructions is not None:
            if codes:
                recode(instructions, codes)
            stream.write(pagecontent.serialize(instructions))
    _drop_unused_resources(jobs, foreign)
    _drop_default_boxes(pdf)


def _drop_default_boxes(pdf) -> None:
    """A page's trim, bleed, crop and art boxes that are its media box say what a reader
    assumes without them (WeasyPrint writes trim and bleed boxes on every page)."""
    for page in pdf.pages:
        media = page.obj.get("/MediaBox")
        for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if media is not None and key in page.obj and list(page.obj[key]) == list(media):
                del page.obj[key]


_CLEANED = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties")


def _drop_unused_resources(jobs: list, foreign: set) -> None:
    """Take out of each resource dictionary the graphics states, colour spaces, patterns,
    shadings and property lists no content names (WeasyPrint lists two Lab colour spaces
    and empty dictionaries in every document), when every stream that uses the dictionary
    was read here."""
    from pikepdf import Dictionary

    from .pagecontent import resource_names

    used: dict = {}
    for _, owner, instructions in jobs:
        resources = owner.get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        key = _key(resources, owner)
        if instructions is None or key in foreign:
            used[key] = None
        elif key not in used or used[key] is not None:
            names = used.setdefault(key, (resources, {}))[1]
            for category, found in resource_names(instructions).items():
                names.setdefault(category, set()).update(found)
    for entry in used.values():
        if entry is None or any(b"#" in name for found in entry[1].values() for name in found):
            continue  # an escaped name would need decoding to be matched: keep everything
        resources, names = entry
        for category in _CLEANED:
            listed = resources.get(category)
            if not isinstance(listed, Dictionary):
                continue
            for name in list(listed.keys()):
                if name.encode("latin-1") not in names.get(category, ()):
                    del listed[name]
            if not listed.keys():
                del resources[category]


def _key(resources, owner) -> tuple:
    """A resource dictionary's identity: its object, or the object that holds it directly."""
    return resources.objgen if resources.is_indirect else ("in", owner.objgen)


def _fonts(owner, key: str = "/Resources") -> dict:
    """The fonts an owner of resources names, by name as content writes it (`b"/F1"`)."""
    from pikepdf import Dictionary

    resources = owner.get(key)
    fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
    if not isinstance(fonts, Dictionary):
        return {}
    return {name.encode("latin-1"): font for name, font in fonts.items() if isinstance(font, Dictionary)}


def _content_streams(pdf):
    """Each page's content streams, and the form XObjects the pages draw, once each, with
    the decimals its coordinates keep (2 on a page: a two-hundredth of a CSS pixel, in
    the page's own units; 3 in a form, which may be drawn scaled up) and what holds its
    resources."""
    from pikepdf import Array, Stream

    seen: set[tuple[int, int]] = set()
    pending = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        pending.extend((s, 2, page.obj) for s in (contents if isinstance(contents, Array) else [contents]))
        pending.extend((form, 3, form) for form in _forms(page.obj))
    while pending:
        stream, decimals, owner = pending.pop()
        if not isinstance(stream, Stream) or stream.objgen in seen:
            continue
        seen.add(stream.objgen)
        yield stream, decimals, owner
        pending.extend((form, 3, form) for form in _forms(stream))


def _forms(owner) -> list:
    from pikepdf import Dictionary, Name, Stream

    resources = owner.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
    if not isinstance(xobjects, Dictionary):
        return []
    return [x for x in xobjects.values() if isinstance(x, Stream) and x.get("/Subtype") == Name.Form]


_MARKED = re.compile(rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _retag_as_artifacts(page, mcids: set[int]) -> None:
    """`/Tag <</MCID n>> BDC` → `/Artifact BMC` for the given ids in a page's content."""
    from pikepdf import Array

    contents = page.get("/Contents")
    for stream in contents if isinstance(contents, Array) else [contents]:
        data = stream.read_bytes()
        retagged = _MARKED.sub(lambda m: b"/Artifact BMC" if int(m[1]) in mcids else m[0], data)
        if retagged != data:
            stream.write(retagged)
