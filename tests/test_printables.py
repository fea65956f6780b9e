"""The printables the guides hand out: emergency contacts and the follow-up card (wallet
cards, eight to a sheet), the witness sheet, the session plan and the observer's form."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from conftest import manifest, pdf_text
from taller.checking import check
from taller.content.texts import SHARED_UNITS
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, Artifact
from taller.options import Options
from taller.render.html import Renderer, RenderOptions

ORG_NAME = "Organización de Prueba"  # tests/roots/minimal/orgs/test-org.yaml
# Each printable's pages: a wallet card is one sheet of fronts and one of backs; the A4
# forms fit one page, the session plan two.
PAGES = {"contacts": 2, "follow-up-card": 2, "witness-sheet": 1, "observer-form": 1, "session-plan": 2}
WALLET = ("contacts", "follow-up-card")

# Words each printable must show, in each language: its own texts and, on the witness sheet,
# the incident record's options it shares.
KEY_WORDS = {
    ("es", "contacts"): ["Mis contactos de emergencia", "Una compañera de confianza", "Una abogada de confianza",
                         "Nombre o apodo", "Teléfono", "Si me detienen, pido avisar a"],
    ("en", "contacts"): ["My emergency contacts", "A compañera you trust", "A lawyer you trust", "Name or nickname",
                         "Phone", "If I am detained, I ask them to tell"],
    ("es", "follow-up-card"): ["Seguimiento de mi queja o denuncia", "Número de caso o de denuncia", "Dónde la presenté",
                               "Fechas para volver", "Quién me acompaña"],
    ("en", "follow-up-card"): ["Following up my complaint", "Case or complaint number", "Where I filed it",
                               "Dates to go back", "Who goes with me"],
    ("es", "witness-sheet"): ["Hoja de testigos", "Qué vio ella misma", "si pudo verlo sin riesgo",
                              "Contacto con la testigo, solo si ella acepta", "Marca o firma de la testigo",
                              "Serenazgo", "Solo registro", "Estadísticas anónimas"],
    ("en", "witness-sheet"): ["Witness sheet", "What she saw herself", "if she could see it without risk",
                              "Contact with the witness, only if she agrees", "Mark or signature of the witness",
                              "Municipal patrol", "Record only", "Anonymous statistics"],
    ("es", "session-plan"): ["Plan de sesión", "Objetivo", "Agenda", "Minutos", "Paso del arco", "Quién facilita",
                             "Cuidado de la seguridad", "¿Quién espera afuera?", "Lo que hay que verificar"],
    ("en", "session-plan"): ["Session plan", "Objective", "Agenda", "Minutes", "Step of the arc", "Who facilitates",
                             "Looking after safety", "Who waits outside?", "What we have to check"],
    ("es", "observer-form"): ["Formulario de la observadora", "Todavía no", "Escucha sin interrumpir.",
                              "Una sugerencia concreta", "Habla primero quien facilitó"],
    ("en", "observer-form"): ["The observer's form", "Not yet", "She listens without interrupting.",
                              "One concrete suggestion", "The one who facilitated speaks first"],
}


def _html(content: Path, kind: str, lang: str = "es", edition: str = "full") -> str:
    """One printable's HTML, straight from the renderer (no PDF: fast)."""
    diags = Diagnostics()
    cur = check(Options(content=content, content_display=str(content), out=content / "unused"), diags)
    assert cur is not None, [str(d) for d in diags.items]
    return Renderer(cur, RenderOptions(content, "test-org", edition=edition)).html(Artifact(KINDS[kind], lang))


def _hyphen_breaks(path: Path) -> list[str]:
    """Words broken across lines with a hyphen, in the PDF's own text layer (PDFium marks
    a soft break U+FFFE; a hard one is a letter, a hyphen and a line break)."""
    document = pypdfium2.PdfDocument(path)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return re.findall(r"\w+(?:\ufffe|-\r?\n)\w+", text)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_each_printable_is_in_the_manifest_in_es_and_en(minimal_build, kind):
    entries = manifest(minimal_build)
    for lang in ("es", "en"):
        entry = entries[f"{lang}/{kind}.pdf"]
        assert (entry["kind"], entry["lang"], entry["variant"], entry["module"]) == (kind, lang, None, None)
        assert entry["pages"] == PAGES[kind], (lang, kind)
        assert len(PdfReader(minimal_build / entry["path"]).pages) == PAGES[kind]


@pytest.mark.parametrize("lang, kind", sorted(KEY_WORDS))
def test_printable_shows_its_words_in_its_language(minimal_build, lang, kind):
    text = pdf_text(minimal_build / f"{lang}/{kind}.pdf")
    for words in KEY_WORDS[lang, kind]:
        assert words in text, (lang, kind, words)
    other = KEY_WORDS["en" if lang == "es" else "es", kind][0]
    assert other not in text  # the title of the other language: nothing falls back to it


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_text_of_the_unit_is_printed(sample, kind):
    """Each key of the printable's unit reaches its HTML: a text the template forgot (or
    names wrongly) would be translated and checked, and never printed."""
    content = sample()
    page = _html(content, kind)
    diags = Diagnostics()
    cur = check(Options(content=content, content_display=str(content), out=content / "unused"), diags)
    schema = SHARED_UNITS[kind].schema(cur)
    blocks = cur.texts[kind]["es"].blocks
    assert set(blocks) == set(schema)
    for key in schema:
        value = blocks[key].value
        for item in (value if isinstance(value, tuple) else (value,)):
            assert html.escape(item, quote=False) in page, (kind, key, item)


@pytest.mark.parametrize("kind", WALLET)
def test_wallet_card_has_eight_faces_to_a_sheet_front_and_back(minimal_build, kind):
    reader = PdfReader(minimal_build / f"es/{kind}.pdf")
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [(595, 842)] * 2
    front, back = (p.extract_text() for p in reader.pages)
    title, back_words = {"contacts": ("Mis contactos de emergencia", "Otra persona de confianza"),
                         "follow-up-card": ("Seguimiento de mi queja o denuncia", "Fechas para volver")}[kind]
    assert front.count(title) == 8 and title not in back
    assert back.count(back_words) == 8 and back_words not in front


def test_wallet_cards_print_no_number_and_the_contacts_card_no_name_without_contacts(sample, minimal_build):
    for kind in WALLET:
        for lang in ("es", "en"):
            assert not re.search(r"\d{5,}", pdf_text(minimal_build / f"{lang}/{kind}.pdf")), (kind, lang)
    content = sample()
    assert "· " + ORG_NAME in _html(content, "contacts")  # the full edition names the organisation
    for kind in PAGES:
        assert ORG_NAME not in _html(content, kind, edition="no-contacts"), kind


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_word_is_broken_with_a_hyphen(minimal_build, kind):
    for lang in ("es", "en"):
        assert _hyphen_breaks(minimal_build / f"{lang}/{kind}.pdf") == [], (lang, kind)


@pytest.mark.parametrize("kind, key, old, new", [
    ("contacts", "notes", "  - Tú decides dónde guardar esta tarjeta.\n",
     "  - " + "Tú decides dónde guardar esta tarjeta, y nadie más decide por ti. " * 6 + "\n"),
    ("follow-up-card", "case_number", "case_number: Número de caso o de denuncia\n",
     "case_number: " + "Número de caso o de denuncia que te dieron al presentarla " * 8 + "\n"),
], ids=WALLET)
def test_a_text_too_long_for_a_wallet_face_is_an_error_naming_it(run, sample, tmp_path, kind, key, old, new):
    content = sample()
    path = content / kind / "es.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = next(number for number, at in enumerate(text.splitlines(), 1) if at.startswith(f"{key}:"))
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--only", kind, "--lang", "es")
    assert result.code == 1
    assert [e for e in result.lines if ": error: " in e] == [
        f"{path}:{line}: error: {kind} text '{key}' does not fit its box on the {kind} (es/{kind}.pdf): shorten it"]
    assert not out.exists()


def test_plan_counts_the_printables(run, sample, tmp_path):
    # plan writes its print plan into --out: a folder of its own, not the shared build.
    result = run("plan", "--content", str(sample()), "--out", str(tmp_path / "out"), "--track", "short",
                 "--participants", "10", "--facilitators", "2", "--lang", "es")
    assert result.code == 0, result.err
    rows = [re.match(r"\s*(\d+)\s+\d+\s+\d+\s+\S+\s+(?:one side|both, \w+ edge)\s+(.+)$", line)
            for line in result.out.splitlines()]
    copies = {row[2]: row[1] for row in rows if row}  # by the title each prints
    assert copies["Mis contactos de emergencia"] == "2"  # 8 cards a sheet: 10 women need 2 sheets
    assert copies["Seguimiento de mi queja o denuncia"] == "2"
    assert copies["Hoja de testigos"] == "10"  # one each
    assert copies["Formulario de la observadora"] == "10"  # one a round of practice: each observes once
    # Only a workshop that trains trainers or prepares a talk with the police plans sessions.
    assert "Plan de sesión" not in copies
    from taller.kinds import KINDS

    rule = KINDS["session-plan"].print_rule
    assert rule.modules == ("training-trainers", "sensitising-police")
    assert rule.copies(10, 2) == 5  # one a group of four (3), one a facilitator (2)
