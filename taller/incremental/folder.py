"""The cache folder and its one owner: every file in it belongs to one of four subfolders,
each with its own pruning rule.

- `render/`: rendered PDFs by content key (`RenderCache`); a build that makes everything
  keeps only the entries it used;
- `stamps/`: one no-op stamp per OUT folder (`BuildStamp`); never pruned by a build into
  another folder (a build into dist/ must not forget the USB stick's stamp);
- `thumbs/`: first-page previews by PDF hash; a build that makes the offline edition of
  every language keeps only those it used;
- `zips/`: the offline edition's zips by member hash; likewise.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..write import atomic_write

# What earlier versions kept loose at the top of the cache folder (one flat folder for all
# four): a build of everything removes them, and nothing else, once.
_EARLIER = re.compile(r"[0-9a-f]{64}\.(pdf|json)|stamp-[0-9a-f]{16}\.json|thumb-[0-9a-f]{64}\.png|zip-[0-9a-f]{64}\.zip")


class CacheFolder:
    """One cache folder (`.taller-cache/` beside the content, or --cache / $TALLER_CACHE)."""

    def __init__(self, root: Path):
        self.root = root
        self.render = root / "render"
        self.stamps = root / "stamps"
        self.thumbs = root / "thumbs"
        self.zips = root / "zips"

    @staticmethod
    def read(path: Path) -> bytes | None:
        """An entry's bytes, or None when it is not there (or not readable)."""
        try:
            return path.read_bytes()
        except OSError:
            return None

    @staticmethod
    def write(path: Path, data: bytes) -> None:
        atomic_write(path, data)

    def drop_earlier_layout(self) -> None:
        """Remove the entries an earlier version left at the top of the folder."""
        if self.root.is_dir():
            for path in self.root.iterdir():
                if path.is_file() and _EARLIER.fullmatch(path.name):
                    path.unlink(missing_ok=True)

    @staticmethod
    def prune(folder: Path, keep: set[str]) -> None:
        """Drop the entries of `folder` whose names are not in `keep`."""
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            # A dot file is another build's write in progress (write.atomic_write): not ours to drop.
            if path.is_file() and path.name not in keep and not path.name.startswith("."):
                path.unlink(missing_ok=True)
