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

from pathlib import Path

from ..write import atomic_write


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

    @staticmethod
    def prune(folder: Path, keep: set[str]) -> None:
        """Drop the entries of `folder` whose names are not in `keep`."""
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink(missing_ok=True)
