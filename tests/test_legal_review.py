"""Legal reviews: `reviewed` records who checked which fact; a reviewed fact prints who and
when; a change to the fact (or time) makes it pending again, with a warning at its line;
the review packet lists every fact with where it is printed; the note about facts not yet
reviewed prints once per box; the group's history is never printed as law for participants."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from conftest import pdf_text

SHEET = "es/legal-sheets/first-steps.pdf"  # the module's facts, as participants get them
PENDING = "Todavía sin revisar por la abogada o el abogado del grupo: confírmalo antes de confiar en esto."


def _handout(run, content: Path, out: Path, *extra: str) -> str:
    """The legal sheet of the module: the facts with their review status (the handout
    itself names only their titles)."""
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "legal-sheet", "--lang", "es",
                 "-q", *extra)
    assert result.code == 0, result.err
    return pdf_text(out / SHEET)


def _second_fact(content: Path) -> None:
    """A second fact in the handout's box, so a box holds more than one."""
    legal = content / "legal/legal.yaml"
    legal.write_text(legal.read_text(encoding="utf-8") + "  - id: second-fact\n    law: test-law\n"
                     "    confidence: medium\n    gathered_on: 2026-01-10\n", encoding="utf-8")
    for lang, words in (("es", ("Segundo hecho", "Texto del segundo hecho.", "Segunda fuente")),
                        ("en", ("Second fact", "Text of the second fact.", "Second source"))):
        path = content / f"legal/{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f"second-fact:\n  source: {words[2]}\n  title: {words[0]}\n"
                        f"  text: {words[1]}\n", encoding="utf-8")
    module = content / "modules/first-steps/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("  legal_facts: [test-fact]\nsessions",
                                                                 "  legal_facts: [test-fact, second-fact]\nsessions"),
                      encoding="utf-8")


def test_a_review_prints_and_goes_stale_when_the_text_changes(run, sample, tmp_path):
    content = sample()
    assert PENDING in _handout(run, content, tmp_path / "before")
    result = run("reviewed", "test-fact", "--by", "abogada del grupo", "--on", "2026-11-30", "--content", str(content))
    assert result.code == 0, result.err
    assert result.out == "reviewed: test-fact (by abogada del grupo, on 2026-11-30)\n"
    text = _handout(run, content, tmp_path / "reviewed")
    assert "Revisado por abogada del grupo el 30 de noviembre de 2026." in text
    assert PENDING not in text
    assert run("check", "--strict", "--content", str(content)).code == 0

    es = content / "legal/es.yaml"
    es.write_text(es.read_text(encoding="utf-8").replace("Texto del hecho legal de prueba.",
                                                         "Texto cambiado del hecho legal."), encoding="utf-8")
    line = es.read_text(encoding="utf-8").splitlines().index("  text: Texto cambiado del hecho legal.") + 1
    checked = run("check", "--strict", "--content", str(content))
    assert checked.code == 1
    assert f"{content}/legal/es.yaml:{line}: warning: legal fact test-fact changed since it was reviewed on " \
           "2026-11-30" in checked.lines
    text = _handout(run, content, tmp_path / "changed")
    assert PENDING in text and "Revisado" not in text


def test_a_changed_source_makes_the_review_stale_too(run, sample):
    content = sample()
    assert run("reviewed", "test-fact", "--by", "AB", "--content", str(content)).code == 0
    es = content / "legal/es.yaml"
    es.write_text(es.read_text(encoding="utf-8").replace("Fuente de prueba", "Otra fuente"), encoding="utf-8")
    assert any("legal fact test-fact changed since it was reviewed on" in line
               for line in run("check", "--content", str(content)).lines)


def test_a_review_older_than_the_curriculum_allows_is_due_again(run, sample, tmp_path):
    content = sample()
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    assert run("reviewed", "test-fact", "--by", "AB", "--on", old, "--content", str(content)).code == 0
    checked = run("check", "--strict", "--content", str(content))
    assert checked.code == 1
    assert any(line.endswith(f"warning: legal fact test-fact was reviewed on {old}, more than 12 months ago: it is "
                             "due for review again") for line in checked.lines), checked.lines
    assert PENDING in _handout(run, content, tmp_path / "o")
    curriculum = content / "curriculum/curriculum.yaml"
    curriculum.write_text(curriculum.read_text(encoding="utf-8") + "review_every_months: 24\n", encoding="utf-8")
    assert run("check", "--strict", "--content", str(content)).code == 0


def test_the_pending_note_prints_once_per_box(run, sample, tmp_path):
    content = sample()
    _second_fact(content)
    text = _handout(run, content, tmp_path / "both-pending")
    assert text.count("Todavía sin revisar") == 1
    assert "Segundo hecho *" not in text  # no marks when every fact of the box is pending
    assert run("reviewed", "test-fact", "--by", "AB", "--on", "2026-11-30", "--content", str(content)).code == 0
    text = _handout(run, content, tmp_path / "mixed")
    assert text.count("Todavía sin revisar") == 1
    assert "Segundo hecho *" in text and "Un hecho de prueba *" not in text
    assert "* " + PENDING in text


def test_the_review_packet_lists_every_fact_and_where_it_is_printed(run, sample, tmp_path):
    content = sample()
    _second_fact(content)
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "2", "-q")
    assert result.code == 0, result.err
    es, en = pdf_text(out / "es/legal-review.pdf"), pdf_text(out / "en/legal-review.pdf")
    assert "Cuadernillo de revisión legal" in es and "Legal review packet" in en
    assert "1. Ley de prueba" in es and "1. Test law" in en
    for fact in ("test-fact", "second-fact"):
        assert f"Hecho: {fact}" in es and f"Fact: {fact}" in en
    assert "Se imprime en: Hoja para participantes: Primeros pasos; Hoja «Lo que dice la ley»: Primeros pasos; " \
           "Guía: Primeros pasos; el manual de facilitación (anexo)" in es
    assert es.count("correcto corregir quitar") == 2
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["outputs"]}
    assert entries["es/legal-review.pdf"]["kind"] == "legal-review"
    # For the lawyer, not for members' phones: not in the offline edition.
    assert "legal-review" not in (out / "index-es.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "taller-0.9-es.zip") as archive:
        assert not [n for n in archive.namelist() if "legal-review" in n]


def test_status_lists_the_facts_by_review_state(run, sample):
    content = sample()
    _second_fact(content)
    assert run("reviewed", "second-fact", "--by", "AB", "--on", "2026-11-30", "--content", str(content)).code == 0
    result = run("status", "--content", str(content))
    assert result.code == 0
    assert result.out.endswith("legal facts: 1 of 2 reviewed\n  not yet reviewed (1):\n    test-fact\n"
                               "  reviewed (1):\n    second-fact (AB, 2026-11-30)\n")


def test_history_is_never_printed_as_law_in_a_handout(run, sample):
    content = sample()
    legal = content / "legal/legal.yaml"
    legal.write_text(legal.read_text(encoding="utf-8") + "    standing: history\n", encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.code == 1
    assert result.lines == [f"{content}/modules/first-steps/module.yaml:4: error: legal fact 'test-fact' is the "
                            "group's history, not law (standing: history): a guide may tell it, a participant "
                            "handout never prints it as what the law says"]


@pytest.mark.parametrize("argv, code, message", [
    (["reviewed", "no-such-fact", "--by", "AB"], 1, "/legal/legal.yaml: error: no legal fact 'no-such-fact' (known: "
                                                    "test-fact)"),
    (["reviewed", "test-fact", "--by", " "], 2, "--by needs a short line of text"),
    (["reviewed", "test-fact", "--by", "AB", "--on", "2999-01-01"], 2, "2999-01-01 is in the future"),
    (["reviewed", "test-fact", "--by", "AB", "--on", "1/12/2026"], 2, "needs a date as YYYY-MM-DD"),
], ids=["unknown-fact", "empty-by", "future", "not-a-date"])
def test_a_review_that_cannot_be_recorded_records_nothing(run, sample, argv, code, message):
    content = sample()
    result = run(*argv, "--content", str(content))
    assert result.code == code
    assert message in result.err
    assert not (content / "legal/reviews.yaml").exists()


def test_reviews_are_not_written_in_legal_yaml_any_more(run, sample):
    content = sample()
    legal = content / "legal/legal.yaml"
    legal.write_text(legal.read_text(encoding="utf-8") + "    reviewed_by: AB\n    reviewed_on: 2026-11-30\n",
                     encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.code == 1
    assert result.lines == [f"{content}/legal/legal.yaml:7: error: legal fact: reviews are no longer written here; "
                            "record one with `python build.py reviewed FACT_ID --by WHO --on YYYY-MM-DD` and delete "
                            "these lines"]
