"""Hostile or broken content: a clear `path:line: error: message` (exit 1, no traceback,
nothing written) or a documented harmless rendering; never a hang, a crash or a fetch.

Content files travel between groups on USB sticks and phones: they may be damaged, saved
by the wrong editor, or written to attack the person who builds them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdf_text
from conftest import edit as _edit
from conftest import line_of as _line_of
from taller.content.yamlsrc import MAX_FILE_BYTES


@pytest.fixture
def content(sample, tmp_path):
    """The minimal curriculum as tmp_path/sample, built from tmp_path so paths read `sample/...`."""
    return sample("minimal").rename(tmp_path / "sample")


def _fails(run, content: Path) -> list[str]:
    """Build; it must fail cleanly and write nothing. Returns the diagnostic lines."""
    out = content.parent / "out"
    result = run("build", "--content", "sample", "--out", str(out), "--jobs", "1", cwd=content.parent)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "unexpected failure" not in result.err, result.err
    assert not out.exists()
    return result.lines


def _errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line]


def _cli(content: Path, *argv: str) -> subprocess.CompletedProcess:
    """The real command in a subprocess, so a hang is caught by the timeout, not by CI's."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *argv, "--content", "sample"],
                          cwd=content.parent, capture_output=True, text=True, timeout=60)


# --- YAML that is broken or malicious -------------------------------------------------------


@pytest.mark.parametrize("broken, problem", [
    ("  term: testigo\n", "  term: \"testigo\n"),                       # unclosed quote
    ("  term: testigo\n", "  term: testigo\n\tdefinition: x\n"),       # a tab as indentation
    ("  term: testigo\n", "  term: testigo\n---\nother: document\n"),  # a second document
    ("  term: testigo\n", "  term: [testigo\n"),                       # unclosed list
])
def test_malformed_yaml_is_one_error_with_its_line(run, content, broken, problem):
    path = content / "glossary/es.yaml"
    _edit(path, broken, problem)
    lines = _fails(run, content)
    assert len(lines) == 1, lines
    assert re.fullmatch(r"sample/glossary/es\.yaml:\d+: error: (YAML syntax error: |a tab character )\S.*", lines[0]), lines


def test_alias_bomb_is_refused_at_once(content):
    """"Billion laughs": nine levels of nine aliases would be 9^9 strings once expanded."""
    path = content / "glossary/es.yaml"
    bomb = 'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        bomb += f"{name}{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + bomb, encoding="utf-8")
    anchor = len(text.splitlines()) + 1  # the line of `lol: &a [...]`, the anchor the aliases name
    result = _cli(content, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"sample/glossary/es.yaml:{anchor}: error: anchors and aliases (&, *) are not allowed in content")
    assert len([line for line in result.stderr.splitlines() if ": error: " in line]) == 1  # no follow-up noise


def test_yaml_merge_key_habit_is_refused_too(run, content):
    path = content / "legal/es.yaml"
    path.write_text("common: &common\n  source: Fuente de prueba\n" + path.read_text(encoding="utf-8")
                    .replace("  source: Fuente de prueba\n", "  <<: *common\n"), encoding="utf-8")
    assert _fails(run, content) == [
        "sample/legal/es.yaml:1: error: anchors and aliases (&, *) are not allowed in content"]


def test_deep_nesting_is_refused_without_recursion_error(run, content):
    path = content / "glossary/es.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "deep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    [line] = _fails(run, content)
    assert re.fullmatch(r"sample/glossary/es\.yaml:\d+: error: the file is nested more than \d+ levels deep; "
                        r"content never needs that", line)


@pytest.mark.parametrize("tagged, shown", [
    ('!!python/object/apply:os.system ["touch PWNED"]', "!!python/object/apply:os.system"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!include ../../secret.yaml", "!include"),
])
def test_yaml_tags_are_refused_and_never_run(run, content, tagged, shown):
    path = content / "glossary/es.yaml"
    _edit(path, "  term: testigo\n", f"  term: {tagged}\n")
    assert _fails(run, content) == [
        f"sample/glossary/es.yaml:2: error: YAML tags such as '{shown}' are not allowed in content"]
    assert not (content.parent / "PWNED").exists()


def test_wrong_types_each_get_their_line(run, content):
    path = content / "modules/first-steps/module.yaml"
    text = path.read_text(encoding="utf-8")
    text = (text.replace("minutes: 50", "minutes: 1.5").replace("group_size: {min: 4, max: 12}", "group_size: 12")
            .replace("materials: [markers, cards]", "materials: markers").replace("minutes: 20", "minutes: true"))
    path.write_text(text, encoding="utf-8")
    assert _fails(run, content) == [
        f"sample/modules/first-steps/module.yaml:{_line_of(path, 'minutes: 1.5')}: error: session: 'minutes' must be a whole number, not '1.5'",
        f"sample/modules/first-steps/module.yaml:{_line_of(path, 'group_size')}: error: group_size must be a mapping of `key: value` lines",
        f"sample/modules/first-steps/module.yaml:{_line_of(path, 'materials:')}: error: session: 'materials' must be a list, such as [a, b]",
        f"sample/modules/first-steps/module.yaml:{_line_of(path, 'minutes: true')}: error: activity: 'minutes' must be a whole number, not 'true'",
    ]


def test_impossible_date_and_endless_number_are_errors_not_crashes(run, content):
    legal = content / "legal/legal.yaml"
    _edit(legal, "gathered_on: 2026-01-10", "gathered_on: 2026-13-45")
    module = content / "modules/first-steps/module.yaml"
    _edit(module, "minutes: 50", "minutes: " + "9" * 5000)  # more digits than Python converts
    lines = _fails(run, content)
    assert lines[0] == f"sample/legal/legal.yaml:{_line_of(legal, 'gathered_on')}: error: legal fact: 'gathered_on' must be a date written YYYY-MM-DD"
    assert lines[1].startswith(f"sample/modules/first-steps/module.yaml:{_line_of(module, 'minutes: 999')}: error: "
                               "session: 'minutes' must be a whole number, not '9999")
    assert len(lines[1]) < 600 and lines[1].endswith("…")  # the value is cut, not printed in full
    assert len(lines) == 2, lines


def test_unknown_keys_at_every_level(run, content):
    curriculum = content / "curriculum/curriculum.yaml"
    _edit(curriculum, "default_org: test-org\n", "default_org: test-org\ncolour: red\n")
    org = content / "orgs/test-org.yaml"
    _edit(org, "city: Arequipa\n", "city: Arequipa\nwebsite: http://example.org\n")
    assert _fails(run, content) == [
        f"sample/curriculum/curriculum.yaml:{_line_of(curriculum, 'colour')}: error: curriculum: unknown key 'colour'",
        f"sample/orgs/test-org.yaml:{_line_of(org, 'website')}: error: organisation: unknown key 'website'",
    ]


def test_duplicate_ids(run, content):
    module = content / "modules/first-steps/module.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text + text[text.index("  - id: welcome"):], encoding="utf-8")
    second = len(text.splitlines()) + 1
    curriculum = content / "curriculum/curriculum.yaml"
    curriculum.write_text(curriculum.read_text(encoding="utf-8") + "  - first-steps\n", encoding="utf-8")
    assert _fails(run, content) == [
        "sample/modules/first-steps/module.yaml:1: error: duplicate module id 'first-steps' (first at sample/modules/first-steps/module.yaml:1)",
        f"sample/modules/first-steps/module.yaml:{second}: error: duplicate session id 'welcome' (first at sample/modules/first-steps/module.yaml:6)",
    ]


def test_huge_file_is_refused_before_it_is_read(content):
    path = content / "modules/first-steps/es.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * MAX_FILE_BYTES + "\n")
    size = path.stat().st_size
    result = _cli(content, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"sample/modules/first-steps/es.yaml:1: error: file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
    assert "Traceback" not in result.stderr


def test_pipe_or_device_instead_of_a_file_does_not_hang(content, tmp_path):
    fifo = content / "glossary/glossary.yaml"
    fifo.unlink()
    os.mkfifo(fifo)  # reading it would wait forever for a writer
    result = _cli(content, "check")
    assert result.returncode == 1
    assert "sample/glossary/glossary.yaml: error: refused: this is a pipe, not a file; " \
           "content must be plain text files" in result.stderr.splitlines()


def test_link_out_of_the_content_folder_is_refused(run, content, tmp_path):
    """A shared folder must not pull a private file of the builder's machine into the PDFs."""
    private = tmp_path / "private.yaml"
    private.write_text("testigo:\n  term: PRIVATE-NOTE\n  definition: x\nplaca:\n  term: p\n  definition: d\n",
                       encoding="utf-8")
    glossary = content / "glossary/es.yaml"
    glossary.unlink()
    glossary.symlink_to(private)
    (content / "glossary/glossary.yaml").unlink()
    (content / "glossary/glossary.yaml").symlink_to("/dev/zero")  # would never end
    result = run("build", "--content", "sample", "--out", str(tmp_path / "out"), cwd=content.parent)
    assert result.code == 1
    message = ("error: refused: this file is a link to a place outside the content folder; "
               "copy the file into the folder instead")
    assert f"sample/glossary/es.yaml: {message}" in result.lines
    assert f"sample/glossary/glossary.yaml: {message}" in result.lines
    assert "PRIVATE-NOTE" not in result.out + result.err
    assert not (tmp_path / "out").exists()


def test_link_inside_the_content_folder_is_fine(run, content, tmp_path):
    glossary = content / "glossary/es.yaml"
    glossary.rename(content / "glossary/es-real.yaml")
    glossary.symlink_to("es-real.yaml")
    assert run("check", "--content", "sample", cwd=content.parent).lines == []


# --- Encodings ------------------------------------------------------------------------------


def test_latin1_file_names_file_line_and_byte(run, content):
    path = content / "modules/first-steps/es.yaml"
    data = path.read_text(encoding="utf-8").encode("latin-1")  # "módulo" saved by an old editor
    path.write_bytes(data)
    offset = data.index(b"\xf3")  # ó
    line = data[:offset].count(b"\n") + 1
    assert _fails(run, content) == [
        f"sample/modules/first-steps/es.yaml:{line}: error: not UTF-8 text (byte 0xf3 at offset {offset}); save the file as UTF-8"]


def test_utf16_file_is_named_too(run, content):
    path = content / "glossary/es.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert _fails(run, content) == [
        "sample/glossary/es.yaml:1: error: not UTF-8 text (byte 0xff at offset 0); save the file as UTF-8"]


def test_control_character_in_a_file(run, content):
    path = content / "glossary/es.yaml"
    _edit(path, "  definition: Persona", "  definition: Pers\x00ona")
    assert _fails(run, content) == [
        f"sample/glossary/es.yaml:{_line_of(path, 'Pers')}: error: YAML syntax error: control characters are not allowed: U+0000"]


def test_terminal_escapes_in_content_are_printed_harmlessly(run, content):
    path = content / "glossary/es.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '"x\\e[2J\\e]0;pwned\\a\\nfake: error": y\n', encoding="utf-8")
    result = run("check", "--content", "sample", cwd=content.parent)
    assert result.code == 1
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert result.lines == [f"sample/glossary/es.yaml:{_line_of(path, 'fake')}: error: "
                            "unknown key 'x\\x1b[2J\\x1b]0;pwned\\x07\\x0afake: error'"]


def test_bom_and_crlf_are_accepted(run, content, tmp_path):
    for path in content.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es")
    assert result.code == 0, result.err
    assert result.lines == []  # no warning either: fingerprints see the same text
    assert "Haz lo que te parezca más seguro." in pdf_text(out / "es/handouts/first-steps.pdf")


def test_nfd_accents_become_nfc(run, content, tmp_path):
    """"á" typed as "a" + a combining accent (macOS, some phones) is the same letter."""
    glossary = content / "glossary/es.yaml"
    _edit(glossary, "definition: Persona que vio lo que pasó.",
          "definition: " + unicodedata.normalize("NFD", "Persona que vio lo que pasó."))
    module = content / "modules/first-steps/es.yaml"
    _edit(module, "title: Bienvenida al grupo", "title: " + unicodedata.normalize("NFD", "Bienvenida, compañera"))
    assert "\u0301" in glossary.read_text(encoding="utf-8")
    out = tmp_path / "out"
    assert run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "guide,glossary",
               "--lang", "es", "--keep-html").code == 0
    assert "Persona que vio lo que pasó." in pdf_text(out / "es/glossary.pdf")
    assert "Bienvenida, compañera" in pdf_text(out / "es/guides/first-steps.pdf")
    for html in (out / "_html").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert text == unicodedata.normalize("NFC", text), html


# --- Prose that tries to be code, markup or a fetch -----------------------------------------

HOSTILE = [
    "<script>alert(1)</script> y <b>negrita</b> <img src=x onerror=alert(1)>",
    "{{ config }} y {% include 'base.html.j2' %} y {# nota #}",
    "![foto](file:///etc/passwd) ![a](http://example.org/x.png) ![b](https://example.org/y.png)",
    "[enlace](http://example.org) <https://example.org/auto> [subir](../../../etc/passwd)",
    "![d](data:image/png;base64,iVBORw0KGgo=) [r]: http://example.org/ref",
]


def test_html_templates_images_and_links_in_prose_print_literally(run, content, tmp_path):
    """Documented in content/README.md: HTML, images and links are printed as written;
    nothing they name is fetched, and the PDF holds no link."""
    es = content / "modules/first-steps/es.yaml"
    text = es.read_text(encoding="utf-8")
    items = "".join(f"    - {json.dumps(line, ensure_ascii=False)}\n" for line in HOSTILE)  # JSON strings are YAML
    text = text.replace("  know:\n    - El grupo tiene un acuerdo.\n", "  know:\n" + items)
    text = text.replace("  intro: |\n    Hoy aprendimos",
                        "  intro: |\n    <iframe src=\"http://example.org\"></iframe>\n\n"
                        "    [nota]: http://example.org/nota\n\n    Hoy aprendimos")  # a reference definition
    es.write_text(text, encoding="utf-8")
    en = content / "modules/first-steps/en.yaml"
    _edit(en, "  know:\n    - The group has an agreement.\n", "  know:\n" + "    - x\n" * len(HOSTILE))
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout",
                 "--lang", "es", "--keep-html")
    assert result.code == 0, result.err
    assert not [line for line in result.lines if ": error: " in line]
    pdf = out / "es/handouts/first-steps.pdf"
    printed = pdf_text(pdf).replace(" ", "")
    for line in [*HOSTILE, '<iframe src="http://example.org"></iframe>', "[nota]: http://example.org/nota"]:
        assert line.replace(" ", "") in printed, line
    html = (out / "_html/es/handouts/first-steps.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html
    for tag in ("<script", "<img", "<iframe", "<a "):
        assert tag not in html, tag
    for page in PdfReader(pdf).pages:
        assert "/Annots" not in page, "the PDF must hold no link"
    assert b"file:" not in pdf.read_bytes()
