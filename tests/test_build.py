"""The happy path: a small curriculum builds into PDFs and a correct manifest."""

from __future__ import annotations

import hashlib

from pypdf import PdfReader

from conftest import bundled, embedded_families, manifest, pdf_text

EXPECTED = {
    "es/handouts/first-steps.pdf", "es/guides/first-steps.pdf",
    "en/handouts/first-steps.pdf", "en/guides/first-steps.pdf",
}


def test_build_writes_pdfs_and_manifest_without_warnings(run, sample, tmp_path):
    content = sample()
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "2", "--only", "handout,guide")
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
    assert "Todavía sin revisar por la abogada o el abogado del grupo" in es
    assert "NOTA-SOLO-FACILITADORA" not in es
    assert "NOTA-DE-SEGURIDAD" not in es
    en = pdf_text(out / "en/handouts/first-steps.pdf")
    assert "Do what feels safest." in en
    assert "FACILITATOR-ONLY-NOTE" not in en and "SAFETY-NOTE" not in en
    assert "Not yet reviewed by the group's lawyer" in en
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
                     "Todavía sin revisar", "Edición 0.9 · ES · 15 de enero de 2026"):
        assert expected in es, expected
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "Edition 0.9 · EN · January 15, 2026" in en
    assert "Role play" in en and "Practise and plan" in en


def test_same_input_gives_same_bytes(run, sample, tmp_path, minimal_build):
    """Two cold builds, one worker and two, each with a cache of its own: the same bytes."""
    out = tmp_path / "out"
    result = run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--cache", str(tmp_path / "cache"))
    assert result.code == 0
    pdfs = [path for path, entry in manifest(out).items() if entry["kind"] != "html"]
    assert f"({len(pdfs)} made anew)" in result.out  # every PDF laid out anew, none from a cache
    assert len(manifest(out)) > len(EXPECTED)  # every kind, not only handouts and guides
    for path in [*manifest(out), "manifest.json", "taller-0.9-es.zip", "taller-0.9-en.zip", "index.html"]:
        assert (out / path).read_bytes() == (minimal_build / path).read_bytes(), path


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


def test_letter_paper(builds):
    box = PdfReader(builds("minimal", "--paper", "letter", "--jobs", "2") / "es/handouts/first-steps.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_fonts_are_only_the_bundled_ones(minimal_build):
    for path, entry in manifest(minimal_build).items():
        if not path.endswith(".pdf"):  # pages of the offline edition, share images
            continue
        embedded = embedded_families(minimal_build / path)
        assert embedded and embedded <= bundled(), (path, embedded - bundled())
