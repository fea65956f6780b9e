"""Write: outputs go to a temporary file first and are renamed into place.

A failed or interrupted build so never leaves a half-written file and never destroys the
previous good one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputRecord:
    """One entry of `OUT/manifest.json` (DESIGN.md fixes these fields)."""

    path: str
    lang: str
    kind: str
    module: str | None
    variant: str | None
    pages: int
    bytes: int
    sha256: str


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record(path: str, data: bytes, pages: int, lang: str, kind: str, module: str | None,
           variant: str | None) -> OutputRecord:
    """The manifest entry of one output."""
    return OutputRecord(path, lang, kind, module, variant, pages, len(data), hashlib.sha256(data).hexdigest())


def write_manifest(out: Path, records: list[OutputRecord]) -> None:
    """Write `OUT/manifest.json`, sorted by path so it is the same for the same build."""
    outputs = [asdict(r) for r in sorted(records, key=lambda r: r.path)]
    data = json.dumps({"outputs": outputs}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    atomic_write(out / "manifest.json", data)
