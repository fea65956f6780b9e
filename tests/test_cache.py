"""The render cache serves a PDF again only while everything it was made from is unchanged:
its HTML (so the content and the templates), the stylesheets and the fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, pdf_text
from taller.incremental import cache
from taller.render import fonts


def _program_copy(tmp_path: Path) -> Path:
    """The program and its templates in a folder of the test's own, so a test may edit them."""
    copy = tmp_path / "program"
    shutil.copytree(ROOT / "taller", copy / "taller", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copy2(ROOT / "build.py", copy / "build.py")
    return copy


def _rendered(program: Path, content: Path, out: Path) -> int:
    """The outputs a build rendered (not served from the cache), from its summary line."""
    result = subprocess.run([sys.executable, str(program / "build.py"), "--content", str(content), "--out", str(out),
                             "--jobs", "2", "--only", "handout,card", "--lang", "es"],
                            capture_output=True, text=True, cwd=program, check=False)
    assert result.returncode == 0, result.stderr
    if result.stdout.startswith("Nothing had changed since the last build: "):
        return 0  # a no-op: not even loaded
    return int(re.search(r"\((\d+) made anew\)", result.stdout)[1])


def test_an_edited_template_or_stylesheet_renders_again(sample, tmp_path):
    program, content, out = _program_copy(tmp_path), sample(), tmp_path / "out"
    assert _rendered(program, content, out) == 5  # the handout's three forms, the card's two
    template = program / "templates/handout.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("{% block body %}", "{% block body %}<p>Nuevo.</p>", 1),
                        encoding="utf-8")
    assert _rendered(program, content, out) == 3  # only the handouts use that template
    assert "Nuevo." in pdf_text(out / "es/handouts/first-steps.pdf")
    css = program / "templates/css/print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 0.01em; }\n", encoding="utf-8")
    assert _rendered(program, content, out) == 5  # every document loads print.css
    assert _rendered(program, content, out) == 0  # and then it is all in the cache


def test_a_changed_font_file_changes_every_key(tmp_path, monkeypatch):
    """The bundled fonts come from a pinned package: a new version of it must not be served
    the PDFs made with the old one (the fonts are embedded in them)."""
    copy = tmp_path / "fonts"
    shutil.copytree(fonts.font_dir(), copy)
    monkeypatch.setattr(cache, "bundled_font_files", lambda: sorted(copy.glob("*.ttf")))
    before = cache.assets_fingerprint(ROOT / "templates")
    font = sorted(copy.glob("*.ttf"))[0]
    font.write_bytes(font.read_bytes() + b"\0")
    assert cache.assets_fingerprint(ROOT / "templates") != before
