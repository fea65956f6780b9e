"""Where the program's own files and its cache live.

A module with no imports of weight: the no-op build (taller/stamp.py) needs these paths
and must not pay for Jinja, Markdown or YAML to learn them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"
CACHE_DIR = ".taller-cache"


def cache_root(content: Path) -> Path:
    """The cache folder of a content folder: beside it, never inside OUT."""
    return content.resolve().parent / CACHE_DIR
