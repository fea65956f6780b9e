"""The real curriculum in content/: it checks clean, builds, and keeps the group's rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CONTENT, manifest, pdf_text
from taller.cli import main

MODULES = ["nosotras", "the-law", "police-encounters", "naming-violations", "documenting", "complaints",
           "speaking-for-ourselves", "sensitising-police", "advocacy", "safety", "training-trainers"]

# Words the group rejects (CONTENT.md "Voice"); extend as new ones come up.
REJECTED = {
    "es": [r"prostitutas?", r"v[íi]ctimas?", r"meretriz", r"putas?", r"mujeres? de la vida"],
    "en": [r"prostitutes?", r"prostitution", r"victims?", r"whores?", r"hookers?"],
}
# Proper names that stay in Spanish in every language.
PROPER_NAMES = ["Asociación Trabajadoras Sexuales Mujeres del Sur", "Mujeres del Sur", "Defensoría del Pueblo",
                "Ministerio Público", "Inspectoría", "junta vecinal", "serenazgo", "Arequipa", "ALEGRA", "DNI"]
# Frequent function words of one language that never occur in the other.
FOREIGN_WORDS = {
    "es": {"the", "and", "with", "you", "your", "what", "when", "this", "that", "from", "are", "is", "of", "to", "for"},
    "en": {"los", "las", "del", "que", "para", "con", "una", "por", "sus", "pero", "como", "cuando", "tiene", "puede", "el", "y"},
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert main(["--content", str(CONTENT), "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def texts(dist) -> dict[str, str]:
    return {path: pdf_text(dist / path) for path, entry in manifest(dist).items() if entry["kind"] != "html"}


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def test_check_strict_passes(run):
    result = run("check", "--strict", "--content", str(CONTENT))
    assert result.code == 0
    assert result.lines == []


def test_every_module_has_handout_and_guide_in_both_languages(dist):
    expected = {f"{lang}/{folder}/{m}.pdf" for lang in ("es", "en") for folder in ("handouts", "guides") for m in MODULES}
    assert expected <= set(manifest(dist))


def test_book_bookmarks_cover_every_module(dist):
    from pypdf import PdfReader

    from taller.load import ContentFolder, load
    from taller.diagnostics import Diagnostics

    cur = load(ContentFolder(CONTENT, "content"), Diagnostics())
    for lang in ("es", "en"):
        reader = PdfReader(dist / f"{lang}/book.pdf")
        titles = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
        for module in cur.modules:
            title = cur.text(module.unit, lang, "title")
            assert title in titles, (lang, title)
            assert titles[title] % 2 == 0, (lang, title)  # 0-based even: a right-hand page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_outputs_are_long_enough(texts, lang):
    for module in MODULES:
        assert len(words(texts[f"{lang}/guides/{module}.pdf"])) >= 1200, module
        assert len(words(texts[f"{lang}/handouts/{module}.pdf"])) >= 250, module


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_rejected_words(texts, lang):
    pattern = re.compile(r"\b(" + "|".join(REJECTED[lang]) + r")\b", re.IGNORECASE)
    found = {path: pattern.findall(text) for path, text in texts.items() if path.startswith(lang)}
    assert {path: hits for path, hits in found.items() if hits} == {}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_text_of_the_other_language(texts, lang):
    foreign = FOREIGN_WORDS[lang]
    for path, text in texts.items():
        if not path.startswith(lang) or path.endswith("/glossary.pdf"):  # the glossary is bilingual by design
            continue
        for name in PROPER_NAMES:
            text = text.replace(name, " ")
        hits = sorted({w for w in words(text) if w in foreign})  # case-sensitive: names start upper case
        assert hits == [], (path, hits)


def test_legal_facts_print_review_status(texts):
    assert "Pendiente de revisión por la abogada o el abogado del grupo." in texts["es/guides/police-encounters.pdf"]
    assert "Pending review by the group's lawyer." in texts["en/guides/police-encounters.pdf"]


def test_track_modules_exist():
    tracks = (CONTENT / "tracks/tracks.yaml").read_text(encoding="utf-8")
    assert "modules: [nosotras, police-encounters, documenting]" in tracks
    assert "modules: [nosotras, the-law, police-encounters, naming-violations, documenting, complaints, speaking-for-ourselves]" in tracks
    assert tracks.rstrip().endswith("advocacy, safety, training-trainers]")
