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


# One byte a glyph saves a few bytes a hundred glyphs once deflated, and costs the one-byte
# CMap: measured on the curriculum, a document showing fewer glyphs is smaller with two.
NARROW_FROM = 4000


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
    """Content streams and fonts rewritten together: a font gets one-byte codes only when
    every stream that draws with it is rewritten with it."""
    from pikepdf import Dictionary, Stream

    from . import fontprograms, pagecontent

    jobs, owners, fonts, blocked = [], set(), {}, set()
    narrowing, glyphs = True, 0
    for stream, decimals, owner in _content_streams(pdf):
        named = _fonts(owner)
        instructions = pagecontent.parse(stream.read_bytes())
        usage = pagecontent.narrowable(instructions) if instructions is not None else None
        for name, font in named.items():
            fonts[font.objgen] = font
            if usage is None or name in usage and usage[name] is None:
                blocked.add(font.objgen)
            elif usage is not None:
                glyphs += usage.get(name, 0)
        if usage is not None and not set(usage) <= set(named):
            narrowing = False  # a font named by resources this does not find (inherited ones)
        owners.add(owner.objgen)
        jobs.append((stream, decimals, named, instructions, owner))
    # What draws with a font and is not rewritten here: form fields' appearances and
    # defaults, patterns. Those fonts keep their two-byte codes.
    foreign = set()  # resources that something not rewritten here uses too
    for obj in pdf.objects:
        if isinstance(obj, (Dictionary, Stream)) and obj.objgen not in owners and "/Resources" in obj:
            blocked.update(font.objgen for font in _fonts(obj).values())
            foreign.add(_key(obj.Resources, obj))
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, Dictionary):
        blocked.update(font.objgen for font in _fonts(acroform, "/DR").values())
    maps = {objgen: _text_map(font) for objgen, font in fonts.items()}
    narrowed = {objgen for objgen, font in fonts.items() if objgen not in blocked
                and fontprograms.can_narrow(font) and maps[objgen] is not None and max(maps[objgen]) < 256}
    if not narrowing or glyphs < NARROW_FROM:
        narrowed = set()
    _rewrite_content(jobs, narrowed)
    _drop_unused_resources(jobs, foreign)
    encoding = fontprograms.one_byte_cmap(pdf) if narrowed else None
    programs = {}
    for objgen, font in fonts.items():
        if objgen in narrowed:
            font.Encoding = encoding
        if maps[objgen] is not None:
            font.ToUnicode.write(fontprograms.written_text_map(maps[objgen], 1 if objgen in narrowed else 2))
        for descendant in font.get("/DescendantFonts", []):
            program = descendant.get("/FontDescriptor", {}).get("/FontFile2")
            if isinstance(program, Stream):
                programs[program.objgen] = program
    for program in programs.values():
        lean = fontprograms.lean_program(program.read_bytes())
        if lean is not None:
            program.write(lean)
            program.Length1 = len(lean)


def _rewrite_content(jobs: list, narrowed: set) -> None:
    from . import pagecontent

    for stream, decimals, named, instructions, _ in jobs:
        if instructions is not None:
            narrow = frozenset(name for name, font in named.items() if font.objgen in narrowed)
            stream.write(pagecontent.rewritten(instructions, decimals, narrow))


_CLEANED = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties")


def _drop_unused_resources(jobs: list, foreign: set) -> None:
    """Take out of each resource dictionary the graphics states, colour spaces, patterns,
    shadings and property lists no content names (WeasyPrint lists two Lab colour spaces
    and empty dictionaries in every document), when every stream that uses the dictionary
    was read here."""
    from pikepdf import Dictionary

    from .pagecontent import resource_names

    used: dict = {}
    for _, _, _, instructions, owner in jobs:
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


def _text_map(font) -> dict[int, bytes] | None:
    from pikepdf import Stream

    from .fontprograms import text_map

    to_unicode = font.get("/ToUnicode")
    return text_map(to_unicode.read_bytes()) if isinstance(to_unicode, Stream) else None


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
