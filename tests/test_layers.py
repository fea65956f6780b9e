"""The package's stages import only downward, and loading content imports no rendering library.

Stages, lowest first: content → language → views → render → incremental → output → kinds;
under them the base modules (diagnostics, paths, checkpoints, messages, write, locks), above them
the commands (cli, options, checking, pipeline, translator, watch). A module may import its
own stage, a lower one, or a base module: never a higher stage or a command.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "taller"
STAGES = ["content", "language", "views", "render", "incremental", "output", "kinds"]
BASE = {"diagnostics", "paths", "checkpoints", "messages", "write", "locks", "__init__"}


def _rank(module: str) -> int:
    """-1 for a base module, the stage's place, or len(STAGES) for a command."""
    first = module.split(".")[0]
    if not (PACKAGE / first).is_dir() and not (PACKAGE / f"{first}.py").is_file():
        return -1  # a name of taller/__init__.py (`from .. import __version__`)
    if first in BASE:
        return -1
    return STAGES.index(first) if first in STAGES else len(STAGES)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module under taller/) of every `from . import` and `import taller.…` in `path`."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports for type hints only (`if TYPE_CHECKING:`) are not dependencies at run time.
    hints = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
             for n in ast.walk(block)}
    found = []
    for node in (n for n in ast.walk(tree) if id(n) not in hints):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            names = [".".join((*base, node.module))] if node.module else [".".join((*base, a.name)) for a in node.names]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("taller."):
            found.append((node.lineno, node.module.removeprefix("taller.")))
    return found


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        mine = _rank(module)
        for line, imported in _imports(path):
            theirs = _rank(imported)
            if mine < len(STAGES) and theirs > mine:
                problems.append(f"taller/{path.relative_to(PACKAGE)}:{line}: {module} imports {imported}, a later stage")
    return problems


def test_no_stage_imports_a_later_stage():
    assert _violations() == []


def test_the_layer_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself: a content module importing the renderer is caught."""
    fake = tmp_path / "taller"
    (fake / "content").mkdir(parents=True)
    (fake / "render").mkdir()
    (fake / "content" / "bad.py").write_text("from ..render.html import Renderer\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _violations() == ["taller/content/bad.py:1: content.bad imports render.html, a later stage"]


@pytest.mark.parametrize("module", ["taller.content.load", "taller.content.validate", "taller.checking"])
def test_loading_content_imports_no_rendering_library(module):
    code = (f"import sys, {module}; heavy = ('jinja2', 'weasyprint', 'babel', 'markdown_it', 'pypdf');"
            " print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = eval(result.stdout)  # noqa: S307 - a list of module names printed just above
    if module == "taller.checking":  # the checks of translations need Babel's catalogs, nothing more
        loaded = [m for m in loaded if not m.startswith("babel")]
    assert loaded == []
