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
# The kinds of file the content folder provides to a build: YAML (content/load.py), the
# organisations' SVG logos (content/orgs.py), interface catalogs (language/catalogs.py) and
# members' recordings (content/recordings.py). The no-op stamp reads these and only lists
# the others: a new kind of content file is added here.
CONTENT_SUFFIXES = (".yaml", ".svg", ".po", ".ogg", ".opus", ".m4a", ".wav", ".mp3")
REVIEWS = "legal/reviews.yaml"  # the legal review record (content/reviews.py), in the content folder


def cache_root(content: Path) -> Path:
    """The cache folder of a content folder: `$TALLER_CACHE` when set, else beside the
    content folder; never inside OUT, which is what goes onto USB sticks."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).resolve()
    return content.resolve().parent / CACHE_DIR
