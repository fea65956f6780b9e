"""Every print artifact: kinds and variants in the manifest, cut sheets, forms, booklets, plans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import manifest, pdf_text
from taller.language.collation import sort_key
from taller.render.imposition import booklet_order

A4, LETTER = (595, 842), (612, 792)


@pytest.fixture(scope="module")
def built(minimal_build):
    """The minimal curriculum built once, every kind, both languages."""
    return minimal_build


def size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def test_manifest_lists_every_kind_and_variant(built):
    entries = manifest(built)
    kinds = {(e["lang"], e["kind"], e["variant"]) for e in entries.values()}
    for lang in ("es", "en"):
        for kind in ("handout", "guide", "card", "incident-form", "glossary", "book", "agenda", "sign-in",
                     "evaluation", "certificate"):
            assert (lang, kind, None) in kinds, (lang, kind)
        assert (lang, "handout", "booklet") in kinds
        assert (lang, "handout", "large-print") in kinds
        assert (lang, "card", "large-print") in kinds
        assert (lang, "incident-form", "fillable") in kinds
    assert entries["es/workshops/short/agenda.pdf"]["track"] == "short"
    assert entries["es/card.pdf"]["module"] is None


def test_card_sheet_has_eight_cards_front_and_back(built):
    reader = PdfReader(built / "es/card.pdf")
    assert len(reader.pages) == 2
    assert all(size(p) == A4 for p in reader.pages)
    front, back = (p.extract_text() for p in reader.pages)
    assert front.count("Conoce tus derechos") == 8
    assert back.count("Haz lo que te parezca más seguro.") == 8
    assert "Conoce tus derechos" not in back


def test_card_contacts_are_blank_lines_not_invented(built):
    back = PdfReader(built / "en/card.pdf").pages[1].extract_text()
    assert back.count("Phone:") == 8
    assert not re.search(r"\d{6,}", back)  # no phone number appears from nowhere


def test_card_text_too_long_fails_naming_it(run, sample, tmp_path):
    content = sample()
    path = content / "card/es.yaml"
    text = path.read_text(encoding="utf-8")
    long_phrase = '  - "' + "Quiero hablar con mi abogada antes de responder cualquier pregunta. " * 5 + '"\n'
    text = text.replace('  - "Quiero hablar con mi abogada."\n', long_phrase)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("phrases:") + 1
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--only", "card", "--lang", "es")
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line] == [f"{content}/card/es.yaml:{line}: error: card text 'phrases' does not fit its box on the card (es/card.pdf): shorten it"]
    assert not out.exists()


def test_fillable_incident_form_has_fields(built):
    fields = PdfReader(built / "en/incident-form.fillable.pdf").get_fields()
    assert len(fields) >= 15
    assert "badge" in fields and "what-happened" in fields
    assert PdfReader(built / "en/incident-form.pdf").get_fields() in (None, {})
    text = pdf_text(built / "es/incident-form.pdf")
    for label in ("Número de placa", "Solo registro", "Estadísticas anónimas", "Uso legal", "Uso público", "Riesgo de represalias"):
        assert label in text


def test_spanish_collation():
    words = ["ñandú", "nube", "oso", "árbol", "acta", "Óscar", "nz"]
    assert sorted(words, key=lambda w: sort_key(w, "es")) == ["acta", "árbol", "nube", "nz", "ñandú", "Óscar", "oso"]
    assert sorted(words, key=lambda w: sort_key(w, "en")) == ["acta", "árbol", "ñandú", "nube", "nz", "Óscar", "oso"]


def test_glossary_is_bilingual_and_sorted_per_language(built):
    es = pdf_text(built / "es/glossary.pdf")
    assert es.index("placa") < es.index("testigo")
    assert "badge number" in es and "witness" in es
    en = pdf_text(built / "en/glossary.pdf")
    assert en.index("badge number") < en.index("witness")


def test_book_has_toc_bookmarks_and_modules_on_right_pages(built):
    reader = PdfReader(built / "es/book.pdf")
    titles = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    assert "Glosario" in titles and "Hechos legales" in titles
    start = titles["Primeros pasos"]
    assert start % 2 == 0  # 0-based even: a right-hand page
    assert "Módulo 1. Primeros pasos" in reader.pages[2].extract_text()  # cover, blank back of the cover, contents
    links = {a.get_object()["/Dest"]: a for a in reader.pages[2]["/Annots"]}
    assert reader.get_destination_page_number(reader.named_destinations["module-first-steps"]) == start
    assert "module-first-steps" in links  # the contents entry is a link to the module


def test_book_module_pages_are_the_guide_pages(built):
    """The manual is made of the guides' own layout: same pages, same numbers."""
    book, guide = PdfReader(built / "es/book.pdf"), PdfReader(built / "es/guides/first-steps.pdf")
    start = next(reader_page for reader_page, page in enumerate(book.pages) if "Módulo 1 · Página 1 /" in page.extract_text())
    for number, page in enumerate(guide.pages):
        assert book.pages[start + number].extract_text() == page.extract_text()
    assert f"Módulo 1 · Página 1 / {len(guide.pages)}" in guide.pages[0].extract_text()
    assert "Todavía sin revisar por la abogada o el abogado del grupo" in pdf_text(built / "es/book.pdf")


def _halves(path: Path) -> list[tuple[str, str]]:
    """The text on the left and on the right half of each landscape sheet side, as a PDF
    reader lays it out (pypdfium2), so the order is the order on paper."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        sides = []
        for page in document:
            width, height = page.get_size()
            text = page.get_textpage()
            sides.append((text.get_text_bounded(0, 0, width / 2, height), text.get_text_bounded(width / 2, 0, width, height)))
        return sides
    finally:
        document.close()


def test_booklet_is_imposed_on_sheets(built):
    """A5 pages two-up on A4 landscape, in saddle-stitch order: fold the printed sheets
    and the pages read 1, 2, 3, … (page numbers from each page's own footer)."""
    booklet = PdfReader(built / "es/handouts/first-steps.booklet.pdf")
    assert all(size(p) == (842, 595) for p in booklet.pages)  # A4 landscape, two A5 pages a side
    sides = _halves(built / "es/handouts/first-steps.booklet.pdf")
    numbers = [[int(n) for n in re.findall(r"Página (\d+) /", half)] for side in sides for half in side]
    total = max(n for half in numbers for n in half)
    assert len(booklet.pages) == (total + 3) // 4 * 2  # a sheet is four pages, front and back
    order = [half[0] if half else None for half in numbers]  # (left, right) of each side, in print order
    sheets = (total + 3) // 4 * 4
    expected = []
    for sheet in range(sheets // 4):  # outside: last | first; inside: second | second to last
        expected += [sheets - 2 * sheet, 2 * sheet + 1, 2 * sheet + 2, sheets - 1 - 2 * sheet]
    assert order == [n if n <= total else None for n in expected]
    assert "Primeros pasos" in sides[0][1]  # the cover, on the right of the first side


def test_booklet_order():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert booklet_order(5) == [(None, 0), (1, None), (None, 2), (3, 4)]


def _font_sizes(path: Path) -> set[float]:
    sizes: set[float] = set()
    for page in PdfReader(path).pages:
        def visit(text, cm, tm, font, font_size):
            if text.strip():
                sizes.add(round(font_size * abs(tm[3]) * abs(cm[3]), 1))
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("path", ["es/handouts/first-steps.large-print.pdf", "en/card.large-print.pdf"])
def test_large_print_is_16pt_or_more(built, path):
    assert min(_font_sizes(built / path)) >= 15.9
    assert min(_font_sizes(built / path.replace(".large-print", ""))) < 15.9


def test_agenda_clock_follows_the_start_time(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--only", "agenda", "--start", "08:30", "-q").code == 0
    text = pdf_text(out / "es/workshops/short/agenda.pdf")
    assert "08:30–09:20" in text and "Primeros pasos" in text


def test_certificates_one_page_per_name_and_names_go_nowhere_else(run, sample, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("nombre\nRosa Quispe\nMaribel\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("--content", str(sample()), "--out", str(out), "--participants", str(names), "--keep-html", "--lang", "es")
    assert result.code == 0
    cert = PdfReader(out / "es/workshops/short/certificate.pdf")
    assert len(cert.pages) == 2
    assert "Rosa Quispe" in cert.pages[0].extract_text() and "Maribel" in cert.pages[1].extract_text()
    assert "Rosa" not in result.out + result.err
    for path in out.rglob("*"):
        if path.is_file() and path.name != "certificate.pdf":
            data = path.read_bytes()
            assert b"Rosa Quispe" not in data, path
            if path.suffix == ".pdf":
                assert "Rosa Quispe" not in pdf_text(path), path
    assert not (out / "_html/es/workshops/short/certificate.html").exists()


def test_blank_certificate_without_participants(built):
    assert len(PdfReader(built / "es/workshops/short/certificate.pdf").pages) == 1


def test_letter_paper_for_every_kind(builds):
    out = builds("minimal", "--paper", "letter", "--jobs", "2")
    for path, entry in manifest(out).items():
        if entry["kind"] == "html":
            continue
        for page in PdfReader(out / path).pages:
            expected = {"certificate": (792, 612)}.get(entry["kind"], LETTER)
            if entry["variant"] == "booklet":
                expected = (792, 612)  # two half-letter pages side by side
            assert size(page) == expected, path


def test_no_blank_pages_in_plain_documents(built):
    for path, entry in manifest(built).items():
        if entry["variant"] in ("booklet",) or entry["kind"] in ("book", "html"):
            continue  # booklets pad with intended blanks; the book's blank versos are intended
        for number, page in enumerate(PdfReader(built / path).pages, start=1):
            assert (page.extract_text() or "").strip(), f"{path} page {number} is blank"


def test_plan_counts_sheets(run, sample, tmp_path, built):
    content = sample()
    result = run("plan", "--content", str(content), "--out", str(built), "--track", "short", "--participants", "10",
                 "--lang", "es")
    assert result.code == 0
    lines = {line.split()[0]: line.split()[1:] for line in result.out.splitlines()[2:]}
    assert manifest(built)["es/handouts/first-steps.pdf"]["pages"] == 2
    assert lines["es/handouts/first-steps.pdf"] == ["10", "2", "10"]  # 10 copies of one sheet, printed both sides
    assert lines["es/workshops/short/certificate.pdf"] == ["10", "1", "10"]  # one-sided: a sheet a page
    assert lines["es/guides/first-steps.pdf"][0] == "2"  # one guide for each of the two facilitators
    assert lines["es/card.pdf"][0] == "2"  # 8 cards a sheet: 10 people need 2 sheets
    total = sum(int(v[-1]) for k, v in lines.items() if k != "total")
    assert lines["total"][-1] == str(total)


def test_plan_without_a_build_says_to_build_first(run, sample, tmp_path):
    result = run("plan", "--content", str(sample()), "--out", str(tmp_path / "none"), "--track", "short",
                 "--participants", "10")
    assert result.code == 1
    assert result.lines == [f"{tmp_path / 'none' / 'manifest.json'}: error: no build found: run `python build.py` first"]
    assert result.out == ""


def test_plan_of_an_unknown_track_names_the_known_ones(run, sample, built):
    result = run("plan", "--content", str(sample()), "--out", str(built), "--track", "largo", "--participants", "10")
    assert result.code == 1
    assert result.lines == ["error: unknown track 'largo' (known: short)"]


def test_plan_of_a_language_not_built_says_what_to_build(run, sample, tmp_path):
    content, out = sample(), tmp_path / "out"
    assert run("--content", str(content), "--out", str(out), "--lang", "es", "--only", "handout", "-q").code == 0
    result = run("plan", "--content", str(content), "--out", str(out), "--track", "short", "--participants", "3")
    assert result.code == 1
    assert "error: es/guides/first-steps.pdf is not in the last build: build it first (python build.py --lang es)" \
        in result.lines


def test_the_legal_sheet_has_the_modules_facts_and_the_handout_points_to_it(built):
    sheet = pdf_text(built / "es/legal-sheets/first-steps.pdf")
    assert "Lo que dice la ley" in sheet and "Primeros pasos" in sheet
    assert "Texto del hecho legal de prueba." in sheet and "Fuente: Fuente de prueba" in sheet
    assert sheet.count("Todavía sin revisar") == 1
    handout = pdf_text(built / "es/handouts/first-steps.pdf")
    assert "La ley dice" in handout and "Un hecho de prueba" in handout
    assert "Fuentes y detalles: la hoja «Lo que dice la ley» de este módulo." in handout
    assert "Texto del hecho legal de prueba." not in handout and "Fuente de prueba" not in handout
    assert "What the law says" in pdf_text(built / "en/legal-sheets/first-steps.pdf")


def test_the_pictures_evaluation_asks_the_same_questions_with_faces(built):
    written = pdf_text(built / "es/workshops/short/evaluation.pdf")
    pictures = pdf_text(built / "es/workshops/short/evaluation.pictures.pdf")
    assert "¿Qué dice el acuerdo del grupo?" in written and "¿Qué dice el acuerdo del grupo?" in pictures
    assert "La facilitadora lee cada pregunta en voz alta" in pictures
    assert pictures.count("lo sé más o menos todavía no") >= 2  # a row of faces per question, before and after
    assert "lo sé más o menos" not in written
