"""Every file the content provides goes through one guard, and every mistake a person can
make in it gives one clear `path:line: error:` line (exit 1, nothing on stdout, never
"unexpected failure"): YAML, logos, interface catalogs and the participants list.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT
from conftest import edit as _edit
from conftest import line_of as _line_of
from taller.content.participants import MAX_PARTICIPANTS, MAX_PARTICIPANTS_BYTES
from taller.language.catalogs import pending_mark

OUTSIDE = ("error: refused: this file is a link to a place outside the content folder; "
           "copy the file into the folder instead")
CATALOG = "locales/es/LC_MESSAGES/messages.po"
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="45" fill="none" stroke="#111" stroke-width="6"/>
</svg>
"""




def _check(run, root: Path, *options: str) -> list[str]:
    """`check`; it must fail cleanly (exit 1, stdout empty, no surprise). The diagnostic lines."""
    result = run("check", "--content", str(root), *options)
    assert result.code == 1, result.err
    assert result.out == ""
    assert "unexpected failure" not in result.err and "Traceback" not in result.err, result.err
    return result.lines


def _with_logo(root: Path) -> Path:
    """The test organisation names `orgs/test-org.svg`; returns that path (not yet written)."""
    _edit(root / "orgs/test-org.yaml", "city: Arequipa\n", "city: Arequipa\nlogo: test-org.svg\n")
    return root / "orgs/test-org.svg"


def _build_with(run, root: Path, participants: Path) -> list[str]:
    """A certificate build given `participants`; it must fail before writing anything."""
    out = root.parent / "out"
    result = run("build", "--content", str(root), "--out", str(out), "--only", "certificate", "--lang", "es",
                 "--jobs", "1", "--participants", str(participants))
    assert result.code == 1, result.err
    assert "unexpected failure" not in result.err and "Traceback" not in result.err, result.err
    assert not out.exists()
    return result.lines


# --- A. One guard for every file -------------------------------------------------------------


def test_a_module_file_that_is_a_pipe_is_named_as_one(run, sample):
    root = sample()
    module = root / "modules/first-steps/module.yaml"
    module.unlink()
    os.mkfifo(module)  # reading it would wait forever; "has no file" would be untrue
    assert _check(run, root) == [
        f"{module}: error: refused: this is a pipe, not a file; content must be plain text files"]


def test_a_text_file_that_is_a_folder_is_named_as_one(run, sample):
    root = sample()
    texts = root / "card/en.yaml"
    texts.unlink()
    texts.mkdir()
    assert _check(run, root) == [
        f"{texts}: error: refused: this is a folder, not a file; content must be plain text files"]


def test_a_logo_that_is_a_pipe_or_a_link_out_of_the_folder_is_refused(run, sample, tmp_path):
    root = sample()
    logo = _with_logo(root)
    os.mkfifo(logo)
    assert _check(run, root) == [
        f"{logo}: error: refused: this is a pipe, not a file; a logo must be a plain SVG file"]
    logo.unlink()
    private = tmp_path / "private.svg"
    private.write_text(LOGO.replace("</svg>", "<title>PRIVATE-MARK</title></svg>"), encoding="utf-8")
    logo.symlink_to(private)
    assert _check(run, root) == [f"{logo}: {OUTSIDE}"]


def test_a_catalog_linked_out_of_the_folder_or_a_folder_is_refused(run, sample, tmp_path):
    root = sample()
    catalog = root / CATALOG
    private = tmp_path / "private.po"
    catalog.rename(private)
    catalog.symlink_to(private)
    assert _check(run, root) == [f"{catalog}: {OUTSIDE}"]
    catalog.unlink()
    catalog.mkdir()
    assert _check(run, root) == [
        f"{catalog}: error: refused: this is a folder, not a file; a catalog must be a plain text file"]


def test_a_participants_list_that_is_a_pipe_is_refused_before_it_is_read(run, sample, tmp_path):
    fifo = tmp_path / "nombres.csv"
    os.mkfifo(fifo)
    assert _build_with(run, sample(), fifo) == [
        f"{fifo}: error: refused: this is a pipe, not a file; the participants list must be a plain CSV file"]


def test_a_participants_list_has_a_size_limit(run, sample, tmp_path):
    people = tmp_path / "nombres.csv"
    people.write_text("nombre\n" + "Ana\n" * (MAX_PARTICIPANTS_BYTES // 4), encoding="utf-8")
    size = people.stat().st_size
    assert _build_with(run, sample(), people) == [
        f"{people}:1: error: participants file is too large ({size} bytes; the limit is {MAX_PARTICIPANTS_BYTES})"]


def test_a_participants_list_has_a_row_limit_named_at_its_line(run, sample, tmp_path):
    people = tmp_path / "nombres.csv"
    people.write_text("nombre\n" + "".join(f"Persona {n}\n" for n in range(MAX_PARTICIPANTS + 1)), encoding="utf-8")
    assert _build_with(run, sample(), people) == [
        f"{people}:{MAX_PARTICIPANTS + 2}: error: more than {MAX_PARTICIPANTS} names; "
        f"split the file into lists of up to {MAX_PARTICIPANTS}"]


# --- B.1 A damaged or Latin-1 catalog ------------------------------------------------------------


def test_b1_latin1_catalog_names_its_line_and_byte(run, sample):
    root = sample()
    catalog = root / CATALOG
    data = catalog.read_text(encoding="utf-8").encode("latin-1", errors="replace")  # "páginas" saved by an old editor (“ ” are not Latin-1)
    catalog.write_bytes(data)
    offset = next(at for at, byte in enumerate(data) if byte >= 0x80)  # the first accented letter
    line = data[:offset].count(b"\n") + 1
    assert _check(run, root) == [
        f"{catalog}:{line}: error: not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); save the file as UTF-8"]


def test_b1_garbage_in_a_catalog_is_one_error_at_its_line_not_babel_on_stdout(run, sample):
    root = sample()
    catalog = root / CATALOG
    _edit(catalog, 'msgstr "Actuar"', 'msgstr "Actuar"\nActuar bien')
    assert _check(run, root) == [
        f"{catalog}:{_line_of(catalog, 'Actuar bien')}: error: damaged catalog: Unknown or misformatted keyword"]


def test_b1_a_catalog_cut_short_inside_a_text_is_not_read_as_a_shorter_text(run, sample):
    root = sample()
    catalog = root / CATALOG
    text = catalog.read_text(encoding="utf-8")
    cut = 'msgstr "Activid'
    catalog.write_text(text[:text.index('msgstr "Actividades"') + len(cut)], encoding="utf-8")
    assert _check(run, root) == [
        f"{catalog}:{_line_of(catalog, cut)}: error: damaged catalog: a text must be one quoted "
        'string ("...") on its line; is the file cut short?']


def test_b1_a_catalog_cut_short_after_a_msgid(run, sample):
    root = sample()
    catalog = root / CATALOG
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text[:text.index('msgstr "Actividades"')], encoding="utf-8")
    msgid = 'msgid "Activities"'
    assert _check(run, root) == [
        f"{catalog}:{_line_of(catalog, msgid)}: error: damaged catalog: "
        "missing msgstr for msgid 'Activities'"]


def test_b1_the_build_stops_at_a_damaged_catalog_and_writes_nothing(run, sample, tmp_path):
    root = sample()
    catalog = root / CATALOG
    _edit(catalog, 'msgstr "Actuar"', 'msgstr "Actuar"\nActuar bien')
    result = run("build", "--content", str(root), "--out", str(tmp_path / "out"), "--only", "card", "--jobs", "1")
    assert result.code == 1 and "WARNING" not in result.out  # Babel printed its warnings there
    assert result.lines == [
        f"{catalog}:{_line_of(catalog, 'Actuar bien')}: error: damaged catalog: Unknown or misformatted keyword"]
    assert not (tmp_path / "out").exists()


# --- B.2 Placeholders ---------------------------------------------------------------------------


def test_b2_a_placeholder_typo_is_an_error_at_its_entry(run, sample):
    root = sample()
    catalog = root / CATALOG
    _edit(catalog, 'msgstr "%(minutes)s minutos"', 'msgstr "%(minutos)s minutos"')
    line = _line_of(catalog, 'msgstr "%(minutos)s minutos"')  # the line the translator must edit
    assert _check(run, root) == [
        f"{catalog}:{line}: error: translation of '%(minutes)s minutes': unknown named placeholder 'minutos'; "
        "write the placeholders exactly as in the msgid"]


def test_b2_brace_placeholders_and_placeholders_the_msgid_lacks(run, sample):
    root = sample()
    catalog = root / CATALOG
    _edit(catalog, 'msgstr "Actuar"', 'msgstr "Actuar %(cuando)s"')
    with catalog.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Hello {name}"\nmsgstr "Hola {nombre}"\n')
    act = 'msgid "Act"'
    assert _check(run, root) == [
        f"{catalog}:{_line_of(catalog, act) + 1}: error: translation of 'Act': unknown placeholder "
        "%(cuando)s; write the placeholders exactly as in the msgid",
        f"{catalog}:{_line_of(catalog, 'Hola {nombre}')}: error: translation of 'Hello {{name}}': unknown placeholder "
        "{nombre}; write the placeholders exactly as in the msgid"]


# --- B.3 Language codes Babel does not know ----------------------------------------------------


@pytest.mark.parametrize("lang, lines", [
    ("es-pe", []),
    ("ay", ["warning: Babel has no data for language 'ay': its dates, plural forms and sorting follow Spanish (es); the language chooser shows its code: give its name in language_names"]),
    ("qps", ["warning: Babel has no data for language 'qps': its dates, plural forms and sorting follow Spanish (es); the language chooser shows its code: give its name in language_names"]),
])
def test_b3_any_language_code_reads_its_catalog(run, sample, lang, lines):
    root = sample()
    _edit(root / "curriculum/curriculum.yaml", "languages: [es, en]", f"languages: [es, en, {lang}]")
    _edit(root / "orgs/test-org.yaml", 'en: "Phone"}', f'en: "Phone", {lang}: "Teléfono"}}')
    for texts in root.glob("*/en.yaml"):
        texts.with_name(f"{lang}.yaml").write_bytes(texts.read_bytes())
        record = texts.with_name("en.translated.yaml")
        record.with_name(f"{lang}.translated.yaml").write_bytes(record.read_bytes())
    for texts in root.glob("modules/*/en.yaml"):
        texts.with_name(f"{lang}.yaml").write_bytes(texts.read_bytes())
        record = texts.with_name("en.translated.yaml")
        record.with_name(f"{lang}.translated.yaml").write_bytes(record.read_bytes())
    (root / f"locales/{lang}").mkdir()
    (root / f"locales/{lang}/LC_MESSAGES").mkdir()
    (root / f"locales/{lang}/LC_MESSAGES/messages.po").write_bytes((root / CATALOG).read_bytes())
    result = run("check", "--content", str(root))
    assert result.code == 0, result.err
    assert [line.replace(f"{root}/curriculum/curriculum.yaml:1: ", "") for line in result.lines] == lines
    assert pending_mark(root, lang) == "(traducción pendiente)"


# --- B.4 A catalog edited while the process runs -----------------------------------------------


def test_b4_an_edited_catalog_is_read_again(sample):
    """`watch` keeps one process: the pending mark must follow the file, not the first read."""
    root = sample()
    assert pending_mark(root, "es") == "(traducción pendiente)"
    _edit(root / CATALOG, 'msgstr "(traducción pendiente)"', 'msgstr "(falta traducir)"')
    assert pending_mark(root, "es") == "(falta traducir)"


# --- B.5 A logo nested too deep ----------------------------------------------------------------


def test_b5_a_logo_nested_too_deep_is_caught_by_check(run, sample):
    root = sample()
    logo = _with_logo(root)
    depth = 5000  # parses (expat keeps no stack) but would overflow the SVG drawing's recursion
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n' + "<g>\n" * depth
                    + "</g>\n" * depth + "</svg>\n", encoding="utf-8")
    assert _check(run, root) == [
        f"{logo}:33: error: logo: the drawing is nested more than 32 levels deep; a logo never needs that"]


# --- B.6 Participants CSV ----------------------------------------------------------------------


def test_b6_a_csv_field_over_the_field_limit_names_file_and_line(run, sample, tmp_path):
    people = tmp_path / "nombres.csv"
    people.write_text("nombre\nAna\n" + "x" * 200_000 + "\nLuis\n", encoding="utf-8")
    assert _build_with(run, sample(), people) == [
        f"{people}:3: error: participants file is not a readable CSV (field larger than field limit (131072))"]


def test_b6_a_csv_that_is_not_utf8_names_its_line(run, sample, tmp_path):
    people = tmp_path / "nombres.csv"
    data = "nombre\nAna\nMaría\n".encode("latin-1")
    people.write_bytes(data)
    offset = data.index("í".encode("latin-1"))
    assert _build_with(run, sample(), people) == [
        f"{people}:3: error: participants file is not UTF-8 text (byte offset {offset}); "
        "save it as UTF-8 (CSV UTF-8 in a spreadsheet)"]


# --- B.7 One syntax error, one error line ------------------------------------------------------


BROKEN = "broken: [\n"  # an unclosed list: a syntax error at the end of the file


@pytest.mark.parametrize("rel", [
    "modules/first-steps/module.yaml", "glossary/glossary.yaml", "legal/legal.yaml", "materials/materials.yaml",
    "tracks/tracks.yaml", "incident-form/form.yaml", "orgs/test-org.yaml", "glossary/es.yaml", "card/en.yaml",
    "glossary/en.translated.yaml", "curriculum/curriculum.yaml",
])
def test_b7_a_file_that_cannot_be_parsed_is_one_error_not_a_cascade(run, sample, rel):
    """No "unknown module", "unknown key", "missing text" or "stale" lines follow from it."""
    root = sample()
    path = root / rel
    with path.open("a", encoding="utf-8") as handle:
        handle.write(BROKEN)
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1  # PyYAML points at the end of the file
    assert _check(run, root, "--org", "test-org") == [
        f"{path}:{line}: error: YAML syntax error: did not find expected node content"]


def test_b7_an_item_indented_too_far_is_one_error(run, sample):
    """YAML joins a line indented further than the item above to it: valid YAML, two ids lost."""
    root = sample()
    structure = root / "glossary/glossary.yaml"
    _edit(structure, "terms: [testigo, placa]", "terms:\n  - testigo\n     - placa")
    assert _check(run, root) == [
        f"{structure}:2: error: glossary: 'testigo - placa' is not a valid id "
        "(use lower case letters, digits and '-'; a line indented further than the one above joins it)"]


def test_update_catalog_leaves_a_damaged_catalog_as_it_is(tmp_path, monkeypatch, capsys):
    """`tools/update_catalog.py` must not rewrite a catalog it could not read whole: Babel
    would drop the entries after the damage, and the translator's work with them."""
    from tools import update_catalog

    catalog = tmp_path / "content" / CATALOG
    catalog.parent.mkdir(parents=True)
    damaged = (ROOT / "content" / CATALOG).read_text(encoding="utf-8").replace('msgstr "Actuar"', 'msgstr "Actuar"\nActuar bien')
    catalog.write_text(damaged, encoding="utf-8")
    monkeypatch.setattr(update_catalog, "ROOT", tmp_path)
    assert update_catalog.main("es") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"content/{CATALOG}:{_line_of(catalog, 'Actuar bien')}: error: damaged catalog: Unknown or misformatted keyword",
                   "1 errors: the catalog is left as it is; fix them and run this again"]
    assert catalog.read_text(encoding="utf-8") == damaged


def test_b7_a_track_naming_sessions_of_an_unreadable_module_is_not_checked(run, sample):
    root = sample()
    _edit(root / "tracks/tracks.yaml", "modules: [first-steps]", "modules: [first-steps]\n    sessions: [first-steps/welcome]")
    module = root / "modules/first-steps/module.yaml"
    with module.open("a", encoding="utf-8") as handle:
        handle.write(BROKEN)
    line = len(module.read_text(encoding="utf-8").splitlines()) + 1
    assert _check(run, root) == [f"{module}:{line}: error: YAML syntax error: did not find expected node content"]


def test_b7_a_module_without_its_file_is_one_error(run, sample):
    root = sample()
    (root / "modules/first-steps/module.yaml").unlink()
    assert _check(run, root) == [f"{root}/curriculum/curriculum.yaml:7: error: module 'first-steps' has no file "
                                 f"{root}/modules/first-steps/module.yaml"]


def test_a_wrong_source_language_or_default_org_is_named_at_its_own_line(run, sample):
    root = sample()
    path = root / "curriculum/curriculum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("source_language: es", "source_language: xx")
                    .replace("default_org: test-org", "default_org: nope"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = f"{root}/curriculum/curriculum.yaml"
    found = _check(run, root)
    assert f"{shown}:{lines.index('source_language: xx') + 1}: error: source_language 'xx' is not in languages" in found
    assert f"{shown}:{lines.index('default_org: nope') + 1}: error: default_org 'nope' has no file orgs/nope.yaml" in found
