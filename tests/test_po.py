"""PO files for translators: `po export`, a translator's edit, `po import`, a build; a source
edit makes the entry fuzzy with its previous source; broken files import nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import edit, line_of, pdf_text
from taller.content.texts import SHARED_UNITS
from taller.language import po

MSGFMT = shutil.which("msgfmt")
# Longer than a PO line (76 columns): its entries, and its previous text, take several lines.
LONG = "Hoy aprendimos a cuidarnos en grupo, a escucharnos sin juzgar y a decidir juntas qué hacer."


@pytest.fixture
def quechua(run, sample):
    """tests/roots/minimal with Quechua added by `new-language`: nothing translated yet."""
    content = sample()
    assert run("new-language", "qu", "--name", "Runasimi", "--content", str(content)).code == 0
    return content


def _export(run, content: Path, folder: Path, lang: str = "qu"):
    return run("po", "export", "--lang", lang, "--dir", str(folder), "--content", str(content))


def _import(run, content: Path, folder: Path, lang: str = "qu"):
    return run("po", "import", "--lang", lang, "--dir", str(folder), "--content", str(content))


def _entry(po: Path, key: str):
    with po.open("rb") as handle:
        return next(m for m in read_po(handle) if m.context == key)


def _translate(po: Path, key: str, text: str) -> None:
    """What a translator does in Poedit: fill in the msgstr of one entry."""
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line == f'msgctxt "{key}"\n')
    end = next(n for n in range(at, len(lines)) if lines[n].startswith("msgstr"))
    stop = next((n for n in range(end + 1, len(lines)) if not lines[n].startswith('"')), len(lines))
    lines[end:stop] = [f'msgstr "{text}"\n']
    po.write_text("".join(lines), encoding="utf-8")


def _msgfmt_ok(folder: Path) -> None:
    if MSGFMT is None:
        return  # Debian's gettext (make test installs it) is not on this machine
    for path in sorted(folder.rglob("*.po")):
        checked = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, (path, checked.stderr)


def test_round_trip_export_translate_import_build_and_a_source_edit(run, quechua, tmp_path):
    folder = tmp_path / "po-qu"
    es = quechua / "modules/first-steps/es.yaml"
    edit(es, "Hoy aprendimos a cuidarnos en grupo.", LONG)
    exported = _export(run, quechua, folder)
    assert exported.code == 0, exported.err
    # One per text unit (card.po, glossary.po, ...), the module's, and the interface words.
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.po")) == sorted(
        [f"{unit}.po" for unit in SHARED_UNITS] + ["modules/first-steps.po", "interface.po"])
    _msgfmt_ok(folder)
    module = folder / "modules/first-steps.po"
    intro = _entry(module, "handout.intro")
    assert (intro.id, intro.string, intro.fuzzy) == (LONG, "", False)
    assert intro.locations == [("modules/first-steps/es.yaml", line_of(es, "intro:"))]
    assert _entry(module, "handout.do").id == "Escucha a tus compañeras.\nHaz lo que te parezca más seguro."

    _translate(module, "handout.intro", "QU-INTRO kunan yacharqanchik.")
    _translate(module, "handout.do", "QU-UNO\\nQU-DOS")
    interface = folder / "interface.po"
    interface.write_text(interface.read_text(encoding="utf-8").replace(
        'msgid "What to know"\nmsgstr ""', 'msgid "What to know"\nmsgstr "QU-YACHANAYKI"'), encoding="utf-8")
    imported = _import(run, quechua, folder)
    assert imported.code == 0, imported.err
    assert "modules/first-steps: 2 new or changed, 0 fuzzy left out, 20 not translated yet" in imported.out
    texts = (quechua / "modules/first-steps/qu.yaml").read_text(encoding="utf-8")
    assert "handout:\n  intro: QU-INTRO kunan yacharqanchik.\n  do:\n    - QU-UNO\n    - QU-DOS\n" in texts
    assert texts.startswith("# Runasimi (qu) text of modules/first-steps")  # its comments kept
    checked = run("check", "--verbose", "--content", str(quechua))
    assert not [line for line in checked.err.splitlines() if "first-steps/qu.yaml" in line and "handout.intro" in line]
    out = tmp_path / "out"
    built = run("--content", str(quechua), "--out", str(out), "--lang", "qu", "--only", "handout", "--jobs", "1")
    assert built.code == 0, built.err
    handout = pdf_text(out / "qu/handouts/first-steps.pdf")
    assert "QU-INTRO kunan yacharqanchik." in handout and "QU-YACHANAYKI" in handout
    assert "Qué hacer" in handout  # an interface word not translated yet: Spanish

    # The Spanish changes: exported again into the same folder, the entry is fuzzy, keeps
    # the old translation, and shows what it was translated from.
    edit(es, LONG, "Hoy aprendimos a cuidarnos entre todas.")
    assert _export(run, quechua, folder).code == 0
    stale = _entry(module, "handout.intro")
    assert (stale.id, stale.string, stale.fuzzy) == (
        "Hoy aprendimos a cuidarnos entre todas.", "QU-INTRO kunan yacharqanchik.", True)
    assert '#| msgid ""\n#| "Hoy aprendimos a cuidarnos en grupo, a escucharnos sin juzgar y a decidir"\n' \
           '#| " juntas qué hacer."\nmsgctxt "handout.intro"\n' in module.read_text(encoding="utf-8")
    _msgfmt_ok(folder)
    assert _export(run, quechua, folder).code == 0  # exported once more, it still knows
    assert po.previous_ids(_entry(module, "handout.intro")) == [LONG]
    # A fuzzy entry is not brought back: the translation stays stale until someone checks it.
    before = (quechua / "modules/first-steps/qu.translated.yaml").read_bytes()
    assert _import(run, quechua, folder).code == 0
    assert (quechua / "modules/first-steps/qu.translated.yaml").read_bytes() == before


def test_an_entry_is_recorded_as_translated_from_the_source_it_shows(run, quechua, tmp_path):
    """A PO file made before a Spanish edit, translated after it: the translation is of the
    old Spanish, so it comes in stale, never as current."""
    folder = tmp_path / "po-qu"
    assert _export(run, quechua, folder).code == 0
    edit(quechua / "card/es.yaml", "title: Conoce tus derechos", "title: Conoce tus derechos de siempre")
    _translate(folder / "card.po", "title", "Derechoykita riqsiy")
    assert _import(run, quechua, folder).code == 0
    checked = run("check", "--verbose", "--content", str(quechua))
    assert f"{quechua}/card/qu.yaml:5: note: stale translation of title (source changed at {quechua}/card/es.yaml:3)" \
        in checked.err


@pytest.mark.parametrize("damage, line_of_problem, message", [
    (lambda po: po.write_text(po.read_text(encoding="utf-8")[:-40], encoding="utf-8"), None,
     "damaged PO file: a text must be one quoted string"),
    (lambda po: _translate(po, "title", "Derechoykita {nombre}"), "msgstr", "translation of title: unknown placeholder"),
    (lambda po: po.write_text(po.read_text(encoding="utf-8").replace('msgctxt "title"', 'msgctxt "titulo"'),
                              encoding="utf-8"), "titulo", "unknown key 'titulo': card has no such text"),
    (lambda po: _translate(po, "do", "solo una"), "msgstr", "do has 1 lines; its Spanish text has 2 items"),
])
def test_a_broken_po_file_imports_nothing(run, quechua, tmp_path, damage, line_of_problem, message):
    folder = tmp_path / "po-qu"
    assert _export(run, quechua, folder).code == 0
    _translate(folder / "modules/first-steps.po", "title", "QU-TITULO")  # a good entry in another file
    po = folder / "card.po"
    damage(po)
    files = {p: p.read_bytes() for p in quechua.rglob("*") if p.is_file()}
    result = _import(run, quechua, folder)
    assert result.code == 1
    assert len(result.lines) == 1 and message in result.lines[0], result.err
    if line_of_problem == "msgstr":
        text = po.read_text(encoding="utf-8").splitlines()
        title = next(n for n, line in enumerate(text, 1) if 'msgstr "Derecho' in line or 'msgstr "solo' in line)
        assert result.lines[0].startswith(f"{po}:{title}: error: ")
    elif line_of_problem:
        assert result.lines[0].startswith(f"{po}:{line_of(po, line_of_problem) + 1}: error: ")
    assert result.err.endswith("nothing imported\n")
    assert {p: p.read_bytes() for p in quechua.rglob("*") if p.is_file()} == files  # all or nothing


def test_import_keeps_the_translators_comments(run, sample, tmp_path):
    content = sample()
    en = content / "modules/first-steps/en.yaml"
    edit(en, "handout:\n", "# Checked with the group on Tuesday.\nhandout:\n")
    edit(en, "title: First steps\n", "title: First steps  # short on purpose\n")
    folder = tmp_path / "po-en"
    assert _export(run, content, folder, "en").code == 0
    _translate(folder / "modules/first-steps.po", "handout.intro", "Today we learned to care for each other.")
    assert _import(run, content, folder, "en").code == 0, "import"
    text = en.read_text(encoding="utf-8")
    assert "# Checked with the group on Tuesday.\nhandout:\n  intro: Today we learned to care for each other.\n" in text
    assert "# short on purpose\ntitle: First steps\n" in text
    assert run("check", "--strict", "--content", str(content)).lines == []
    # English is what the interface words are written in: it has no catalog to export or make.
    assert not (folder / "interface.po").exists() and not (content / "locales/en").exists()


def test_an_interface_word_with_a_broken_placeholder_imports_nothing(run, quechua, tmp_path):
    folder = tmp_path / "po-qu"
    assert _export(run, quechua, folder).code == 0
    interface = folder / "interface.po"
    text = interface.read_text(encoding="utf-8")
    assert 'msgid "Module %(number)s"\nmsgstr ""' in text
    interface.write_text(text.replace('msgid "Module %(number)s"\nmsgstr ""', 'msgid "Module %(number)s"\n'
                                      'msgstr "Yachay %(numero)s"'), encoding="utf-8")
    catalog = quechua / "locales/qu/LC_MESSAGES/messages.po"
    before = catalog.read_bytes()
    result = _import(run, quechua, folder)
    assert result.code == 1
    assert result.lines == [f"{interface}:{line_of(interface, 'Yachay')}: error: translation of 'Module %(number)s': "
                            "unknown named placeholder 'numero'; write the placeholders exactly as in the msgid"]
    assert catalog.read_bytes() == before
