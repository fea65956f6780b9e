"""Fuzzed: damaged copies of the sample curricula either build or fail cleanly.

Content travels on USB sticks and phones and is edited by hand in whatever editor is at
hand, so any file may arrive with a line lost, doubled or shifted, with stray bytes or
unusual Unicode, with a value of the wrong type, or cut short. Hypothesis takes
`tests/roots/minimal` or `tests/roots/three-languages` (with the real interface catalogs
and an organisation logo), applies one to three such mutations to any of its files and
runs `check` on the copy; when check fails it also runs `build` into an OUT that already
holds a previous build's file. Every outcome must be one of:

- exit 0 and no error;
- exit 1, at least one error, and every line on stderr a diagnostic (`path:line: error: …`,
  `path: error: …`, `warning: …`) or the check's summary line.

Never a traceback, an "unexpected failure", an exit code other than 0 or 1, a raw control
character on the terminal, a line number past the end of the file it names, a hang, a
check that writes something, a build that passes a content check failed, or a failed
build that changed OUT.

The CLI runs in this process (a subprocess would cost a second per example in imports),
with an alarm against a hang (see `cli`).

    .venv/bin/python -m pytest -q tests/test_fuzz.py             # 40 examples, the same every run
    TALLER_FUZZ_EXAMPLES=1000 .venv/bin/python -m pytest -q tests/test_fuzz.py   # deep, random

The deep run draws new examples each time and also builds the copies that pass check
(rendering every PDF, seconds each). `--hypothesis-profile=fuzz` selects the same deep run
(its default 500 examples) once the profiles below are registered before pytest reads its
options, i.e. from tests/conftest.py. No run keeps an example database: nothing is written
into the repository.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import io
import os
import re
import shutil
import signal
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import CONTENT, ROOTS
from taller.cli import main

SAMPLES = ("minimal", "three-languages")

# --- profiles ---------------------------------------------------------------------------------

# CI: few examples, the same ones every run (a fuzz test that fails at random is a flaky
# test), no deadline (a build that passes check renders PDFs), no example database, and no
# health check that a loaded machine could fail at random.
# (registered in conftest.py: pytest reads --hypothesis-profile before it imports this module)
# Even without a database Hypothesis caches what it reads from local source files in
# `.hypothesis/` of the working folder, i.e. the repository: keep it in a folder of its own.
_HOME = tempfile.mkdtemp(prefix="taller-hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
set_hypothesis_home_dir(_HOME)
DEEP = bool(os.environ.get("TALLER_FUZZ_EXAMPLES")) or settings.get_current_profile_name() == "fuzz"

CHECK_TIMEOUT = 60  # seconds; check takes well under one on the samples
BUILD_TIMEOUT = 300  # a build that passes check renders every PDF: seconds, more on a busy machine

# --- the copies -----------------------------------------------------------------------------

LOGO = "orgs/test-org.svg"


def prepare(sample: str, target: Path) -> None:
    """`tests/roots/<sample>` at `target`, with the real catalogs (as the `sample` fixture
    does) and the logo of an example profile, so the logo file is read and can be damaged."""
    shutil.copytree(ROOTS / sample, target)
    shutil.copytree(CONTENT / "locales", target / "locales")
    shutil.copy(CONTENT / "orgs" / "ejemplo-cusco.svg", target / LOGO)
    profile = target / "orgs" / "test-org.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "logo: test-org.svg\n", encoding="utf-8")


def _files(sample: str) -> list[str]:
    """Every file of a prepared copy that a mutation may damage, relative to the copy."""
    files = [p.relative_to(ROOTS / sample).as_posix() for p in (ROOTS / sample).rglob("*") if p.is_file()]
    catalogs = [p.relative_to(CONTENT).as_posix() for p in (CONTENT / "locales").rglob("*.po")]
    return sorted([*files, *catalogs, LOGO])


def _category(file: str) -> str:
    """Which kind of file: each kind is drawn as often as the others, so the one catalog and
    the one logo are damaged as often as the dozens of text files."""
    if file.endswith(".translated.yaml"):
        return "translation records"
    if re.search(r"/[a-z]{2,3}\.yaml$", file):
        return "texts"
    return {".po": "catalog", ".svg": "logo"}.get(Path(file).suffix) or ("org" if file.startswith("orgs/") else "structure")


FILES = {sample: {} for sample in SAMPLES}
for _sample in SAMPLES:
    for _file in _files(_sample):
        FILES[_sample].setdefault(_category(_file), []).append(_file)

# --- mutations ------------------------------------------------------------------------------

# A scalar value after `key:` or `- `, the place a value of another type can go.
_SCALAR = re.compile(rb"^(?P<head>[ \t]*(?:- )?(?:[^\s:#'\"-][^:#\n]*:[ \t]+|- ))(?P<value>[^\s\[{|>&*!#].*?)[ \t]*$")

# Values of other types; a leading newline means a block one level below the key.
TYPE_SWAPS = (
    b'"a string"', b"''", b"[one, two]", b"[]", b"{key: value}", b"{}", b"42", b"0", b"-3.5", b"1e400",
    b"99999999999999999999999999", b"0x1F", b".nan", b"true", b"no", b"null", b"~", b"2026-01-15",
    b"2026-02-30", b"2026-01-15T09:00:00", b"09:00", b"\n- one\n- two", b"\n- {key: value}", b"\n key: value",
    b"|\n  block text", b"!!binary aGVsbG8=", b"!!python/object:os.system echo", b"&anchor x", b"*anchor",
    rb'"\e[2J\u202e\0"',  # a string with YAML escapes: raw control characters once read
)

INDENTS = (b"", b" ", b"  ", b"   ", b"    ", b"      ", b"\t", b"  \t", b"\xc2\xa0 ")

# Unicode that has broken text tools before: controls, NUL, line and paragraph separators,
# combining marks, bidirectional marks and overrides, zero-width characters, the BOM and
# non-characters, the modifier apostrophe of Aymara and Quechua (U+02BC), emoji sequences,
# astral and private-use characters; and what means something to YAML, Jinja, HTML or markdown.
SPECIAL_TEXT = (
    "\x00", "\x07", "\x1b[31m", "\r", "\r\n", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\u2029",
    "\u0301", "e\u0301", "\u0336", "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\u061c",
    "\ufeff", "\ufffd", "\ufffe", "\uffff", "\u02bc", "ch\u02bcaski", "😀", "👩🏽‍⚖️", "🇵🇪", "𝕏", "\U0010ffff",
    "\ue000", "ñ", "İ", "ß", "ﬃ", "ǅ", "\u3000", "\u00a0",
    ":", ": ", "#", " #", "- ", "? ", "&a ", "*a", "!!str ", "'", '"', "{", "}", "[", "]", "|", ">",
    "%", "@", "`", ",", "\\", "\t", "\n", "\n\n", "---\n", "...\n", "<<: *a\n",
    "{{", "}}", "{%", "%}", "{#", "<script>", "</p>", "<!--", "&amp;", "**", "_", "](", "[x](javascript:x)",
    "msgid ", "msgstr ", "%s", "%(name)s", "{0}", "<svg>", "<image href='file:///etc/passwd'/>",
)

SPECIAL_BYTES = (
    b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80", b"\xc0\xaf",
    b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\r", b"\x1a",
)

OPS = ("delete-line", "duplicate-line", "reindent-line", "insert-bytes", "insert-unicode", "swap-type", "truncate")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")):]


@dataclass(frozen=True)
class Mutation:
    """One damage to one file; `at` picks the line or byte, modulo the file's size, so every
    mutation applies to every file and a falsifying example reads as a reproducer."""

    file: str
    op: str
    at: int
    payload: bytes = b""

    def __repr__(self) -> str:
        return f"Mutation({self.file!r}, {self.op!r}, at={self.at}, payload={self.payload!r})"

    def apply(self, data: bytes) -> bytes:
        lines = _lines(data)
        i = self.at % len(lines)
        if self.op == "delete-line":
            return b"".join(lines[:i] + lines[i + 1:])
        if self.op == "duplicate-line":
            return b"".join(lines[:i + 1] + lines[i:])
        if self.op == "reindent-line":
            lines[i] = self.payload + lines[i].lstrip(b" \t")
            return b"".join(lines)
        if self.op == "swap-type":
            return self._swap(lines)
        pos = self.at % (len(data) + 1)
        if self.op == "insert-unicode":  # on a character boundary: the bytes stay UTF-8
            while pos < len(data) and data[pos] & 0xC0 == 0x80:
                pos += 1
        if self.op in ("insert-bytes", "insert-unicode"):
            return data[:pos] + self.payload + data[pos:]
        if self.op == "truncate":
            return data[:pos]
        raise AssertionError(self.op)

    def _swap(self, lines: list[bytes]) -> bytes:
        """The value of the `at`-th scalar (modulo their number) replaced by `payload`."""
        candidates = [n for n, line in enumerate(lines) if _SCALAR.match(line.rstrip(b"\r\n"))]
        if not candidates:
            return b"".join(lines)
        n = candidates[self.at % len(candidates)]
        line = lines[n]
        head = _SCALAR.match(line.rstrip(b"\r\n"))["head"]
        if self.payload.startswith(b"\n"):  # a block: its lines one level deeper than the key
            indent = b" " * (len(head) - len(head.lstrip(b" \t-")) + 2)
            value = b"".join(b"\n" + indent + part for part in self.payload[1:].split(b"\n"))
            lines[n] = head.rstrip(b" \t") + value + (_ending(line) or b"\n")
        else:
            lines[n] = head + self.payload + _ending(line)
        return b"".join(lines)


_text = st.lists(st.one_of(st.sampled_from(SPECIAL_TEXT), st.characters(exclude_categories=["Cs"])),
                 min_size=1, max_size=6).map(lambda parts: "".join(parts).encode("utf-8"))
_bytes = st.one_of(st.sampled_from(SPECIAL_BYTES), st.binary(min_size=1, max_size=8))
_payloads = {
    "delete-line": st.just(b""), "duplicate-line": st.just(b""), "truncate": st.just(b""),
    "reindent-line": st.sampled_from(INDENTS), "insert-bytes": _bytes, "insert-unicode": _text,
    "swap-type": st.sampled_from(TYPE_SWAPS),
}


@st.composite
def damaged(draw) -> tuple[str, list[Mutation]]:
    """A sample's name and one to three mutations of its files."""
    sample = draw(st.sampled_from(SAMPLES))
    mutations = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(OPS))
        files = FILES[sample][draw(st.sampled_from(sorted(FILES[sample])))]
        mutations.append(Mutation(draw(st.sampled_from(files)), op, draw(st.integers(0, 10_000)), draw(_payloads[op])))
    return sample, mutations


def damage(copy: Path, mutations: list[Mutation]) -> None:
    for mutation in mutations:
        path = copy / mutation.file
        path.write_bytes(mutation.apply(path.read_bytes()))


# --- running and judging ----------------------------------------------------------------------

# `path:line: level: message`, `path: level: message` or `level: message`.
DIAGNOSTIC = re.compile(r"(?:(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: )?(?P<level>error|warning|note): (?P<message>\S.*)")
SUMMARY = re.compile(r"check: \d+ errors?, \d+ warnings?")
# A control character (C0, DEL, C1) or a bidi override/isolate that reached the terminal raw;
# diagnostics.py escapes each of them.
RAW_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Outcome:
    command: list[str]
    code: int | None  # None: it did not finish in time
    out: str
    err: str


class Hang(BaseException):
    """Raised by the alarm; not an Exception, so the CLI's own handler cannot swallow it."""


def _alarm(signum, frame):
    raise Hang


def cli(folder: Path, *argv: str, timeout: int) -> Outcome:
    """`build.py ARGV --content sample` run in this process from `folder`, so paths print as
    `sample/…`. An alarm stops a run that hangs in Python; a hang inside C code (libyaml, a
    regular expression) never returns to Python, so faulthandler's own thread, which needs
    no interpreter lock, then prints where every thread is and ends the test run."""
    command = [*argv, "--content", "sample"]
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    faulthandler.dump_traceback_later(timeout + 30, exit=True)
    try:
        with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(command)
    except Hang:
        code = None
    except BaseException:  # what would reach the terminal as a traceback  # noqa: BLE001
        err.write(traceback.format_exc())
        code = -1
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
    return Outcome(command, code, out.getvalue(), err.getvalue())


def _line_count(path: Path) -> int:
    """The most lines any reader counts in the file (YAML also breaks lines at CR, NEL, U+2028...)."""
    data = path.read_bytes()
    return max(data.count(b"\n"), len(data.decode("utf-8", "replace").splitlines())) + 1


def problems(outcome: Outcome, folder: Path) -> list[str]:
    """Every way `outcome` breaks the rules of the command line; [] when it keeps them."""
    name = " ".join(outcome.command)
    if outcome.code is None:
        return [f"{name}: hang: no exit within the timeout"]
    found = []
    both = outcome.out + outcome.err
    if "Traceback" in both:
        found.append(f"{name}: a traceback")
    if "unexpected failure" in both:
        found.append(f"{name}: an unexpected failure")
    if outcome.code not in (0, 1):
        found.append(f"{name}: exit code {outcome.code}")
    errors = 0
    # Lines as a terminal breaks them (at "\n" only), not as str.splitlines() would.
    for line in outcome.err.removesuffix("\n").split("\n") if outcome.err else []:
        match = DIAGNOSTIC.fullmatch(line)
        if RAW_CONTROL.search(line):
            found.append(f"{name}: a raw control character on stderr: {line!r}")
        if match is None:
            if not SUMMARY.fullmatch(line):
                found.append(f"{name}: not a diagnostic: {line!r}")
            continue
        errors += match["level"] == "error"
        path = folder / match["path"] if match["path"] else None
        if match["line"] and path is not None and path.is_file():
            if not 1 <= int(match["line"]) <= _line_count(path):
                found.append(f"{name}: line {match['line']} is not a line of {match['path']}: {line!r}")
    if outcome.code == 1 and not errors:
        found.append(f"{name}: exit 1 without an error")
    if outcome.code == 0 and errors:
        found.append(f"{name}: exit 0 with {errors} errors")
    return found


def _listing(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder`, with each file's bytes."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


SENTINEL = b"a file of the previous build\n"


def fuzz_once(folder: Path, sample: str, mutations: list[Mutation], build_always: bool) -> list[str]:
    """Damage a copy of `sample` in `folder`, check it and (when check fails, or always) build it;
    returns every broken rule."""
    content = folder / "sample"
    prepare(sample, content)
    damage(content, mutations)
    out = folder / "out"
    out.mkdir()
    (out / "previous.pdf").write_bytes(SENTINEL)
    before = _listing(folder)
    ran = [cli(folder, "check", timeout=CHECK_TIMEOUT)]
    found = problems(ran[0], folder)
    if _listing(folder) != before:
        found.append("check wrote into the folder (check writes nothing)")
    if ran[0].code == 1 or build_always:
        ran.append(cli(folder, "build", "--out", "out", "--jobs", "1", timeout=BUILD_TIMEOUT))
        found += _build_problems(ran[0], ran[1], folder)
    if found:
        found += [f"--- {' '.join(o.command)}: exit {o.code}\nstdout:\n{o.out}stderr:\n{o.err}" for o in ran]
    return found


def _build_problems(checked: Outcome, built: Outcome, folder: Path) -> list[str]:
    found = problems(built, folder)
    if checked.code == 1 and built.code == 0:
        found.append("build succeeded where check failed")
    if built.code != 0:
        if _listing(folder / "out") != {"previous.pdf": SENTINEL}:
            found.append(f"a failed build changed OUT: {sorted(_listing(folder / 'out'))}")
        beside = {p.name for p in folder.iterdir()} - {"out", "sample", ".taller-cache"}
        if beside:
            found.append(f"a failed build left files beside OUT: {sorted(beside)}")
    return found


def test_undamaged_samples_pass(tmp_path):
    """The starting point of every mutation is content that passes check, logo included."""
    for sample in SAMPLES:
        folder = tmp_path / sample
        folder.mkdir()
        prepare(sample, folder / "sample")
        checked = cli(folder, "check", timeout=CHECK_TIMEOUT)
        assert (checked.code, problems(checked, folder)) == (0, []), checked.err
        assert checked.err.endswith("\ncheck: 0 errors, 0 warnings\n" if sample == "three-languages" else
                                    "check: 0 errors, 0 warnings\n"), checked.err


# A module named with YAML escapes: the error quotes an ESC sequence and a bidi override,
# which must reach the terminal escaped (random examples rarely land on such a value).
@example(("minimal", [Mutation("curriculum/curriculum.yaml", "swap-type", at=4, payload=rb'"\e[2J\u202e\0"')]))
@settings(settings.get_profile("fuzz" if DEEP else "fuzz-ci"))
@given(damaged())
def test_damaged_content_builds_or_fails_cleanly(case):
    sample, mutations = case
    with tempfile.TemporaryDirectory(prefix="taller-fuzz-") as folder:
        found = fuzz_once(Path(folder), sample, mutations, build_always=DEEP)
    assert not found, "\n".join(found)
