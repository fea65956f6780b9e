"""The happy path: a small curriculum builds into PDFs and a correct manifest."""

from __future__ import annotations

import hashlib
import re

from pypdf import PdfReader

from conftest import manifest, pdf_text

EXPECTED = {
    "es/handouts/first-steps.pdf", "es/guides/first-steps.pdf",
    "en/handouts/first-steps.pdf", "en/guides/first-steps.pdf",
}


def test_build_writes_pdfs_and_manifest_without_warnings(run, sample, tmp_path):
    content = sample()
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout,guide")
    assert result.code == 0
    assert result.lines == []  # nothing warned
    assert result.err == ""
    entries = manifest(out)
    assert set(entries) == EXPECTED | {p.replace(".pdf", f".{v}.pdf") for p in EXPECTED if "handouts" in p
                                       for v in ("booklet", "large-print")}
    entries = {path: entry for path, entry in entries.items() if path in EXPECTED}
    for path, entry in entries.items():
        data = (out / path).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == len(PdfReader(out / path).pages)
        assert entry["lang"] == path[:2]
        assert entry["module"] == "first-steps"
        assert entry["variant"] is None
    assert entries["es/guides/first-steps.pdf"]["kind"] == "guide"
    assert entries["en/handouts/first-steps.pdf"]["kind"] == "handout"


def test_handout_has_participant_text_but_never_facilitator_notes(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--only", "handout").code == 0
    es = pdf_text(out / "es/handouts/first-steps.pdf")
    assert "Primeros pasos" in es
    assert "Haz lo que te parezca más seguro." in es
    assert "Palabras para usar" in es and "testigo" in es
    assert "Pendiente de revisión por la abogada o el abogado del grupo." in es
    assert "NOTA-SOLO-FACILITADORA" not in es
    assert "NOTA-DE-SEGURIDAD" not in es
    en = pdf_text(out / "en/handouts/first-steps.pdf")
    assert "Do what feels safest." in en
    assert "FACILITATOR-ONLY-NOTE" not in en and "SAFETY-NOTE" not in en
    assert "Pending review by the group's lawyer." in en
    # The organisation's phone is unknown: a label with a line to fill in, never a number.
    assert "Phone" in en


def test_guide_has_clock_times_notes_and_legal_status(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--only", "guide",
               "--start", "14:30").code == 0
    es = pdf_text(out / "es/guides/first-steps.pdf")
    for expected in ("Plan de las sesiones", "14:30–14:50", "14:50–15:20", "Ronda de nombres",
                     "NOTA-SOLO-FACILITADORA", "NOTA-DE-SEGURIDAD", "Conocimientos", "Habilidades", "Actitudes",
                     "Lista de materiales", "plumones", "Tarjeta de rol.", "Un hecho de prueba",
                     "Pendiente de revisión", "Edición 0.9 · ES · 15 de enero de 2026"):
        assert expected in es, expected
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "Edition 0.9 · EN · January 15, 2026" in en
    assert "Role play" in en and "Practise and plan" in en


def test_same_input_gives_same_bytes(run, sample, tmp_path):
    content = sample()
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("--content", str(content), "--out", str(first), "--jobs", "1").code == 0
    assert run("--content", str(content), "--out", str(second), "--jobs", "2").code == 0
    assert len(manifest(first)) > len(EXPECTED)  # every kind, not only handouts and guides
    for path in manifest(first):
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()


def test_keep_html_mirrors_pdf_paths(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--keep-html", "--lang", "en",
               "--only", "handout,guide").code == 0
    html = (out / "_html/en/handouts/first-steps.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert not (out / "_html/es").exists()
    assert {p for p in manifest(out) if "." not in p.split("/")[-1][:-4]} == {p for p in EXPECTED if p.startswith("en/")}


def test_keep_html_keeps_the_manual_whole_and_its_parts(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--keep-html", "--lang", "es",
               "--only", "book").code == 0
    whole, front, back = ((out / f"_html/es/book{suffix}.html").read_text(encoding="utf-8")
                          for suffix in ("", ".front", ".back"))
    assert 'id="module-first-steps"' in whole and 'id="appendix-glossary"' in whole  # one document
    assert 'id="toc"' in front and 'id="module-first-steps"' not in front
    assert 'id="appendix-glossary"' in back and 'id="toc"' not in back


def test_letter_paper(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--paper", "letter", "--only", "handout").code == 0
    box = PdfReader(out / "es/handouts/first-steps.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def _fonts(resources) -> list:
    """Font references of a page's resources, including those of the forms it draws
    (a booklet or card sheet draws each rendered page as a form XObject)."""
    found = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources", {}).get_object())
    return found


def test_fonts_are_only_the_bundled_ones(run, sample, tmp_path):
    from taller.pdf import bundled_families

    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "2").code == 0
    bundled = {family.replace(" ", "") for family in bundled_families()}
    for path, entry in manifest(out).items():
        if entry["kind"] == "html":
            continue
        embedded = set()
        for page in PdfReader(out / path).pages:
            for ref in _fonts(page.get("/Resources", {})):
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                # WeasyPrint names a font "Family-Name-Bold": drop the style, join the words.
                family = re.sub(r"-(Bold|Italic|BoldItalic|Regular)$", "", name).replace("-", "")
                embedded.add(family)
                descendant = font.get("/DescendantFonts")
                if descendant:
                    assert "/FontFile2" in descendant[0].get_object()["/FontDescriptor"].get_object(), name
        assert embedded and embedded <= bundled, (path, embedded - bundled)
