"""Same bytes on every machine: the renderer sees only the bundled fonts, a letter none of
them has is an error at its line, and nothing is clipped off a fixed-size face or name line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, ROOT, ROOTS, pdf_text

# Quechua spelling with the modifier letter apostrophe (U+02BC), which Atkinson Hyperlegible
# lacks: in a title (bold, and in the page headers), in bold, italic and upright prose.
TITLE = "Primeros pasos · Ñawpaq tʼaqa"
INTRO = "Hoy aprendimos a cuidarnos en grupo: **qʼara**, *pʼunchaw* y chʼaki."
HANDOUTS = ("es/handouts/first-steps.pdf", "es/handouts/first-steps.booklet.pdf",
            "es/handouts/first-steps.large-print.pdf")


def _quechua_sample(folder: Path) -> Path:
    """tests/roots/minimal with the apostrophe in the module's Spanish texts."""
    content = folder / "sample"
    shutil.copytree(ROOTS / "minimal", content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    module = content / "modules/first-steps/es.yaml"
    text = module.read_text(encoding="utf-8")
    text = text.replace("title: Primeros pasos\n", f"title: {TITLE}\n", 1)
    text = text.replace("    Hoy aprendimos a cuidarnos en grupo.\n", f"    {INTRO}\n", 1)
    module.write_text(text, encoding="utf-8")
    return content


def _build(content: Path, out: Path, env: dict[str, str], *options: str) -> subprocess.CompletedProcess:
    """`python build.py` in a process of its own, as a user runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                           "--lang", "es", "--only", "handout", "-q", *options],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FONTCONFIG_FILE", "TALLER_CACHE")}
    env.update(changes)
    return env


@pytest.fixture(scope="module")
def quechua_build(tmp_path_factory) -> Path:
    """The Quechua sample's handouts, built on this machine as it is (two workers)."""
    folder = tmp_path_factory.mktemp("quechua")
    out = folder / "out"
    result = _build(_quechua_sample(folder), out, _env(), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out


def _embedded_base_fonts(path: Path) -> set[str]:
    """The BaseFont names (subset tag dropped) of the fonts a PDF's pages embed a font file of."""
    names = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is not None and {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()):
                    names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def test_same_bytes_with_the_machine_fonts_hidden(quechua_build, tmp_path):
    """Built again with fontconfig told to see no font of the machine at all, every PDF is
    the same to the byte: no machine font was used for anything (not even the ʼ)."""
    empty = tmp_path / "empty-fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    out = tmp_path / "out"
    result = _build(_quechua_sample(tmp_path), out, _env(FONTCONFIG_FILE=str(empty)), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    for path in HANDOUTS:
        assert (out / path).read_bytes() == (quechua_build / path).read_bytes(), path


def test_the_apostrophe_prints_in_the_bundled_noto_sans(quechua_build):
    text = pdf_text(quechua_build / HANDOUTS[0])
    assert TITLE in text
    assert INTRO.replace("*", "") in text
    fonts = _embedded_base_fonts(quechua_build / HANDOUTS[0])
    # Atkinson for the text, Noto Sans (bold, italic and upright) for the apostrophe: nothing else.
    assert {name.split("-")[0] for name in fonts} == {"Atkinson", "Noto"}, fonts
    assert {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic"} <= fonts, fonts


def test_the_renderer_sees_no_font_of_the_machine(tmp_path):
    """On a machine whose fontconfig lists a font of its own (here a copy of a bundled face,
    in a folder of the machine), the renderer's fontconfig lists only the bundled files."""
    from taller.render.fonts import bundled_font_files

    machine = tmp_path / "machine-fonts"
    machine.mkdir()
    shutil.copy(bundled_font_files()[0], machine / "MachineSans.ttf")
    config = tmp_path / "machine.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{machine}</dir></fontconfig>\n', encoding="utf-8")
    code = """if True:
        from taller.render.weasy import PdfWriter
        from taller.paths import TEMPLATES
        PdfWriter([TEMPLATES])
        from weasyprint.text.ffi import ffi, fontconfig
        fonts = fontconfig.FcConfigGetFonts(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcSetSystem)
        file = ffi.new("FcChar8 **")
        for i in range(fonts.nfont):
            fontconfig.FcPatternGetString(fonts.fonts[i], b"file", 0, file)
            print(ffi.string(file[0]).decode())
    """
    seen = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(FONTCONFIG_FILE=str(config)),
                          capture_output=True, text=True, check=True, timeout=120).stdout.splitlines()
    assert seen and {Path(p).resolve() for p in seen} <= {p.resolve() for p in bundled_font_files()}, seen


def test_the_private_configuration_is_written_once_and_never_trusted_blindly(tmp_path):
    """Every build reuses one configuration file (a build that is killed leaves nothing
    new behind), and a file of that name saying something else is replaced, not used."""
    code = "from taller.render.fonts import use_bundled_fonts_only; print(use_bundled_fonts_only())"

    def config() -> Path:
        return Path(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(TMPDIR=str(tmp_path)),
                                   capture_output=True, text=True, check=True, timeout=60).stdout.strip())

    first = config()
    written = first.read_text(encoding="utf-8")
    assert first.parent == tmp_path and "fontpkg_noto_sans" in written
    first.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path}</dir></fontconfig>\n', encoding="utf-8")
    assert config() == first and first.read_text(encoding="utf-8") == written
    assert list(tmp_path.iterdir()) == [first]


def test_bundled_files_and_families_cover_both_fonts():
    from taller.render.fonts import bundled_families, bundled_font_files

    assert bundled_families() == {"Atkinson Hyperlegible", "Noto Sans"}
    names = sorted(p.name for p in bundled_font_files())
    assert names == ["AtkinsonHyperlegible-Bold.ttf", "AtkinsonHyperlegible-BoldItalic.ttf",
                     "AtkinsonHyperlegible-Italic.ttf", "AtkinsonHyperlegible-Regular.ttf",
                     "NotoSans-Italic[wdth,wght].ttf", "NotoSans[wdth,wght].ttf"]
    for path in bundled_font_files():  # OFL fonts: their licence travels with them
        assert "SIL Open Font License" in (path.parent.parent / "LICENSE").read_text(encoding="utf-8")


def _glyph_error(path: Path, line: int, point: int, name: str) -> str:
    return (f"{path}:{line}: error: character U+{point:04X} ({name}) is not in the bundled fonts; it would print "
            "as an empty box: write it another way, or ask for a font that has it")


def test_a_character_in_no_bundled_font_is_an_error_at_its_line(run, sample, tmp_path):
    """Once per character and file, at its first line, however written (as itself, as a YAML
    escape, as an HTML reference the Markdown decodes); before anything renders."""
    content = sample()
    card = content / "card/es.yaml"
    text = card.read_text(encoding="utf-8")
    text = text.replace("  - Muestra tu DNI si lo llevas.\n", "  - Muestra tu DNI 😀 si lo llevas.\n", 1)
    text = text.replace("  - No te resistas.\n", '  - "No te resistas 😀 \\u4E2D."\n', 1)
    text = text.replace("  - Pide que te examine un médico.\n", "  - Pide que te examine un médico &#x2713;.\n", 1)
    card.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    module = content / "modules/first-steps/es.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("title: Primeros pasos", "title: 初步"),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--lang", "es")
    assert result.code == 1
    errors = [line for line in result.lines if ": error: " in line]
    number = next(i for i, line in enumerate(lines, 1) if "😀" in line)
    assert sorted(errors) == sorted([
        _glyph_error(card, number, 0x1F600, "GRINNING FACE"),  # used twice in the file: one line
        _glyph_error(card, next(i for i, line in enumerate(lines, 1) if "&#x2713;" in line), 0x2713, "CHECK MARK"),
        _glyph_error(card, next(i for i, line in enumerate(lines, 1) if "\\u4E2D" in line), 0x4E2D,
                     "CJK UNIFIED IDEOGRAPH-4E2D"),
        _glyph_error(module, 1, 0x521D, "CJK UNIFIED IDEOGRAPH-521D"),
        _glyph_error(module, 1, 0x6B65, "CJK UNIFIED IDEOGRAPH-6B65"),
    ])
    assert not out.exists()


def test_uncovered_names_the_letters_no_bundled_font_has():
    from taller.content.glyphs import uncovered

    assert uncovered("Rosa Chʼaki Ñusta Mamani-Quispe, Ángela") == set()
    assert uncovered("Ana 😀 中\u200d\n") == {"😀", "中"}  # a zero-width joiner prints as nothing


def test_the_templates_and_catalogs_print_only_bundled_letters():
    """What the program itself prints (interface words, template text) is covered too: only
    content passes through the check at load time."""
    from taller.content.glyphs import uncovered

    missing = {}
    for path in sorted((ROOT / "templates").rglob("*.j2")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments never print
        missing.update({path.name: found for found in [uncovered(re.sub(r"/\*.*?\*/", "", text, flags=re.S))] if found})
    for path in sorted((ROOT / "templates").rglob("*.css")):
        strings = "".join(re.findall(r'"[^"\n]*"', re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)))
        missing.update({path.name: found for found in [uncovered(strings)] if found})
    for path in sorted(CONTENT.glob("locales/*/LC_MESSAGES/*.po")):
        strings = "".join(re.findall(r'^msgstr "(.*)"$', path.read_text(encoding="utf-8"), flags=re.M))
        missing.update({str(path.relative_to(CONTENT)): found for found in [uncovered(strings)] if found})
    assert missing == {}


def test_a_word_too_wide_for_the_card_face_fails_naming_it(run, sample, tmp_path):
    """One word of 60 letters (a long URL would do the same) runs past the face's right edge
    without adding a line: sideways, not down, and still an error naming the text."""
    content = sample()
    path = content / "card/es.yaml"
    text = path.read_text(encoding="utf-8")
    word = "derechos" * 7 + "humi"
    assert len(word) == 60
    text = text.replace("  - Placa, nombre, patrullero, hora, lugar y testigos.\n", f"  - {word}\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("write_down:") + 1
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--only", "card", "--lang", "es")
    assert result.code == 1
    assert [x for x in result.lines if ": error: " in x] == [
        f"{path}:{line}: error: card text 'write_down' does not fit its box on the card (es/card.pdf): shorten it"]
    assert not out.exists()


def _page_lines(path: Path) -> list[list[str]]:
    """Each page's text lines as a reader's text layer gives them."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range().splitlines() for page in document]
    finally:
        document.close()


def test_a_long_name_is_set_smaller_to_stay_on_its_line(run, sample, tmp_path):
    long_name = "María de los Ángeles Quispe Mamani de Huamán Condori Villanueva"
    names = tmp_path / "names.csv"
    names.write_text(f"nombre\nRosa Chʼaki\n{long_name}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("--content", str(sample()), "--out", str(out), "--participants", str(names), "--lang", "es",
                 "--only", "certificate")
    assert result.code == 0, result.err
    pages = _page_lines(out / "es/workshops/short/certificate.pdf")
    assert len(pages) == 2
    assert "Rosa Chʼaki" in pages[0] and long_name in pages[1]  # each whole, on one line of its own


def test_name_sizes_shrink_to_a_floor():
    from taller.content.glyphs import NAME_FLOOR_PT, NAME_PT, name_size_pt

    assert name_size_pt("Rosa Chʼaki") == NAME_PT
    size = name_size_pt("María de los Ángeles Quispe Mamani de Huamán Condori Villanueva")
    assert NAME_FLOOR_PT <= size < NAME_PT
    assert name_size_pt("María de los Ángeles " * 6) is None  # too long even at the floor


def test_a_name_that_cannot_print_is_an_error_that_never_repeats_it(run, sample, tmp_path):
    """A letter no bundled font has, or a name too long even in small letters: the CSV
    line is named, the name and its letters never are, and nothing is written."""
    names = tmp_path / "names.csv"
    names.write_text("nombre\nRosa Chʼaki\nAna \U0001F600 Li\n" + "Quispe " * 18 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--only", "certificate",
                 "--lang", "es", "--participants", str(names))
    assert result.code == 1
    assert result.lines == [
        f"{names}:3: error: a name on this line has a letter the bundled fonts cannot print; write it with other "
        "letters or ask for a font",
        f"{names}:4: error: a name on this line is too long for the certificate's name line, even in smaller "
        "letters; shorten it"]
    assert "Ana" not in result.err + result.out and "\U0001F600" not in result.err and "Quispe" not in result.err
    assert not out.exists()
