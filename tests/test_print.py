"""Every print artifact: kinds and variants in the manifest, cut sheets, forms, booklets, plans."""

from __future__ import annotations

import contextlib
import io
import math
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import CONTENT, ROOTS, manifest, pdf_text
from taller.checking import check
from taller.cli import main
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, Artifact, sign_in
from taller.language.collation import sort_key
from taller.options import Options
from taller.output.printplan import describe, plan
from taller.render.html import Renderer, RenderOptions
from taller.render.imposition import booklet_order
from taller.render.jobs import plan_jobs, run_jobs
from taller.render.sources import Page
from taller.render.weasy import Rendered
from taller.views.base import LanguageView

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
        if not path.endswith(".pdf"):  # pages of the offline edition, share images
            continue
        for page in PdfReader(out / path).pages:
            expected = {"certificate": (792, 612)}.get(entry["kind"], LETTER)
            if entry["variant"] == "booklet":
                expected = (792, 612)  # two half-letter pages side by side
            assert size(page) == expected, path


def test_no_blank_pages_in_plain_documents(built):
    for path, entry in manifest(built).items():
        if entry["variant"] in ("booklet",) or entry["kind"] in ("book", "html") or not path.endswith(".pdf"):
            continue  # booklets pad with intended blanks; the book's blank versos are intended
        for number, page in enumerate(PdfReader(built / path).pages, start=1):
            assert (page.extract_text() or "").strip(), f"{path} page {number} is blank"


# --- plan: what a workshop prints, said for the print shop -----------------------------------


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> dict:
    """`plan --track short --participants 10 --lang es` on a fresh copy of the sample: no
    build has run there, no cache exists. Its output and the folder it wrote."""
    folder = tmp_path_factory.mktemp("planned")
    content, out = folder / "sample", folder / "out"
    shutil.copytree(ROOTS / "minimal", content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["plan", "--content", str(content), "--out", str(out), "--track", "short",
                     "--participants", "10", "--lang", "es"])
    return {"code": code, "out": stdout.getvalue(), "err": stderr.getvalue(), "content": content, "folder": out}


def _row(copies: int, pages: int, title: str, one_sided: bool = False) -> str:
    """A line of the plan's table: sheets from pages, both sides unless one-sided or one page."""
    one = one_sided or pages == 1
    sheets = copies * (pages if one else math.ceil(pages / 2))
    return f"{copies:>6}  {pages:>5}  {sheets:>6}  A4     {'one side' if one else 'both, long edge':<15}  {title}"


def test_plan_before_any_build_lists_titles_copies_sheets_and_how_to_print(planned, built):
    """No build, no manifest: the plan lays out what it lists (the pages are those a build
    makes: the shared build's manifest), by the titles the materials print."""
    assert planned["code"] == 0, planned["err"]
    assert planned["err"] == ""
    pages = {path: entry["pages"] for path, entry in manifest(built).items()}
    rows = [
        (10, "es/handouts/first-steps.pdf", "Primeros pasos · Hoja para participantes", False),
        (10, "es/legal-sheets/first-steps.pdf", "Primeros pasos · Lo que dice la ley", False),
        (2, "es/guides/first-steps.pdf", "Primeros pasos · Guía para facilitadoras", False),  # one each
        (10, "es/observer-form.pdf", "Formulario de la observadora", False),
        (2, "es/card.pdf", "Conoce tus derechos", False),  # 8 cards a sheet: 10 people, 2 sheets
        (2, "es/contacts.pdf", "Mis contactos de emergencia", False),
        (2, "es/follow-up-card.pdf", "Seguimiento de mi queja o denuncia", False),
        (10, "es/incident-form.pdf", "Ficha de registro de incidentes", False),
        (10, "es/witness-sheet.pdf", "Hoja de testigos", False),
        (10, "es/glossary.pdf", "Glosario", False),
        (12, "es/workshops/short/agenda.pdf", "Taller corto · Agenda", False),  # and the facilitators'
        (1, "es/workshops/short/sign-in.pdf", "Taller corto · Lista de asistencia", True),  # 16 names a day
        (10, "es/workshops/short/evaluation.pdf", "Taller corto · Evaluación", False),
        (10, "es/workshops/short/certificate.pdf", "Taller corto · Constancia", True),
    ]
    table = [_row(copies, pages[path], title, one_sided) for copies, path, title, one_sided in rows]
    one = [one_sided or pages[path] == 1 for _, path, _, one_sided in rows]
    sheets = sum(c * (pages[p] if o else math.ceil(pages[p] / 2)) for (c, p, _, _), o in zip(rows, one))
    sides = sum(c * pages[p] for c, p, _, _ in rows)
    assert planned["out"].splitlines() == [
        "Print plan: Taller corto (short), 1 day",
        "For 10 participants, 2 facilitators; materials in Español",
        "",
        "copies  pages  sheets  paper  sides            material",
        *table,
        "",
        "Cards: once printed, cut along the marks, 8 cards a sheet: Conoce tus derechos, Mis contactos de emergencia, "
        "Seguimiento de mi queja o denuncia",
        f"Total on A4: {sheets} sheets ({sides} printed sides)",
        "",
        f"For the print shop, on one page: {planned['folder']}/es/workshops/short/print-plan.pdf",
    ]
    assert pages["es/handouts/first-steps.pdf"] == 2 and pages["es/card.pdf"] == 2  # the sums above are not trivial


def test_plan_speaks_spanish_with_ui_es(run, planned, tmp_path):
    result = run("plan", "--ui", "es", "--content", str(planned["content"]), "--out", str(tmp_path / "out"),
                 "--track", "short", "--participants", "10", "--lang", "es")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:4] == ["Plan de impresión: Taller corto (short), 1 día",
                         "Para 10 participantes, 2 facilitadoras; materiales en Español", "",
                         "copias  págs.  hojas  papel  caras               material"]
    assert lines[4].endswith("  A4     doble, borde largo  Primeros pasos · Hoja para participantes")
    assert "     1      1      1  A4     una cara            Taller corto · Lista de asistencia" in lines
    assert lines[-1] == f"Para la imprenta, en una página: {tmp_path / 'out'}/es/workshops/short/print-plan.pdf"


def test_plan_writes_a_one_page_print_plan_for_the_print_shop(planned):
    pdf = planned["folder"] / "es/workshops/short/print-plan.pdf"
    assert len(PdfReader(pdf).pages) == 1
    text = pdf_text(pdf)
    sheets, sides = re.search(r"Total on A4: (\d+) sheets \((\d+) printed sides\)", planned["out"]).groups()
    assert text.startswith("PLAN DE IMPRESIÓN · ORGANIZACIÓN DE PRUEBA Taller corto Edición 0.9 · ES · 15 de enero de 2026 "
                           "Para 10 participantes · 2 facilitadoras · 1 día "
                           "Material Copias Páginas Hojas Papel Cómo imprimir Hoja para participantes Primeros pasos 10 ")
    for said in ("Guía para facilitadoras Primeros pasos 2 ", "Conoce tus derechos 2 2 2 A4 Doble cara, borde largo *",
                 "Taller corto · Lista de asistencia 1 1 1 A4 Una cara", "Taller corto · Constancia 10 1 10 A4 Una cara",
                 f"Total en A4 {sheets} {sides} caras impresas",
                 "Doble cara, borde largo: el reverso de cada página se voltea por el lado largo de la hoja, como en un libro.",
                 "* Tarjetas: imprime a doble cara (borde largo) y luego corta por las marcas: 8 tarjetas por hoja."):
        assert said in text, said
    assert "es/handouts" not in text  # titles, not paths
    entry = manifest(planned["folder"])["es/workshops/short/print-plan.pdf"]
    assert (entry["kind"], entry["track"], entry["pages"]) == ("print-plan", "short", 1)
    assert list(manifest(planned["folder"])) == ["es/workshops/short/print-plan.pdf"]  # nothing else was written


def test_a_build_after_plan_takes_the_print_plan_as_its_own(run, planned, tmp_path):
    """plan writes through a build's machinery (manifest, journal): a build into the same
    folder later is not stopped by a print plan it did not write."""
    content, out = tmp_path / "sample", tmp_path / "out"
    shutil.copytree(planned["content"], content, symlinks=True)
    shutil.copytree(planned["folder"], out)
    result = run("--content", str(content), "--out", str(out), "--lang", "es", "--only", "print-plan,sign-in", "-q")
    assert result.code == 0, result.err
    assert result.lines == []
    # The build's own plan: for the largest group the sessions are written for (12), two facilitators.
    assert "Para 12 participantes · 2 facilitadoras · 1 día" in pdf_text(out / "es/workshops/short/print-plan.pdf")


def test_the_build_makes_the_print_plan_like_any_kind(built):
    for lang, said in (("es", "Para 12 participantes · 2 facilitadoras · 1 día"),
                       ("en", "For 12 participants · 2 facilitators · 1 day")):
        entry = manifest(built)[f"{lang}/workshops/short/print-plan.pdf"]
        assert (entry["kind"], entry["pages"]) == ("print-plan", 1)
        assert said in pdf_text(built / entry["path"])


def test_plan_of_an_unknown_track_names_the_known_ones(run, sample, tmp_path):
    content = sample()
    result = run("plan", "--content", str(content), "--out", str(tmp_path / "out"), "--track", "largo",
                 "--participants", "10")
    assert result.code == 1
    assert result.lines == ["error: unknown track 'largo' (known: short)"]
    result = run("plan", "--content", str(content), "--out", str(tmp_path / "out"), "--track", "shrot",
                 "--participants", "10")
    assert result.lines == ["error: unknown track 'shrot' (known: short): did you mean 'short'?"]
    assert not (tmp_path / "out").exists()


def _sign_in_line(participants: int):
    """The plan's sign-in line for the real curriculum's three-day track, from the sign-in
    sheet as the pipeline lays it out (only it: the whole plan lays out some thirty files)."""
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=Path("unused")), diags)
    assert cur is not None and not diags.errors
    sign_in = Artifact(KINDS["sign-in"], "es", track="defensoras")
    source = Page(Renderer(cur, RenderOptions(CONTENT, cur.default_org)).html(sign_in))
    rendered = run_jobs(plan_jobs([sign_in], {sign_in: source}, "A4"), CONTENT, 1)[sign_in]
    track = next(t for t in cur.tracks if t.id == "defensoras")
    planned = plan(LanguageView(cur, "es"), track, [describe(sign_in, source, rendered)], participants, 2)
    return planned, rendered


def test_forty_people_on_a_three_day_track_have_sign_in_lines_on_every_day():
    planned, rendered = _sign_in_line(40)
    line = planned.lines[0]
    assert planned.days == 3
    assert line.title == "Defensoras · Lista de asistencia"
    assert (line.copies, line.pages, line.sheets, line.sides) == (3, 3, 9, "one-side")  # 3 sheets a day
    reader = PdfReader(io.BytesIO(rendered.pdf))
    for day, page in enumerate(reader.pages, start=1):  # a page a day, each with ROWS lines to write on
        text = page.extract_text()
        assert f"Día {day}" in text and f"\n{sign_in.ROWS}" in text and f"\n{sign_in.ROWS + 1}" not in text
    assert line.copies * sign_in.ROWS >= 40 > (line.copies - 1) * sign_in.ROWS


def test_the_print_plan_of_every_real_track_is_one_page():
    """The longest track (formadoras, some fifty files) still fits one page, in both
    languages: its plan laid out with the real titles, each file taken as one A4 page (the
    pages change the numbers, not the lines)."""
    blank, writer = io.BytesIO(), PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(blank)
    one_page = Rendered(blank.getvalue(), 1)
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=Path("unused")), diags)
    renderer = Renderer(cur, RenderOptions(CONTENT, cur.default_org))
    kind, described, plans = KINDS["print-plan"], {}, {}
    for lang in cur.languages:
        for track in cur.tracks:
            artifact = Artifact(kind, lang, track=track.id)
            for listed in kind.lists(cur, artifact):
                if listed not in described:
                    described[listed] = describe(listed, renderer.source(listed), one_page)
            extra = {"listed": [described[a] for a in kind.lists(cur, artifact)], "workshop": (40, 3)}
            plans[artifact] = Page(renderer.html(artifact, extra=extra))
    assert len(plans) == 2 * len(cur.tracks) and max(len(p.html) for p in plans.values()) > 0
    results = run_jobs(plan_jobs(list(plans), plans, "A4"), CONTENT, 2)
    assert {a.path: results[a].pages for a in plans} == {a.path: 1 for a in plans}


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
