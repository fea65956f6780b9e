"""The real curriculum in content/: it checks clean, builds, and keeps the group's rules."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, manifest, pdf_text
from taller.checking import check
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, plan
from taller.options import Options
from taller.pipeline import build
from taller.render.html import Renderer, RenderOptions
from taller.render.sources import Page

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
FACT_IDS = sorted(re.findall(r"^  - id: (\S+)$", (CONTENT / "legal/legal.yaml").read_text(encoding="utf-8"), re.M),
                  key=len, reverse=True)
# Frequent function words of one language that never occur in the other.
FOREIGN_WORDS = {
    "es": {"the", "and", "with", "you", "your", "what", "when", "this", "that", "from", "are", "is", "of", "to", "for"},
    "en": {"los", "las", "del", "que", "para", "con", "una", "por", "sus", "pero", "como", "cuando", "tiene", "puede", "el", "y"},
}


# The real curriculum is too big to lay out whole in every test run (1,400 pages: more than
# half of the suite's time); `make` and `make bench` build all of it. The tests lay out
# where its own texts meet a fixed layout or a long document, and read every other output
# from the HTML its PDF is made from (the sample's tests show the two say the same).
PRINTED_MODULE = "police-encounters"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list]:
    """PDFs of the real curriculum, both languages: the pocket card (fixed faces), the
    workshop agendas, every plain handout (one sheet each), and one whole module (its
    handout in three forms, its legal sheet and its guide)."""
    out = tmp_path_factory.mktemp("dist")
    diags = Diagnostics()
    build(Options(content=CONTENT, content_display="content", out=out, jobs=2, cache=tmp_path_factory.mktemp("cache"),
                  select=lambda a: a.module == PRINTED_MODULE or a.kind.name in ("card", "agenda")
                  or (a.kind.name == "handout" and a.variant.name is None)), diags)
    return out, [str(d) for d in diags.items]


class _Text(HTMLParser):
    """The text of an HTML page's body, as its PDF prints it (no head, no style)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("head", "style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("head", "style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(*pages: str) -> str:
    parser = _Text()
    for page in pages:
        parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def texts(printed) -> dict[str, str]:
    """What every plain output of the real curriculum says: PDF text where it was laid out,
    else the text of its HTML (the manual: its front, every guide, its appendices)."""
    out, _ = printed
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=out), diags)
    renderer = Renderer(cur, RenderOptions(CONTENT, cur.default_org))
    found = {}
    # Printed outputs only: the share images' text is the handout's, the audio has none; a
    # print plan lists other outputs' pages, which only a build knows (its own tests).
    for artifact in (a for a in plan(cur, cur.languages, list(KINDS.values())) if a.variant.name is None
                     and a.kind.suffix == ".pdf" and a.kind.lists is None):
        if (out / artifact.path).is_file():
            found[artifact.path] = pdf_text(out / artifact.path)
            continue
        source = renderer.source(artifact)
        pages = (source.html,) if isinstance(source, Page) else (source.front, *source.parts, source.back)
        found[artifact.path] = _html_text(*pages)
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def test_check_strict_passes(run):
    result = run("check", "--strict", "--content", str(CONTENT))
    assert result.code == 0
    assert result.lines == []


def test_the_printed_part_builds_clean(printed):
    out, diagnostics = printed
    assert diagnostics == []  # no warning: every text fits, every translation is current
    expected = {f"{lang}/{path}" for lang in ("es", "en") for path in (
        f"handouts/{PRINTED_MODULE}.pdf", f"handouts/{PRINTED_MODULE}.booklet.pdf", f"guides/{PRINTED_MODULE}.pdf",
        "card.pdf", "card.large-print.pdf", "workshops/defensoras/agenda.pdf")}
    assert expected <= set(manifest(out))


def test_every_module_has_handout_and_guide_in_both_languages(texts):
    expected = {f"{lang}/{folder}/{m}.pdf" for lang in ("es", "en") for folder in ("handouts", "guides") for m in MODULES}
    assert expected <= set(texts)
    assert all(texts[path] for path in expected)


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
        # The review packet names each fact by its id, for `reviewed`; the recording
        # scripts each module by its id, in its folder's name and for `recorded`.
        for name in PROPER_NAMES + FACT_IDS + sorted(MODULES, key=len, reverse=True):
            text = text.replace(name, " ")
        hits = sorted({w for w in words(text) if w in foreign})  # case-sensitive: names start upper case
        assert hits == [], (path, hits)


def test_legal_facts_print_review_status(texts):
    assert "Todavía sin revisar por la abogada o el abogado del grupo" in texts["es/guides/police-encounters.pdf"]
    assert "Not yet reviewed by the group's lawyer" in texts["en/guides/police-encounters.pdf"]


def test_workshop_days_have_lunch_and_carry_on_the_next_day(texts):
    """The three-day track: each day has its lunch, and the agenda runs over three days."""
    agenda = texts["es/workshops/defensoras/agenda.pdf"]
    assert agenda.count("Almuerzo") == 3, agenda
    assert "Día 3" in agenda and "Día 4" not in agenda


_LAW_NUMBER = re.compile(r"\b(?:Ley|Law|Decreto Legislativo|Legislative Decree|D\.\s?Leg\.|DS|arts?\.|artículos?|articles?)"
                         r"\s+(\d[\d.\-A-Za-z]*)", re.IGNORECASE)


def test_every_law_number_printed_is_in_a_source_line():
    """A number of a law or an article is printed only where a legal fact's source names it:
    the texts never cite what no source backs (the lawyer checks the sources)."""
    import yaml

    sources = " ".join(str(fact["source"]) for lang in ("es", "en")
                       for key, fact in yaml.safe_load((CONTENT / f"legal/{lang}.yaml").read_text(encoding="utf-8")).items()
                       if key != "laws")
    cited = {m.group(1).rstrip(".") for m in _LAW_NUMBER.finditer(sources)} | set(re.findall(r"\d{3,5}", sources))
    unbacked = []
    for path in sorted(CONTENT.rglob("*.yaml")):
        if path.name.endswith(".translated.yaml") or path.parent.name == "legal" and path.name == "legal.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "legal":  # a fact's own source line is where numbers belong
            text = re.sub(r"^  source: .*$", "", text, flags=re.M)
        for m in _LAW_NUMBER.finditer(text):
            if m.group(1).rstrip(".") not in cited:
                unbacked.append(f"{path.relative_to(CONTENT)}: {m.group(0)}")
    assert unbacked == []


def test_every_plain_handout_fits_one_sheet(printed):
    """Someone who reads little takes home one A4 sheet, both sides: at most 2 pages."""
    out, _ = printed
    pages = {str(p.relative_to(out)): len(PdfReader(p).pages) for p in sorted(out.glob("*/handouts/*.pdf"))
             if p.name.count(".") == 1}
    assert len(pages) == 22
    assert {path: n for path, n in pages.items() if n > 2} == {}


PARTICIPANT_MATERIALS = ("handouts/", "legal-sheets/", "card", "contacts", "follow-up-card", "witness-sheet")


def test_no_word_is_cut_across_lines_in_participant_materials(printed):
    """Lines break between words: a word cut with a hyphen is a word lost for someone who
    reads little (pdftotext keeps each printed line, so a cut shows as `-` at a line end)."""
    import subprocess

    out, _ = printed
    cut = {}
    for path in sorted(out.rglob("*.pdf")):
        rel = str(path.relative_to(out))
        if not any(part in rel for part in PARTICIPANT_MATERIALS):
            continue
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        hits = re.findall(r"[a-záéíóúñü]-\s*\n\s*[a-záéíóúñü]", text)
        if hits:
            cut[rel] = hits[:3]
    assert cut == {}
