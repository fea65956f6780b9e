"""The no-op fast path: when no input of a build changed since the last successful build
into the same folder, nothing is loaded, rendered or written.

Inputs are hashed by content, never by timestamp: the content files a build reads (see
`paths.CONTENT_SUFFIXES`) and the name and type of every other entry of the content folder
(a 600 MB video beside the content, or a link to a private file of the machine, is listed,
never read); templates/, the bundled fonts, the program's own source and the options.
Outputs are checked by their SHA-256, not their size: a damaged output of the same size
is made again. The last build's warnings are kept and shown again, so a no-op build
reports what a full one would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..messages import interface
from ..paths import CONTENT_SUFFIXES, PACKAGE, REVIEWS, TEMPLATES
from ..render.fonts import bundled_font_files
from ..write import atomic_write
from .folder import CacheFolder

if TYPE_CHECKING:
    from ..options import Options


# A content file larger than this is refused by the loader (yamlsrc, orgs): the stamp does
# not read it, only its size and date.
_MAX_INPUT = 8_000_000


def _hash_tree(digest, root: Path) -> None:
    """Every file of one of the program's own folders."""
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")


def _hash_content(digest, root: Path) -> None:
    """The content folder: the bytes of the files a build reads, the name and type of
    everything else. Nothing but a regular file is opened; a link is followed only when it
    leads to a regular file inside the folder (the loader reads those, and refuses the
    others without reading them)."""
    real_root = root.resolve()
    for parent, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files) + [d + "/" for d in dirs]:
            path = os.path.join(parent, name.rstrip("/"))
            info = os.lstat(path)
            rel = os.path.relpath(path, root)
            digest.update(f"{rel}\0{stat.S_IFMT(info.st_mode)}\0".encode("utf-8", "surrogateescape"))
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
                try:
                    target = Path(path).resolve()
                except (OSError, RuntimeError):  # a link loop: the loader says so
                    continue
                if not target.is_relative_to(real_root):
                    continue  # refused by the loader, never read: its name is enough
                try:
                    info = os.stat(target)
                except OSError:
                    continue
                path = str(target)
            if stat.S_ISREG(info.st_mode) and name.endswith(CONTENT_SUFFIXES):
                if info.st_size > _MAX_INPUT:
                    # Refused by the loader if the curriculum uses it: a change shows in its size or date.
                    digest.update(f"{info.st_size}\0{info.st_mtime_ns}\0".encode())
                    continue
                with open(path, "rb") as handle:
                    digest.update(handle.read() + b"\0")


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class BuildStamp:
    """What a build read, as one hash, and where the last build's record lives."""

    value: str
    path: Path  # the last build's summary, under the cache folder's `stamps/`

    @classmethod
    def of(cls, options: Options) -> BuildStamp | None:
        """The stamp of a build; None when the fast path must not apply."""
        if options.participants or options.select is not None or not options.content.is_dir():
            return None  # names are never recorded; watch mode chooses its own outputs
        digest = hashlib.sha256()
        try:
            _hash_content(digest, options.content)
            for root in (TEMPLATES, PACKAGE):
                _hash_tree(digest, root)
            for font in bundled_font_files():
                digest.update(font.name.encode() + b"\0" + font.read_bytes() + b"\0")
        except OSError:
            return None  # a file that cannot be read: the real build says which, with its path
        # The interface language too: the warnings kept for a no-op are in the words of the
        # build that found them, and a no-op in the other language must not replay those.
        settings = [options.langs, options.kinds, options.org, options.edition, options.paper,
                    options.start, options.strict, options.keep_html, options.force, metadata.version("weasyprint"),
                    interface()]
        if (options.content / REVIEWS).exists():  # a legal review falls due with time alone
            settings.append(dt.date.today().isoformat())
        digest.update(json.dumps(settings, default=str).encode())
        out_key = hashlib.sha256(str(options.out.resolve()).encode()).hexdigest()[:16]
        return cls(digest.hexdigest(), CacheFolder(options.cache_dir).stamps / f"{out_key}.json")

    def replay(self, out: Path, diags: Diagnostics) -> dict | None:
        """The last build's summary if nothing changed and its outputs are all still there."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("stamp") != self.value:
            return None
        for path, sha256 in saved["outputs"].items():
            try:
                if _sha256(out / path) != sha256:
                    return None  # changed or damaged since: build again
            except OSError:
                return None
        for level, path, line, message in saved["diagnostics"]:
            diags.add(Diagnostic(level, Location(path, line) if path is not None else None, message))
        return saved

    def save(self, out: Path, paths: list[str], report, diags: Diagnostics) -> None:
        """Remember this successful build."""
        outputs = {p: _sha256(out / p) for p in paths + ["manifest.json"] if (out / p).is_file()}
        summary = {"stamp": self.value, "outputs": outputs, "pages": report.pages, "count": report.outputs,
                   "zips": report.zips,
                   "diagnostics": [(d.level, d.location.path if d.location else None,
                                    d.location.line if d.location else 0, d.message) for d in diags.items]}
        atomic_write(self.path, json.dumps(summary).encode("utf-8"))
