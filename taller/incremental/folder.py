"""The cache folder and its one owner: every file in it belongs to one of five subfolders,
each with its own pruning rule.

- `render/`: rendered PDFs by content key (`RenderCache`); a build that makes everything
  keeps only the entries it used;
- `stamps/`: one no-op stamp per OUT folder (`BuildStamp`); never pruned by a build into
  another folder (a build into dist/ must not forget the USB stick's stamp);
- `thumbs/`: first-page previews by PDF hash; a build that makes the offline edition of
  every language keeps only those it used;
- `zips/`: the offline edition's zips by member hash; likewise;
- `pages/`: pictures of PDF pages (the share images, `Kind.files`) by the PDF's hash and
  how they are drawn; a build that makes every kind in every language keeps only those it used.

Every entry carries the SHA-256 of its bytes and is checked each time it is read: an entry
damaged on disk (same size or not) is dropped, reported and made again, never copied into
OUT. Only the build holding the folder's lock (locks.py) writes here, and it first sweeps
away what a killed build left half-written.
"""

from __future__ import annotations

import errno
import hashlib
import re
from pathlib import Path

from ..paths import CACHE_DIR
from ..write import atomic_write, sweep

# What earlier versions kept loose at the top of the cache folder (one flat folder for all
# four): a build of everything removes them, and nothing else, once.
_EARLIER = re.compile(r"[0-9a-f]{64}\.(pdf|json)|stamp-[0-9a-f]{16}\.json|thumb-[0-9a-f]{64}\.png|zip-[0-9a-f]{64}\.zip")


# An entry: this line, the SHA-256 of the data, the data. A file without it is an entry of
# an earlier version: not an error, just not used.
_MAGIC = b"taller-cache-entry-1\n"
_DIGEST = 32


TAG_NAME = "CACHEDIR.TAG"
TAG_SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"  # the Cache Directory Tagging standard


class NotACacheFolder(Exception):
    """--cache names a folder with other files in it, not a cache folder of this program."""


class CacheFull(Exception):
    """The disk of the cache folder is full (or over quota)."""


class CacheFolder:
    """One cache folder (`.taller-cache/` beside the content, or --cache / $TALLER_CACHE)."""

    def __init__(self, root: Path):
        self.root = root
        self.render = root / "render"
        self.stamps = root / "stamps"
        self.thumbs = root / "thumbs"
        self.zips = root / "zips"
        self.pages = root / "pages"
        self.damaged: list[Path] = []  # entries found damaged (and dropped) by this build

    def read(self, path: Path) -> bytes | None:
        """An entry's bytes; None when it is not there, not readable or damaged."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if not raw.startswith(_MAGIC):
            return None
        digest, data = raw[len(_MAGIC):len(_MAGIC) + _DIGEST], raw[len(_MAGIC) + _DIGEST:]
        if hashlib.sha256(data).digest() != digest:
            self.damaged.append(path)
            path.unlink(missing_ok=True)
            return None
        return data

    def write(self, path: Path, data: bytes) -> None:
        """Store an entry; raises `CacheFull` when the disk has no room for it."""
        try:
            atomic_write(path, _MAGIC + hashlib.sha256(data).digest() + data)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise CacheFull(str(self.root)) from None
            raise

    def sweep(self) -> None:
        """Remove what a killed build left half-written (its temporary files), in the
        folder's top and its five subfolders, nowhere else."""
        for folder in (self.root, self.render, self.stamps, self.thumbs, self.zips, self.pages):
            sweep(folder)

    def claim(self) -> None:
        """Make sure the folder is a cache folder of this program before anything in it is
        written, pruned or swept: `--cache ~` must never cost a person their files. A new
        or empty folder, or one named `.taller-cache` (earlier versions made those), gets
        the standard `CACHEDIR.TAG` (which also keeps backup tools out); any other folder
        with files in it is refused."""
        tag = self.root / TAG_NAME
        try:
            if tag.read_bytes().startswith(TAG_SIGNATURE):
                return
        except OSError:
            pass
        if self.root.exists():
            if not self.root.is_dir():
                raise NotACacheFolder(f"{self.root}: not a folder")
            if any(self.root.iterdir()) and self.root.name != CACHE_DIR:
                raise NotACacheFolder(str(self.root))
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write(tag, TAG_SIGNATURE + b"\n# The cache folder of taller (build.py): its files can be made again.\n")

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
            # Dot files are temporary files (and the lock): `sweep` is theirs.
            if path.is_file() and path.name not in keep and not path.name.startswith("."):
                path.unlink(missing_ok=True)
