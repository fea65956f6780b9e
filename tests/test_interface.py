"""The program speaks the facilitator's language: Spanish for a Spanish locale, English
otherwise, `--ui` to choose; a progress bar on a terminal, a line per phase on a pipe,
nothing with -q; a closing summary in plain words.

The rest of the suite runs in English (conftest.py sets LANGUAGE=en); the tests here
that ask for a language set the locale themselves, as a facilitator's computer would.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import string
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import CONTENT, ROOT, ROOTS, copy_of
from taller import checkpoints, messages
from taller.cli import parse

BUILD = str(ROOT / "build.py")
CATALOG = messages.catalog_path("es")


def _locale(lang: str) -> dict[str, str]:
    """The environment of a computer set to `lang` (LANG alone, as most desktops set it)."""
    env = {k: v for k, v in os.environ.items() if k not in messages.LOCALE_VARIABLES}
    return {**env, "LANG": lang, "COLUMNS": "80"}  # argparse wraps help to the terminal's width


def _program(*argv: str, lang: str = "C.UTF-8", cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, BUILD, *argv], capture_output=True, text=True, timeout=600,
                          env=_locale(lang), cwd=cwd, **kwargs)


@pytest.fixture
def minimal(tmp_path) -> Path:
    """tests/roots/minimal with the real interface catalogs, in a folder of its own."""
    target = tmp_path / "sample"
    shutil.copytree(ROOTS / "minimal", target)
    shutil.copytree(CONTENT / "locales", target / "locales")
    return target


# --- which language ---------------------------------------------------------------------

@pytest.mark.parametrize("environ, spoken", [
    ({"LANG": "es_PE.UTF-8"}, "es"),
    ({"LANG": "es"}, "es"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "qu_PE.UTF-8"}, "en"),  # a language the interface does not speak: English
    ({"LC_ALL": "es_ES.UTF-8", "LANG": "C"}, "es"),  # gettext's order: LC_ALL before LANG
    ({"LANGUAGE": "", "LC_MESSAGES": "es_AR.UTF-8", "LANG": "en_US.UTF-8"}, "es"),  # an empty one is not set
    ({"LANGUAGE": "en", "LANG": "es_PE.UTF-8"}, "en"),  # LANGUAGE first
    ({"LANGUAGE": "qu:es", "LANG": "C"}, "es"),  # the first language of the list the interface speaks
])
def test_the_interface_language_comes_from_the_locale(environ, spoken):
    assert messages.interface_from_environment(environ) == spoken


def test_help_speaks_the_locale_language():
    english = _program("--help", lang="C")
    spanish = _program("--help", lang="es_PE.UTF-8")
    assert english.returncode == spanish.returncode == 0
    assert english.stdout.splitlines()[:3] == [
        "usage: build.py [COMMAND] [options]", "",
        "Build print-ready rights-training materials from the content folder."]
    assert spanish.stdout.splitlines()[:3] == [
        "uso: build.py [COMANDO] [opciones]", "",
        "Genera los materiales de capacitación en derechos, listos para imprimir, a partir de la carpeta del contenido."]
    # --ui wins over the locale, both ways.
    assert _program("--ui", "en", "--help", lang="es_PE.UTF-8").stdout == english.stdout
    assert _program("--ui", "es", "--help", lang="C").stdout == spanish.stdout


def test_each_command_has_its_own_help_with_the_facilitators_options_first():
    build = _program("build", "--help", lang="es_PE.UTF-8").stdout
    check = _program("check", "--help", lang="es_PE.UTF-8").stdout
    assert build != check
    assert build.splitlines()[0] == "uso: build.py build [-h] [--out CARPETA] [--lang es,en] [--only TIPO,...]"
    options = re.findall(r"^  (-[-\w]+)", build, re.M)
    assert options[:5] == ["-h", "--out", "--lang", "--only", "--paper"]
    # What only whoever looks after the program needs comes after, under its own heading.
    assert options.index("--jobs") > options.index("-q") and "\nmás opciones:\n" in build
    assert "  --out CARPETA         dónde se guardan los materiales (si no lo indicas:\n" in build


def test_a_usage_error_in_both_languages():
    english = _program("--paper", "a5", lang="C")
    spanish = _program("--paper", "a5", lang="es_PE.UTF-8")
    assert english.returncode == spanish.returncode == 2
    assert english.stderr.splitlines()[-1] == \
        "build.py build: error: argument --paper: invalid choice: 'a5' (choose from 'a4', 'letter')"
    # "error:" stays as it is (editors and tools read it); what follows is translated.
    assert spanish.stderr.splitlines()[-1] == \
        "build.py build: error: argumento --paper: valor no válido: 'a5' (elige entre 'a4', 'letter')"
    assert spanish.stderr.startswith("uso: build.py build [-h] [--out CARPETA]")  # argparse's usage, whole
    missing = _program("plan", "--track", "x", lang="es_PE.UTF-8")
    assert missing.stderr.splitlines()[-1] == "build.py plan: error: faltan estos argumentos: --participants"


def test_choices_do_not_depend_on_capital_letters():
    command, args = parse(["--paper", "A4", "--lang", "ES,En", "--only", "Card,HANDOUT", "--edition", "No-Contacts",
                           "--ui", "ES"])
    assert (command, args.paper, args.lang, args.only, args.edition, args.ui) == \
        ("build", "a4", ["es", "en"], ["card", "handout"], "no-contacts", "es")


def test_a_content_error_in_both_languages(minimal):
    module = minimal / "modules/first-steps/es.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("title: Primeros pasos\n", "title: Primeros pasos 😀\n"),
                      encoding="utf-8")
    where = f"{module}:1: error: "
    english = _program("check", "--content", str(minimal), lang="C")
    spanish = _program("check", "--content", str(minimal), lang="es_PE.UTF-8")
    assert english.returncode == spanish.returncode == 1
    assert [line for line in english.stderr.splitlines() if ": error: " in line] == [
        where + "character U+1F600 (GRINNING FACE) is not in the bundled fonts; it would print as an empty box: "
                "write it another way, or ask for a font that has it"]
    assert [line for line in spanish.stderr.splitlines() if ": error: " in line] == [
        where + "el carácter U+1F600 (GRINNING FACE) no está en las fuentes incluidas; se imprimiría como un "
                "cuadrito vacío: escríbelo de otra forma o pide una fuente que lo tenga"]
    assert english.stderr.splitlines()[-1] == "check: 1 error, 1 warning"  # the English title is stale now
    assert spanish.stderr.splitlines()[-1] == "check: 1 error, 1 aviso"


def test_check_from_another_folder_says_where_it_looked(tmp_path):
    english = _program("check", lang="C", cwd=tmp_path)
    spanish = _program("check", lang="es_PE.UTF-8", cwd=tmp_path)
    assert english.returncode == spanish.returncode == 1
    assert english.stderr.splitlines() == [
        f"content: error: content folder not found: looked in {tmp_path / 'content'} (from the folder this command "
        "runs in); run it in the project's folder, or give the curriculum's folder with --content DIR",
        "check: 1 error, 0 warnings"]
    assert spanish.stderr.splitlines()[0] == (
        f"content: error: no se encuentra la carpeta del contenido: se buscó en {tmp_path / 'content'} (desde la "
        "carpeta donde se ejecuta este comando); ejecútalo en la carpeta del proyecto, o indica la carpeta del "
        "currículo con --content CARPETA")


@pytest.mark.parametrize("lang, why", [("C", "Not a directory"), ("es_PE.UTF-8", "no es una carpeta")])
def test_an_out_folder_that_cannot_be_made_is_one_line_naming_it(minimal, tmp_path, lang, why):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "materiales"
    result = _program("--content", str(minimal), "--out", str(out), "-q", lang=lang)
    assert result.returncode == 1
    assert result.stdout == ""
    expected = {"C": f"{out}: error: cannot make or write the output folder here ({why}): nothing was written; "
                     "choose another with --out",
                "es_PE.UTF-8": f"{out}: error: no se puede crear ni escribir la carpeta de salida aquí ({why}): no "
                               "se guardó nada; elige otra con --out"}[lang]
    assert result.stderr.splitlines() == [expected]


def test_an_out_that_is_a_file_says_so(minimal, tmp_path):
    out = tmp_path / "dist"
    out.write_text("a file where the folder should be", encoding="utf-8")
    result = _program("--content", str(minimal), "--out", str(out), "-q", lang="es_PE.UTF-8")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{out}: error: no se puede crear ni escribir la carpeta de salida aquí (es un archivo, no una carpeta): no se "
        "guardó nada; elige otra con --out"]
    assert out.read_text(encoding="utf-8") == "a file where the folder should be"


# --- the summary ------------------------------------------------------------------------

def _timeless(text: str) -> list[str]:
    """The summary's lines with the seconds it took (which vary) written as T."""
    return re.sub(r"\(\d+[.,]\d s\)", "(T)", text).splitlines()


def test_the_summary_in_plain_words_in_both_languages(minimal, tmp_path):
    english = _program("--content", str(minimal), "--out", str(tmp_path / "en"), "--cache", str(tmp_path / "c1"),
                       "--jobs", "1", "--only", "handout,card", lang="C")
    assert english.returncode == 0, english.stderr
    assert _timeless(english.stdout)[-3:] == [
        "Done: the handout and the pocket card, in Spanish and English.",
        f"10 files, 20 pages (10 made anew), in {tmp_path / 'en'}/ (T).",
        "No warnings."]
    spanish = _program("--content", str(minimal), "--out", str(tmp_path / "es"), "--cache", str(tmp_path / "c1"),
                       "--jobs", "1", "--only", "handout,card", lang="es_PE.UTF-8")
    assert spanish.returncode == 0, spanish.stderr
    assert _timeless(spanish.stdout)[-3:] == [
        "Listo: la hoja para participantes y la tarjeta de bolsillo, en español e inglés.",
        f"10 archivos, 20 páginas (0 hechos de nuevo), en {tmp_path / 'es'}/ (T).",  # all from the cache
        "Sin avisos."]


def test_a_full_build_says_what_to_open_and_what_to_pass_on(minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    # Pages printed: the offline edition's HTML pages are not counted.
    files, pages = len(entries), sum(entry["pages"] for entry in entries if entry["kind"] != "html")
    zips = {name: (out / name).stat().st_size / 1_000_000 for name in ("taller-0.9-en.zip", "taller-0.9-es.zip")}
    english = _program("--content", str(content), "--out", str(out), "--jobs", "1", lang="C")
    assert english.returncode == 0, english.stderr
    lines = _timeless(english.stdout)
    assert lines[-4:] == [
        f"{files} files, {pages} pages (0 made anew), in {out}/ (T).",  # all from the cache
        f"Open {out}/index.html to see them all.",
        "To pass on by USB stick or phone: " + ", ".join(f"{name} ({size:.1f} MB)" for name, size in zips.items()) + ".",
        "No warnings."]
    again = _program("--content", str(content), "--out", str(out), "--jobs", "1", lang="C")
    assert _timeless(again.stdout) == [  # nothing changed: nothing is read or made, no phase starts
        f"Nothing had changed since the last build: the {files} files in {out}/ are up to date (T).", *lines[-3:]]
    spanish = _program("--content", str(content), "--out", str(out), "--jobs", "1", lang="es_PE.UTF-8")
    assert spanish.returncode == 0, spanish.stderr
    lines = _timeless(spanish.stdout)
    first = next(n for n, line in enumerate(lines) if line.startswith("Listo: "))
    made = " ".join(line.strip() for line in lines[first:-4])
    assert made.startswith("Listo: la hoja para participantes, la hoja «Lo que dice la ley», la guía para "
                           "facilitadoras, ")
    for kind in ("el manual para facilitadoras", "la tarjeta de bolsillo", "la agenda", "la constancia"):
        assert f" {kind}," in made or f" {kind} y " in made, kind
    assert made.endswith(", en español e inglés.")
    assert lines[-4:] == [
        f"{files} archivos, {pages} páginas (0 hechos de nuevo), en {out}/ (T).",
        f"Abre {out}/index.html para verlos todos.",
        "Para pasar por memoria USB o por celular: "
        + ", ".join(f"{name} ({size:.1f} MB)".replace(f"({size:.1f}", f"({size:.1f}".replace(".", ","))
                    for name, size in zips.items())
        + ".",
        "Sin avisos."]


def test_quiet_prints_nothing_on_success(minimal, tmp_path):
    result = _program("--content", str(minimal), "--out", str(tmp_path / "out"), "--jobs", "1", "--only", "card",
                      "-q", lang="es_PE.UTF-8")
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert (tmp_path / "out/es/card.pdf").is_file()


# --- progress ---------------------------------------------------------------------------

def test_on_a_pipe_each_phase_is_one_plain_line(minimal, tmp_path):
    out = tmp_path / "out"
    result = _program("--content", str(minimal), "--out", str(out), "--jobs", "1", "--only", "handout,card",
                      "--lang", "es", lang="es_PE.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # stderr is for problems only
    assert result.stdout.splitlines()[:4] == [
        "Leyendo el contenido…", "Preparando 5 documentos…", "Haciendo 5 PDF…", f"Guardando en {out}…"]
    assert "\x1b" not in result.stdout and "\r" not in result.stdout  # no bar, no terminal codes
    assert result.stdout.splitlines()[4].startswith("Listo: ")


def _on_a_terminal(argv: list[str], pause_at: str | None = None) -> tuple[int, str]:
    """Run the program with a pseudo-terminal for stdout and stderr (120 columns), as a
    person at a terminal would; returns the exit code and everything the terminal got.
    With `pause_at`, Ctrl-C reaches the program when it gets to that checkpoint."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**_locale("C.UTF-8"), "TERM": "xterm-256color"}
    env.pop("CI", None)  # CI sets it; a person's terminal does not
    env.pop("NO_COLOR", None)
    pass_fds: tuple[int, ...] = ()
    if pause_at:
        report, pause = os.pipe()
        env.update(TALLER_PAUSE_AT=pause_at, TALLER_PAUSE_FD=str(pause))
        pass_fds = (pause,)
    code = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    process = subprocess.Popen([sys.executable, "-c", code, BUILD, *argv], stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=slave, env=env, cwd=ROOT, start_new_session=True, pass_fds=pass_fds)
    os.close(slave)
    # Read all along, as a terminal does: a full pseudo-terminal would stop the program mid-write.
    received: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, received), daemon=True)
    reader.start()
    try:
        if pause_at:
            os.close(pause)
            with os.fdopen(report) as reports:
                reached = reports.readline()
            assert reached.startswith(pause_at), "the build never got there: " + b"".join(received).decode()
            os.killpg(process.pid, signal.SIGINT)
        code = process.wait(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(timeout=60)
    os.close(master)
    return code, b"".join(received).decode("utf-8", "replace")


def _read_all(master: int, received: list[bytes]) -> None:
    """Everything the program writes to its terminal, until it closes it."""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as exc:  # EIO: the program (and every worker) closed its end
            if exc.errno != errno.EIO:
                raise
            return
        if not chunk:
            return
        received.append(chunk)


def _screens(terminal: str) -> list[str]:
    """Each state the terminal showed, without colours and cursor moves, in order."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal)
    return [part.strip() for part in re.split(r"[\r\n]", plain) if part.strip()]


def test_on_a_terminal_a_progress_bar_moves_before_the_summary(minimal, tmp_path):
    code, terminal = _on_a_terminal(["--content", str(minimal), "--out", str(tmp_path / "out"), "--jobs", "1",
                                     "--only", "handout,card", "--lang", "es"])
    assert code == 0, terminal
    screens = _screens(terminal)
    summary = next(n for n, screen in enumerate(screens) if screen.startswith("Done: "))
    # "Making 5 PDFs… ━━━━╺━━━ 2/5  es/handouts/first-steps.booklet.pdf": documents done of
    # all, and the one being made.
    states = [(screen, match[1]) for screen in screens[:summary]
              if (match := re.search(r"Making 5 PDFs….* (\d)/5\b", screen))]
    assert len({done for _, done in states}) >= 2, screens[:summary]
    assert any(re.search(r" [0-4]/5 .*es/(handouts|card)", screen) for screen, _ in states), states
    assert "Making 5 PDFs…" not in "\n".join(screens[summary:])  # the bar is gone before the summary
    assert "\x1b[?25h" in terminal  # the cursor the bar hid is back


def test_ctrl_c_during_the_bar_rolls_back_and_gives_the_terminal_back(built_copy):
    content, out = built_copy
    page = content / "modules/first-steps/es.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("Bienvenida", "Hola"), encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, terminal = _on_a_terminal(["--content", str(content), "--out", str(out), "--jobs", "2"],
                                    pause_at=checkpoints.RENDERING)
    assert code == 1, terminal
    assert _screens(terminal)[-1] == "interrupted: previous outputs are unchanged"
    assert "Traceback" not in terminal
    assert terminal.rindex("\x1b[?25h") < terminal.rindex("interrupted")  # the bar was closed first
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.fixture
def built_copy(minimal_build, tmp_path) -> tuple[Path, Path]:
    return copy_of(minimal_build, tmp_path / "copy")


# --- the catalog ------------------------------------------------------------------------

_FIELDS = string.Formatter()


def _placeholders(text: str) -> tuple[list[str], list[str]]:
    """The `{name}` fields and the `%(name)s` / `%s` specifiers of a message."""
    braces = sorted(name for _, name, _, _ in _FIELDS.parse(text.replace("%", "")) if name is not None)
    return braces, sorted(re.findall(r"%(?:\([^)]*\))?[sdr]", text))


def test_every_translation_keeps_its_placeholders():
    """A translation that drops or renames `{path}` would print a hole, or stop the program
    with a KeyError; the other engineers append to this catalog too."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            if message.string and _placeholders(message.string) != _placeholders(message.id):
                wrong.append((message.id, message.string))
            continue
        # A counted message: a form may leave the count out ("la tarjeta" for one), never
        # name a field the program does not fill; the plural form keeps all of them.
        singular, plural = (_placeholders(text) for text in message.id)
        for text in (form for form in message.string if form):
            braces, specs = _placeholders(text)
            if not set(braces) <= set(singular[0]) | set(plural[0]) or specs not in (singular[1], plural[1]):
                wrong.append((message.id[0], text))
        if message.string[-1] and _placeholders(message.string[-1]) != plural:
            wrong.append((message.id[1], message.string[-1]))
    assert wrong == []


def test_the_programs_reader_reads_the_catalog_as_babel_does():
    """messages.py reads the PO file itself (no Babel on the no-op path): the same entries."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    ours = messages.read_po(CATALOG.read_text(encoding="utf-8"))
    singular = {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and m.string and not m.fuzzy}
    plurals = {m.id[0]: list(m.string) for m in catalog if isinstance(m.id, tuple) and not m.fuzzy}
    assert ours.singular == singular
    assert ours.plurals == plurals
    assert [ours.plural_form(n) for n in (0, 1, 2)] == [1, 0, 1]
