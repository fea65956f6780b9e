"""Inside the PDFs: tags, language and title on every one (imposed ones too), decorative
icons as artifacts, a tag tree whose every id leads to its element, object streams.

Two builds of the same input giving the same bytes (compaction included) is
`test_build.py::test_same_input_gives_same_bytes`.
"""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from conftest import manifest, pdf_text

IMPOSED = ("es/card.pdf", "en/card.pdf", "es/contacts.pdf", "es/follow-up-card.pdf",
           "es/handouts/first-steps.booklet.pdf", "en/handouts/first-steps.booklet.pdf")
MARKED = re.compile(rb"/([^\s/<>\[\]()]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


@pytest.fixture(scope="module")
def pdfs(minimal_build) -> dict[str, dict]:
    """The sample build's PDFs by path, with their manifest entries."""
    return {path: entry for path, entry in manifest(minimal_build).items() if path.endswith(".pdf")}


def _kids(element) -> list:
    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf):
    """(element, its parent) for every element of the tag tree, parents first."""
    root = pdf.Root.StructTreeRoot
    pending = [(kid, root) for kid in reversed(_kids(root))]
    while pending:
        element, parent = pending.pop()
        yield element, parent
        pending.extend((k, element) for k in reversed(_kids(element)) if isinstance(k, pikepdf.Dictionary) and "/S" in k)


def _tagged_content(pdf: pikepdf.Pdf) -> dict[tuple, str]:
    """Every marked-content id drawn, by (sheet or page, form or None, id) → its tag:
    in page contents, and in the forms a page draws."""
    found = {}
    for page in pdf.pages:
        streams = [(None, page.obj.Contents)]
        streams += [(x.objgen, x) for x in page.obj.Resources.get("/XObject", {}).values() if "/StructParents" in x]
        for form, stream in streams:
            for tag, mcid in MARKED.findall(stream.read_bytes()):
                found[(page.obj.objgen, form, int(mcid))] = tag.decode()
    return found


def test_every_pdf_is_tagged_in_its_language_with_its_title(minimal_build, pdfs):
    """The cut sheets and booklets too: they carry the rendered document's language,
    title and tags (their faces are form XObjects of that same document)."""
    assert set(IMPOSED) <= set(pdfs)
    for path, entry in pdfs.items():
        with pikepdf.open(minimal_build / path) as pdf:
            assert str(pdf.Root.get("/Lang")) == entry["lang"], path
            assert str(pdf.docinfo.get("/Title", "")).strip(), path
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, path
            assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root, path


def test_every_tagged_id_leads_to_its_element_and_back(minimal_build, pdfs):
    """Each marked-content id drawn is a child of exactly one element of the tree (through
    the page, or the form on the sheet that draws it), and the parent tree names that
    element: nothing tagged is left out of the structure (WeasyPrint's running heads were)."""
    for path in pdfs:
        with pikepdf.open(minimal_build / path) as pdf:
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            owners: dict[tuple, pikepdf.Dictionary] = {}
            for element, parent in _elements(pdf):
                assert element.P.objgen == parent.objgen, path
                for kid in _kids(element):
                    if isinstance(kid, int):
                        key = (element.Pg.objgen, None, kid)
                    elif kid.get("/Type") == "/MCR":
                        key = (kid.Pg.objgen, kid.Stm.objgen if "/Stm" in kid else None, int(kid.MCID))
                    else:
                        continue
                    assert key not in owners, (path, key)
                    owners[key] = element
            drawn = _tagged_content(pdf)
            assert drawn and set(drawn) == set(owners), path
            for (page, form, mcid), element in owners.items():
                holder = pdf.get_object(form) if form else pdf.get_object(page)
                assert parent_tree[int(holder.StructParents)][mcid].objgen == element.objgen, (path, mcid)


def _drawn_forms(page) -> tuple[list[str], list[str]]:
    """The forms a sheet draws (`Do`), outside any marked content and inside `/Artifact`
    marked content, read by operators (however the stream is laid out)."""
    tagged, artifacts, marks = [], [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            marks.append(str(operands[0]))
        elif op == "EMC":
            marks.pop()
        elif op == "Do":
            (artifacts if "/Artifact" in marks else tagged).append(str(operands[0]))
    return tagged, artifacts


def test_a_card_sheet_tags_one_card_and_draws_the_other_seven_as_artifacts(minimal_build):
    """A form drawn eight times cannot be in the structure eight times: the first copy of
    each face is the tagged one, the others an untagged copy drawn as an artifact. The
    tree holds the card's text once."""
    path = minimal_build / "es/card.pdf"
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            tagged, artifacts = _drawn_forms(page)
            assert len(tagged) == 1 and len(artifacts) == 8, (tagged, artifacts)  # one face; 7 copies and the crop marks
            forms = page.obj.Resources.XObject
            assert "/StructParents" in forms[tagged[0]]
            for name in artifacts:
                form = forms[name]
                assert "/StructParents" not in form and not MARKED.search(form.read_bytes())
        words = sum(len(MARKED.findall(form.read_bytes())) for page in pdf.pages
                    for form in page.obj.Resources.XObject.values() if "/StructParents" in form)
        assert words > 5  # the faces' lines, once each
    text = pdf_text(path)
    assert text.count("Conoce tus derechos") >= 8  # the copies are drawn all the same


def test_every_figure_says_what_it_is(minimal_build, pdfs):
    """Only figures with alternative text are in the structure (the section icons,
    which have none, are artifacts: the next test)."""
    for path in pdfs:
        with pikepdf.open(minimal_build / path) as pdf:
            assert all("/Alt" in e for e, _ in _elements(pdf) if e.S == "/Figure"), path


ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">{title}<path d="M2 2h{n}v20H2z"/></svg>'
PAGE = ('<!doctype html><html lang="es"><head><title>Prueba</title></head><body>'
        '<h2><span class="icon">{icon}</span> Qué hacer</h2><p>{logo} Texto.</p>{text}</body></html>')
WORDS = "La policía no puede detenerte sin una razón que la ley permita; pide su nombre y su unidad. "


@pytest.fixture(scope="module")
def writer():
    from taller.paths import TEMPLATES
    from taller.render.weasy import PdfWriter

    return PdfWriter([TEMPLATES])


def test_an_icon_without_a_title_is_an_artifact_and_a_titled_one_a_figure(writer):
    """WeasyPrint 70 tags every inline SVG as a Figure, whatever the markup says
    (`aria-hidden`, `role`): a Figure without alternative text is drawn as an artifact."""
    from taller.paths import TEMPLATES

    html = PAGE.format(icon=ICON.format(title="", n=17), logo=ICON.format(title="<title>Logo</title>", n=19), text="")
    rendered = writer.pdf(html, TEMPLATES)
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        assert [str(e.Alt) for e, _ in _elements(pdf) if e.S == "/Figure"] == ["Logo"]
        content = pdf.pages[0].obj.Contents.read_bytes()
    assert len(re.findall(rb"/Figure\s*<<\s*/MCID", content)) == 1
    for corner, tag in ((b"19 2 l", b"/Artifact"), (b"21 2 l", b"/Figure")):  # the icon's path, the logo's
        before = content[:content.index(corner)]
        assert before.rfind(tag) > before.rfind(b"EMC"), tag  # drawn inside that marked content


@pytest.fixture(scope="module")
def long_document(writer) -> bytes:
    """Pages of running text, as a guide has, straight from WeasyPrint (not compacted):
    every letter, digit and sign a text uses, so that some glyph codes are the bytes a
    literal string must escape."""
    from weasyprint import HTML

    from taller.paths import TEMPLATES

    signs = "ABCDEFGHIJKLMNÑOPQRSTUVWXYZ abcdefghijklmnñopqrstuvwxyz áéíóúü ÁÉÍÓÚ 0123456789 ¿?¡! (a) [b] «c» \\ / – — ; : , ."
    html = PAGE.format(icon="", logo="", text="".join(f"<h3>Parte {n}</h3><p>{WORDS * 12}</p><p>{signs}</p>"
                                                      for n in range(30)))
    return HTML(string=html, base_url=TEMPLATES.as_uri() + "/").write_pdf(pdf_tags=True, font_config=writer.font_config)


def test_compaction_takes_a_fifth_off_a_long_document(long_document):
    """Without its per-line elements in the tag tree, and with joined glyph runs and
    shorter numbers in the content, a long text weighs a fifth less (the real
    curriculum: 6,279 → 4,935 bytes a page)."""
    from taller.render.compact import compact

    assert len(compact(long_document)) < 0.8 * len(long_document)


def test_compaction_keeps_the_text_and_gives_the_same_bytes_twice(long_document, tmp_path):
    from taller.render.compact import compact

    before, after = tmp_path / "before.pdf", tmp_path / "after.pdf"
    before.write_bytes(long_document)
    after.write_bytes(compact(long_document))
    assert pdf_text(after) == pdf_text(before) and "(a) [b] «c»" in pdf_text(after)
    assert compact(long_document) == after.read_bytes()


def test_the_tree_has_no_element_per_line(minimal_build, pdfs):
    """WeasyPrint wraps each line of text in a `Span` of its own; compaction hands the
    line to its paragraph, heading or cell, which is what a reader announces."""
    for path in pdfs:
        with pikepdf.open(minimal_build / path) as pdf:
            lines = [e for e, _ in _elements(pdf) if e.S in ("/Span", "/NonStruct") and set(e.keys()) <= {
                "/Type", "/S", "/K", "/Pg", "/P"} and _kids(e) and all(isinstance(k, int) for k in _kids(e))]
            assert lines == [], path


def test_forms_and_outlines_are_kept(minimal_build):
    """Compaction keeps what the reader uses: the fillable form's fields on their pages,
    the manual's bookmarks."""
    with pikepdf.open(minimal_build / "es/incident-form.fillable.pdf") as pdf:
        fields = list(pdf.Root.AcroForm.Fields)
        widgets = {a.objgen for page in pdf.pages for a in page.obj.get("/Annots", [])}
        assert len(fields) > 10 and all(f.objgen in widgets or all(k.objgen in widgets for k in f.Kids)
                                        for f in fields)
        assert sum(1 for e, _ in _elements(pdf) if e.S == "/Form") == len(widgets)
    with pikepdf.open(minimal_build / "es/book.pdf") as pdf:
        assert int(pdf.Root.Outlines.Count) > 3
        assert pdf.Root.Outlines.First.Dest[0].objgen in {p.obj.objgen for p in pdf.pages}


def test_object_streams_and_a_compact_cross_reference(minimal_build, pdfs):
    for path in pdfs:
        data = (minimal_build / path).read_bytes()
        assert re.search(rb"/Type\s*/ObjStm", data) and re.search(rb"/Type\s*/XRef", data), path
        assert b"\nxref\n" not in data, path  # no plain cross-reference table
