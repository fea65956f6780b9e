"""Where the program's own files and its cache live.

A module with no imports of weight: the no-op build (incremental/stamp.py) needs these
paths and must not pay for Jinja, Markdown or YAML to learn them.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"
CACHE_DIR = ".taller-cache"
CACHE_ENV = "TALLER_CACHE"  # a cache folder for every build of this process (tests set it)


def cache_root(content: Path) -> Path:
    """The cache folder of a content folder: `$TALLER_CACHE` when set, else beside the
    content folder; never inside OUT, which is what goes onto USB sticks."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).resolve()
    return content.resolve().parent / CACHE_DIR
