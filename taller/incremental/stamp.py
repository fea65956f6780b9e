"""The no-op fast path: when no input of a build changed since the last successful build
into the same folder, nothing is loaded, rendered or written.

Inputs are hashed by content (every file of the content folder and templates/, the bundled
fonts, the program's own source, the options), never by timestamp. The last build's
warnings are kept and shown again, so a no-op build reports what a full one would.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..paths import PACKAGE, TEMPLATES
from ..render.fonts import font_dir
from ..write import atomic_write
from .folder import CacheFolder

if TYPE_CHECKING:
    from ..options import Options


def _hash_tree(digest, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")


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
            for root in (options.content, TEMPLATES, font_dir(), PACKAGE):
                _hash_tree(digest, root)
        except OSError:
            return None  # a file that cannot be read: the real build says which, with its path
        settings = [options.langs, options.kinds, options.org, options.edition, options.paper,
                    options.start, options.strict, options.keep_html, metadata.version("weasyprint")]
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
        for path, size in saved["outputs"].items():
            try:
                if (out / path).stat().st_size != size:
                    return None
            except OSError:
                return None
        for level, path, line, message in saved["diagnostics"]:
            diags.add(Diagnostic(level, Location(path, line) if path is not None else None, message))
        return saved

    def save(self, out: Path, paths: list[str], report, diags: Diagnostics) -> None:
        """Remember this successful build."""
        outputs = {p: (out / p).stat().st_size for p in paths + ["manifest.json"] if (out / p).is_file()}
        summary = {"stamp": self.value, "outputs": outputs, "pages": report.pages, "count": report.outputs,
                   "zips": report.zips,
                   "diagnostics": [(d.level, d.location.path if d.location else None,
                                    d.location.line if d.location else 0, d.message) for d in diags.items]}
        atomic_write(self.path, json.dumps(summary).encode("utf-8"))
