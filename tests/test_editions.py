"""Organisation editions (--org, --edition no-contacts, logos) and the pseudo-locale `qps`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, bundled, embedded_families, manifest, pdf_text
from taller.checking import check
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, Artifact
from taller.options import Options
from taller.render.html import Renderer, RenderOptions
from tools import pseudo

ORG_NAME = "Organización de Prueba"
VALUE = "VALOR-VERIFICADO-DE-PRUEBA"  # a filled contact; obviously not a real number
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" font-family="Atkinson Hyperlegible">
  <title>LOGO-DE-PRUEBA</title>
  <circle cx="50" cy="50" r="45" fill="none" stroke="#111" stroke-width="6"/>
  <text x="50" y="63" text-anchor="middle" font-size="38" font-weight="700">OP</text>
</svg>
"""
# The kinds the brief names (card, form, certificate) and the handout, which shows every contact;
# the other forms are checked on their HTML below (faster).
KINDS_SHOWN = "card,incident-form,certificate,handout"


def _org_file(content: Path) -> Path:
    return content / "orgs" / "test-org.yaml"


def _with_logo_and_contact(content: Path) -> Path:
    """The test organisation with a logo and a second, filled and verified contact."""
    (content / "orgs" / "test-org.svg").write_text(LOGO, encoding="utf-8")
    path = _org_file(content)
    text = path.read_text(encoding="utf-8").replace("city: Arequipa\n", "city: Arequipa\nlogo: test-org.svg\n")
    text += (f"  - id: office\n    label: {{es: \"Oficina\", en: \"Office\"}}\n    value: \"{VALUE}\"\n"
             "    verified_on: 2026-01-10\n")
    path.write_text(text, encoding="utf-8")
    return content


def _html(content: Path, kind: str, edition: str = "full", lang: str = "es", org: str = "test-org") -> str:
    """One artifact's HTML, straight from the renderer (no PDF: fast)."""
    diags = Diagnostics()
    cur = check(Options(content=content, content_display=str(content), out=content / "unused"), diags)
    assert cur is not None, [str(d) for d in diags.items]
    track = cur.tracks[0].id if KINDS[kind].scope == "track" else None
    module = cur.modules[0].id if KINDS[kind].scope == "module" else None
    return Renderer(cur, RenderOptions(content, org, edition=edition)).html(Artifact(KINDS[kind], lang, module, track))


def test_org_and_no_contacts_editions_differ_exactly_where_they_should(run, sample, tmp_path):
    content = _with_logo_and_contact(sample())
    full, bare = tmp_path / "full", tmp_path / "bare"
    common = ("--content", str(content), "--lang", "es", "--only", KINDS_SHOWN, "--jobs", "2", "--keep-html")
    assert run(*common, "--out", str(full), "--org", "test-org").code == 0
    # Same content folder, so the same render cache: it must not hand back the full edition.
    result = run(*common, "--out", str(bare), "--edition", "no-contacts")
    assert result.code == 0 and result.lines == []
    assert set(manifest(full)) == set(manifest(bare))
    for path in ("es/card.pdf", "es/incident-form.pdf", "es/workshops/short/certificate.pdf"):
        assert ORG_NAME.casefold() in pdf_text(full / path).casefold(), path
    for path in manifest(bare):  # no name on any card or form; none on the handout either
        assert ORG_NAME.casefold() not in pdf_text(bare / path).casefold(), path
    card_full, card_bare = pdf_text(full / "es/card.pdf"), pdf_text(bare / "es/card.pdf")
    for label in ("Teléfono:", "Oficina:"):  # the labels stay: lines to fill in by hand
        assert card_full.count(label) == 8 and card_bare.count(label) == 8, label
    assert card_full.count(VALUE) == 8
    assert VALUE not in card_bare and VALUE not in pdf_text(bare / "es/handouts/first-steps.pdf")
    assert VALUE in pdf_text(full / "es/handouts/first-steps.pdf")
    html = lambda out, path: (out / "_html" / path).read_text(encoding="utf-8")  # noqa: E731
    # One blank line for the unknown phone in the full edition; both contacts blank without.
    assert html(full, "es/card.html").count('class="blank"') == 1
    assert html(bare, "es/card.html").count('class="blank"') == 2
    for path in ("es/handouts/first-steps.html", "es/workshops/short/certificate.html"):
        assert "LOGO-DE-PRUEBA" in html(full, path) and "<svg" in html(full, path), path
        assert "LOGO-DE-PRUEBA" not in html(bare, path), path


def test_profile_setting_no_contacts_wins_over_the_default(sample):
    content = _with_logo_and_contact(sample())
    path = _org_file(content)
    path.write_text(path.read_text(encoding="utf-8").replace("city: Arequipa\n", "city: Arequipa\nedition: no-contacts\n"),
                    encoding="utf-8")
    for kind in ("card", "incident-form", "sign-in", "evaluation", "certificate", "agenda", "handout", "guide"):
        html = _html(content, kind, edition="full")
        assert ORG_NAME not in html and VALUE not in html and "LOGO-DE-PRUEBA" not in html, kind
    assert "Oficina" in _html(content, "card")


def test_full_edition_brands_guides_and_book_cover(sample):
    content = _with_logo_and_contact(sample())
    for kind in ("guide", "book", "handout", "certificate"):
        html = _html(content, kind, lang="en")
        assert f"<strong>{ORG_NAME}</strong> · Arequipa" in html and "LOGO-DE-PRUEBA" in html, kind
    for kind in ("sign-in", "agenda", "evaluation", "incident-form"):
        assert ORG_NAME in _html(content, kind, lang="en"), kind


def test_logo_is_inline_so_the_html_and_the_cache_key_follow_the_file(sample):
    content = _with_logo_and_contact(sample())
    before = _html(content, "handout")
    logo = content / "orgs" / "test-org.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace(">OP<", ">QP<"), encoding="utf-8")
    after = _html(content, "handout")
    assert ">OP</text>" in before and ">QP</text>" in after


def test_unknown_org_exits_1_with_the_error_line(run, sample, tmp_path):
    content = sample()
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--org", "nadie")
    assert result.code == 1
    assert result.lines == [f"{content}/orgs: error: unknown organisation 'nadie' for --org: "
                            f"no file {content}/orgs/nadie.yaml (known: test-org)"]
    assert not out.exists()


def test_missing_logo_file_is_a_content_error(run, sample):
    content = sample()
    path = _org_file(content)
    path.write_text(path.read_text(encoding="utf-8").replace("city: Arequipa\n", "city: Arequipa\nlogo: falta.svg\n"),
                    encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.code == 1
    assert result.lines == [f"{content}/orgs/test-org.yaml:4: error: organisation logo 'falta.svg' not found: "
                            f"put {content}/orgs/falta.svg next to test-org.yaml"]


@pytest.mark.parametrize("svg, line, message", [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">\n<circle r="4"/>\n<image href="file:///etc/passwd"/>\n</svg>',
     3, "element <image> is not allowed; a logo is drawn with circle, desc, ellipse, g, line, path, polygon, "
        "polyline, rect, text, title, tspan"),
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     2, "DOCTYPE and entity declarations are not allowed in a logo"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">\n<rect width="9" height="9" fill="url(#g)"/>\n</svg>',
     2, "attribute 'fill' refers to something outside the drawing; a logo refers to nothing"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">\n<text font-family="Arial">A</text>\n</svg>',
     2, "font-family must be \"Atkinson Hyperlegible\", the bundled font, not 'Arial'"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" onload="alert(1)"/>',
     1, "attribute 'onload' is not allowed on <svg> (links, styles and scripts never are)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">\n<circle r="4">\n</svg>',
     3, "not well-formed SVG: mismatched tag"),
])
def test_unsafe_logo_is_refused_with_its_line(run, sample, svg, line, message):
    content = _with_logo_and_contact(sample())
    (content / "orgs" / "test-org.svg").write_text(svg, encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.code == 1
    assert result.lines == [f"{content}/orgs/test-org.svg:{line}: error: logo: {message}"]


def test_contact_value_without_verified_date_is_a_warning(run, sample):
    content = sample()
    path = _org_file(content)
    path.write_text(path.read_text(encoding="utf-8").replace('value: ""', f'value: "{VALUE}"'), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(f'    value: "{VALUE}"') + 1
    result = run("check", "--content", str(content))
    assert result.code == 0
    assert result.lines == [f"{content}/orgs/test-org.yaml:{line}: warning: contact 'phone' has a value but no "
                            "verified_on date: check it and write the date (YYYY-MM-DD), or leave the value empty"]


def test_example_profiles_have_blank_contacts_and_plain_logos(run):
    result = run("check", "--strict", "--content", str(CONTENT))
    assert result.code == 0, result.err
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=CONTENT / "unused"), diags)
    assert {"mujeres-del-sur", "ejemplo-cusco"} <= set(cur.orgs)
    example = cur.orgs["ejemplo-cusco"]
    assert example.city == "Cusco" and "(ejemplo)" in example.name
    assert all(not c.value and c.verified_on is None for c in example.contacts)
    assert all(org.logo_svg.startswith("<svg") for org in cur.orgs.values())


# --- the pseudo-locale ---------------------------------------------------------------


def test_pseudo_text_is_accented_bracketed_and_longer():
    assert pseudo.pseudo("Conoce tus derechos") == "[Ćóñóćé ţúš ďéŕéćhóš ~~~~~~]"
    sentence = "Pregunta con calma por qué te detienen y pide hablar con una abogada."
    assert 1.3 <= len(pseudo.pseudo(sentence)) / len(sentence) <= 1.45
    assert pseudo.pseudo("- uno\n- dos\n\n**Caso.** Texto") == "- [úñó\n- ďóš ~~~]\n\n[**Ćášó.** Ţéxţó ~~~~~]"
    assert pseudo.pseudo_message("de %(min)s a %(max)s personas") == "[ďé %(min)s á %(max)s péŕšóñáš ~~~~~~~~~]"


def test_pseudo_letters_are_all_in_the_bundled_font():
    from fontTools.ttLib import TTFont

    from taller.render.fonts import font_dir

    used = {ord(c) for c in "".join(chr(v) for v in pseudo.ACCENTS.values()) + "[]~"}
    for font in sorted(font_dir().glob("*.ttf")):
        missing = used - set(TTFont(font).getBestCmap())
        assert not missing, (font.name, [hex(c) for c in sorted(missing)])


def test_pseudo_locale_is_never_added_to_the_real_content():
    with pytest.raises(SystemExit):
        pseudo.generate(CONTENT)


def test_pseudo_locale_build_of_the_minimal_curriculum_works(run, sample, tmp_path):
    content = sample()
    pseudo.generate(content)
    assert "qps" in (content / "curriculum/curriculum.yaml").read_text(encoding="utf-8")
    # Fingerprints recorded: nothing pending. Babel has no name for a pseudo-locale: that is all.
    unnamed = (f"{content}/curriculum/curriculum.yaml:1: warning: Babel has no data for language 'qps': its dates, plural "
               "forms and sorting follow Spanish (es); the language chooser shows its code: give its name in language_names")
    checked = run("check", "--content", str(content))
    assert checked.code == 0 and checked.lines == [unnamed]
    out = tmp_path / "out"
    # The wallet cards are left out: at +35 % their faces no longer fit, which the next
    # test shows on the real curriculum's pocket card (the minimal card has the same texts).
    # So are the other forms of the materials (the card's share images, the audio: espeak-ng
    # has no pseudo-language voice).
    kinds = ",".join(k for k, kind in KINDS.items()
                     if not any(v.fixed_faces for v in kind.variants) and kind.of is None)
    result = run("--content", str(content), "--out", str(out), "--lang", "qps", "--only", kinds, "--jobs", "2")
    assert result.code == 0 and result.lines == [unnamed]
    paths = set(manifest(out))
    assert {"qps/handouts/first-steps.pdf", "qps/guides/first-steps.pdf", "qps/book.pdf",
            "qps/workshops/short/certificate.pdf"} <= paths
    handout = pdf_text(out / "qps/handouts/first-steps.pdf")
    assert "[Pŕíméŕóš pášóš" in handout           # the module title, from qps.yaml
    assert "[Ľó qúé ďébéš šábéŕ" in handout      # an interface heading, from the qps catalog
    assert "Lo que debes saber" not in handout   # nothing left in plain Spanish
    for path, entry in manifest(out).items():
        if path.endswith(".pdf"):
            embedded = embedded_families(out / path)
            assert embedded and embedded <= bundled(), (path, embedded - bundled())


def test_pseudo_locale_card_overflow_on_the_real_curriculum_names_the_text(run, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    pseudo.generate(content)
    line = (content / "card/qps.yaml").read_text(encoding="utf-8").splitlines().index("phrases:") + 1
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--lang", "qps", "--only", "card", "--jobs", "2")
    assert result.code == 1
    assert [x for x in result.lines if ": error: " in x] == [
        f"{content}/card/qps.yaml:{line}: error: card text 'phrases' does not fit its box on the card "
        "(qps/card.pdf): shorten it"]
    assert not out.exists()
