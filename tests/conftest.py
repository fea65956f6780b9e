"""Shared helpers: copy a sample curriculum into tmp_path, run the CLI, read PDFs."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from taller.cli import main

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
CONTENT = ROOT / "content"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": error: " in line or ": warning: " in line]


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
def minimal_build(tmp_path_factory) -> Path:
    """tests/roots/minimal built once per session: every kind, both languages. Read only."""
    root = tmp_path_factory.mktemp("minimal-build")
    content = root / "sample"
    shutil.copytree(ROOTS / "minimal", content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    out = root / "out"
    assert main(["--content", str(content), "--out", str(out), "-q"]) == 0
    return out


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined, whitespace collapsed, words hyphenated at line ends rejoined."""
    reader = PdfReader(path)
    pages = (re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_])", "", page.extract_text() or "") for page in reader.pages)
    return " ".join(" ".join(page.split()) for page in pages)


def manifest(out: Path) -> dict[str, dict]:
    """The manifest's outputs by path."""
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry for entry in data["outputs"]}
