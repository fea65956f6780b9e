"""A language added by dropping in files: `new-language`, then a build, for a code Babel
knows (Quechua) and one it does not (Aymara); a partly translated third language through
the whole build (tests/roots/three-languages)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import manifest, pdf_text
from taller.content.texts import SHARED_UNITS

UNITS = len(SHARED_UNITS) + 1  # the text units of tests/roots/minimal: the shared ones and one module
NOTICE = "(traducción pendiente)"


def _add(run, content, lang: str, name: str):
    return run("new-language", lang, "--name", name, "--content", str(content))


def _box(pdf, needle: str, page: int = 1) -> tuple[float, float, float, float]:
    """Left, bottom, right and top (points) of the first `needle` on a page of `pdf`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[page].get_textpage()
        start, count = text.search(needle).get_next()
        first, last = text.get_charbox(start), text.get_charbox(start + count - 1)
    finally:
        document.close()
    return first[0], min(first[1], last[1]), last[2], max(first[3], last[3])


def _in_the_cards_margin(pdf, stamp: str) -> bool:
    """The notice of a card's back face is below its edition line and to the right of it: in
    the face's bottom margin (a running element), not in the flow of the face's text."""
    notice, line = _box(pdf, NOTICE), _box(pdf, stamp)
    return notice[3] < line[1] and notice[0] > line[2]


def _notes(result, lang: str) -> list[str]:
    return [line for line in result.err.splitlines() if f": note: {lang}: " in line]


# Babel writes Quechua dates; Aymara's follow Spanish.
@pytest.mark.parametrize("lang, name, date", [("qu", "Runasimi", "15 Enero 2026"), ("ay", "Aymar aru", "15 de enero de 2026")])
def test_a_new_language_builds_with_spanish_where_nothing_is_translated(run, sample, tmp_path, lang, name, date):
    content = sample()
    before = (content / "curriculum/curriculum.yaml").read_text(encoding="utf-8")
    added = _add(run, content, lang, name)
    assert added.code == 0, added.err
    assert f"{name} ({lang}) added to {content}/curriculum/curriculum.yaml, as a language in progress" in added.out
    assert f"made {UNITS} text files" in added.out and "Translate first:" in added.out
    after = (content / "curriculum/curriculum.yaml").read_text(encoding="utf-8")
    # Three lines, the rest of the file (its comments, its order) as it was.
    assert after.replace(f"languages: [es, en, {lang}]\n", "languages: [es, en]\n").replace(
        f"languages_in_progress: [{lang}]  # still being translated: see content/README.md, \"Adding a language\"\n", ""
    ).replace(f'language_names: {{{lang}: "{name}"}}  # what the language chooser calls each language\n', "") == before
    for texts in [*content.glob("*/es.yaml"), *content.glob("modules/*/es.yaml")]:
        fresh = texts.with_name(f"{lang}.yaml").read_text(encoding="utf-8")
        assert all(line.startswith("#") for line in fresh.splitlines())  # nothing translated, nothing stale
    catalog = content / f"locales/{lang}/LC_MESSAGES/messages.po"
    assert 'msgid "What to know"\nmsgstr ""' in catalog.read_text(encoding="utf-8")
    assert "#. es: Lo que debes saber" in catalog.read_text(encoding="utf-8")  # the Spanish, as a note
    if shutil.which("msgfmt"):
        assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog)]).returncode == 0

    checked = run("check", "--strict", "--content", str(content))
    assert (checked.code, checked.lines) == (0, [])  # a language in progress: notes, not warnings
    assert len(_notes(checked, lang)) == UNITS + 1  # one per text file, one for the contact labels
    assert f"{content}/card/{lang}.yaml: note: {lang}: 8 of 8 texts still to translate: they print in Spanish (es), " \
           "with a notice; `check --verbose` lists each" in checked.err
    unknown = f"{content}/curriculum/curriculum.yaml:1: note: Babel has no data for language 'ay': its dates, " \
              "plural forms and sorting follow Spanish (es)"
    assert (unknown in checked.err) == (lang == "ay")

    out = tmp_path / "out"
    built = run("--content", str(content), "--out", str(out), "--only", "handout,card", "--jobs", "2")
    assert (built.code, built.lines) == (0, []), built.err
    assert {e["lang"] for e in manifest(out).values()} == {"es", "en", lang}
    handout = pdf_text(out / f"{lang}/handouts/first-steps.pdf")
    assert "MÓDULO 1 · PARA PARTICIPANTES Primeros pasos" in handout  # Spanish headings, Spanish text
    assert "Lo que debes saber" in handout and "Escucha a tus compañeras." in handout
    assert handout.count(NOTICE) == 1
    assert f"Edición 0.9 · {lang.upper()} · {date} {NOTICE}" in handout
    # The card's faces are as full as in Spanish; the notice sits in each card's margin.
    assert pdf_text(out / f"{lang}/card.pdf").count(NOTICE) == 8
    assert _in_the_cards_margin(out / f"{lang}/card.pdf", "Edición 0.9")
    for other in ("es", "en"):
        assert "pending" not in pdf_text(out / f"{other}/handouts/first-steps.pdf")
        assert "pendiente" not in pdf_text(out / f"{other}/card.pdf")


def test_adding_a_language_twice_adds_nothing_more(run, sample):
    content = sample()
    assert _add(run, content, "qu", "Runasimi").code == 0
    files = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    again = _add(run, content, "qu", "Runasimi")
    assert again.code == 0
    assert again.out == "qu: already declared, with its text files and its catalog: nothing to make\n"
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == files
    # A declared language that lost a file gets it back, and nothing else changes.
    (content / "card/qu.yaml").unlink()
    repaired = _add(run, content, "qu", "Runasimi")
    assert repaired.code == 0, repaired.err
    assert "made 1 text files" in repaired.out
    assert (content / "card/qu.yaml").read_bytes() == files[content / "card/qu.yaml"]


def test_new_language_refuses_what_it_cannot_do(run, sample):
    content = sample()
    files = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    source = _add(run, content, "es", "Español")
    assert source.code == 1
    assert source.err.splitlines()[-2:] == [
        "error: 'es' is the source language: every other language is translated from it", "nothing added"]
    assert _add(run, content, "Q!", "x").code == 2
    assert run("new-language", "qu", "--content", str(content)).code == 2  # --name is needed
    broken = content / "modules/first-steps/module.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("minutes: 30", "minutes: treinta", 1), encoding="utf-8")
    files[broken] = broken.read_bytes()
    refused = _add(run, content, "qu", "Runasimi")
    assert refused.code == 1
    assert refused.lines and all(": error: " in line for line in refused.lines)
    assert refused.err.endswith("nothing added\n")
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == files


def test_a_partly_translated_third_language_goes_through_the_whole_build(builds):
    """tests/roots/three-languages: Aymara (which Babel does not know) in progress, its handout
    and one list of its card still to translate."""
    out = builds("three-languages", "--jobs", "2")
    handout = pdf_text(out / "ay/handouts/first-steps.pdf")
    assert "First steps" in handout  # what is translated (an English stand-in)
    assert "Escucha a tus compañeras." in handout and "Lo que debes saber" in handout  # what is not, and headings
    assert handout.count(NOTICE) == 1
    card = pdf_text(out / "ay/card.pdf")
    assert "Cuéntalo a la organización para registrarlo." in card and card.count(NOTICE) == 8
    assert _in_the_cards_margin(out / "ay/card.pdf", "Edición 0.9")
    assert "pending" not in pdf_text(out / "en/card.pdf") + pdf_text(out / "en/handouts/first-steps.pdf")
    guide = pdf_text(out / "ay/guides/first-steps.pdf")
    assert "Round of names" in guide and NOTICE not in guide  # the guide's texts are all there
    chooser = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="index-ay.html">Aymar aru</a>', chooser)  # the name curriculum.yaml gives
    assert "15 de enero de 2026" in (out / "index-ay.html").read_text(encoding="utf-8")
