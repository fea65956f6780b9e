"""Render cache: a PDF is rendered again only when what it depends on changed.

Each entry's bytes are checked against their hash when read (folder.py). The key is a hash of the artifact's HTML (which holds every content block it uses), the
stylesheets and fonts it loads, the render options and the tool's versions: content
hashes, never timestamps. Entries live in the cache folder's `render/`, not in OUT: a
failed build writes nothing into OUT, and OUT is what goes onto USB sticks. Outputs with
participants' names are never cached (personal data).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..render.compact import COMPACTION
from ..render.fonts import bundled_font_files
from ..render.weasy import Rendered
from .folder import CacheFolder


def assets_fingerprint(templates: Path) -> str:
    """Hash of everything a render fetches by URL (stylesheets and bundled fonts), and of
    the tools that make the PDF: WeasyPrint, and pikepdf with our compaction step (a
    PDF cached before a change to either must not be served)."""
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*.css")) + bundled_font_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(f"taller {__version__} weasyprint {metadata.version('weasyprint')} "
                  f"pikepdf {metadata.version('pikepdf')} {COMPACTION}".encode())
    return digest.hexdigest()


class RenderCache:
    """Rendered PDFs by key, stored as files under the cache folder's `render/`."""

    def __init__(self, folder: CacheFolder, assets: str):
        self.folder = folder
        self.root = folder.render
        self.assets = assets

    def key(self, text: str, forms: bool, impose: str | None, fixed_faces: bool, sheet: str) -> str:
        """The entry of a document: its text, how it is rendered, and everything it loads."""
        digest = hashlib.sha256(f"{self.assets}\0{forms}\0{impose}\0{fixed_faces}\0{sheet}\0".encode())
        digest.update(text.encode("utf-8"))
        return digest.hexdigest()

    def get(self, key: str) -> Rendered | None:
        """The entry of `key`; None when there is none or it is damaged (then the cache
        folder lists it in `damaged` and the PDF is rendered again)."""
        meta, pdf = self.folder.read(self.root / f"{key}.json"), self.folder.read(self.root / f"{key}.pdf")
        if meta is None or pdf is None:
            return None
        try:
            meta = json.loads(meta)
            return Rendered(pdf, meta["pages"], meta["overflow"], tuple(tuple(m) for m in meta["messages"]))
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, rendered: Rendered) -> None:
        meta = asdict(rendered)
        del meta["pdf"]
        self.folder.write(self.root / f"{key}.pdf", rendered.pdf)
        self.folder.write(self.root / f"{key}.json", json.dumps(meta).encode("utf-8"))

    def prune(self, keep: set[str]) -> None:
        """Drop entries no output of this build uses, so the cache does not grow forever."""
        self.folder.prune(self.root, {f"{key}{suffix}" for key in keep for suffix in (".pdf", ".json")})
