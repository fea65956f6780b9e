"""Shared helpers: copy a sample curriculum into tmp_path, run the CLI, read PDFs."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pypdf import PdfReader

from taller.cli import main
from taller.paths import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
CONTENT = ROOT / "content"

# The fuzz test's profiles (tests/test_fuzz.py). CI: few examples, the same ones every run
# (a fuzz test that fails at random is a flaky test), no deadline (a build that passes check
# renders PDFs), no example database, no health check a loaded machine could fail at random.
# `--hypothesis-profile=fuzz` runs many more; pytest reads that option before it imports the
# test modules, so the profiles live here.
settings.register_profile("fuzz-ci", max_examples=40, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=int(os.environ.get("TALLER_FUZZ_EXAMPLES") or 500), deadline=None,
                          derandomize=False, database=None, suppress_health_check=[HealthCheck.too_slow])

# Each test's curriculum is a copy in its own folder, with its own cache beside it: a cache
# folder set for the whole shell must not make tests share rendered PDFs by accident.
os.environ.pop(CACHE_ENV, None)
# The interface speaks the locale's language: every test runs in English (LANGUAGE comes
# first in gettext's order, for in-process runs and subprocesses alike) unless it asks for
# Spanish itself (tests/test_interface.py).
os.environ["LANGUAGE"] = "en"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """Every diagnostic printed, with a location (`path:line: error: …`) or without one
        (`warning: …`, about the machine or a whole output)."""
        return [line for line in self.err.splitlines()
                if re.match(r"(error|warning): ", line) or ": error: " in line or ": warning: " in line]


@pytest.fixture
def run(capsys, monkeypatch):
    """Run `build.py` with arguments, from a given folder; returns exit code and output."""

    def _run(*argv: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture
def sample(tmp_path):
    """Copy `tests/roots/<name>` to tmp_path/<name>, with the real interface catalogs."""

    def _sample(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / name, target)
        shutil.copytree(CONTENT / "locales", target / "locales")
        return target

    return _sample


@pytest.fixture(scope="session")
def builds(tmp_path_factory):
    """`builds(root, *options)`: the sample `tests/roots/<root>` built with `options`, once
    per test session whoever asks (Sphinx-style shared roots); each its own copy and its
    own cache. The outputs are shared: read them, never change them."""
    made: dict[tuple[str, ...], Path] = {}

    def _builds(root: str = "minimal", *options: str) -> Path:
        key = (root, *options)
        if key not in made:
            folder = tmp_path_factory.mktemp(f"build-{root}")
            content = folder / "sample"
            shutil.copytree(ROOTS / root, content)
            shutil.copytree(CONTENT / "locales", content / "locales")
            out = folder / "out"
            assert main(["--content", str(content), "--out", str(out), "-q", *options]) == 0
            made[key] = out
        return made[key]

    return _builds


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a content file (which must hold it) by `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def copy_of(out: Path, target: Path) -> tuple[Path, Path]:
    """A shared build (from `builds`) copied whole, content, cache and outputs, for a test
    that goes on from it: returns the copy's content folder and OUT."""
    shutil.copytree(out.parent, target, symlinks=True)
    return target / "sample", target / "out"


@pytest.fixture(scope="session")
def minimal_build(builds) -> Path:
    """tests/roots/minimal, every kind, both languages, two workers. Read only."""
    return builds("minimal", "--jobs", "2")


def pdf_text(path: Path) -> str:
    """All text of a PDF as a reader's text layer gives it (PDFium, the engine of Chrome's
    viewer): pages joined, whitespace collapsed, words hyphenated at line ends rejoined."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    # PDFium marks a hyphen that breaks a word at the end of a line as U+FFFE.
    pages = (re.sub(r"(?<=[^\W\d_])-\r?\n(?=[^\W\d_])", "", page.replace("\ufffe", "")) for page in pages)
    return " ".join(" ".join(page.split()) for page in pages)


def manifest(out: Path) -> dict[str, dict]:
    """The manifest's outputs by path."""
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry for entry in data["outputs"]}


def _fonts(resources) -> list:
    """Font references of a page's resources, including those of the forms it draws
    (a booklet or card sheet draws each rendered page as a form XObject)."""
    found = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources", {}).get_object())
    return found


def embedded_families(path: Path) -> set[str]:
    """The font families a PDF embeds, on its pages and inside the forms they draw; each
    font must be embedded (a font file), never only named for the reader's machine to supply."""
    embedded = set()
    for page in PdfReader(path).pages:
        for ref in _fonts(page.get("/Resources", {})):
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            # WeasyPrint names a font "Family-Name-Bold": drop the style, join the words.
            embedded.add(re.sub(r"(-(Bold|Italic|BoldItalic|Regular))+$", "", name).replace("-", ""))
            descendant = font.get("/DescendantFonts")
            if descendant:
                assert "/FontFile2" in descendant[0].get_object()["/FontDescriptor"].get_object(), (path, name)
    return embedded


def bundled() -> set[str]:
    """The bundled families, written as `embedded_families` writes them."""
    from taller.render.fonts import bundled_families

    return {family.replace(" ", "") for family in bundled_families()}


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skipped where it is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def edition_pages(site: Path) -> list[Path]:
    """Every HTML page of an offline edition in OUT: indexes, search, the pages of each language."""
    return sorted(site.glob("*.html")) + sorted(site.rglob("html/**/*.html"))
