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
    track: str | None = None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and a rename.
    An identical file is left alone, so an unchanged output keeps its date."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
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
           variant: str | None, track: str | None = None) -> OutputRecord:
    """The manifest entry of one output."""
    return OutputRecord(path, lang, kind, module, variant, pages, len(data), hashlib.sha256(data).hexdigest(), track)


def write_manifest(out: Path, records: list[OutputRecord], partial: bool = False) -> None:
    """Write `OUT/manifest.json`, sorted by path so it is the same for the same build.
    After a partial build (--only, --lang) the entries of other outputs still on disk stay."""
    outputs = {r.path: asdict(r) for r in records}
    if partial:
        try:
            previous = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        except (OSError, ValueError, KeyError, TypeError):
            previous = []
        for entry in previous:
            if isinstance(entry, dict) and entry.get("path") not in outputs and (out / str(entry.get("path"))).is_file():
                outputs[entry["path"]] = entry
    outputs = [outputs[path] for path in sorted(outputs)]
    data = json.dumps({"outputs": outputs}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    atomic_write(out / "manifest.json", data)
