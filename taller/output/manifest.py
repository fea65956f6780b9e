"""The manifest: `OUT/manifest.json` lists every output with its language, kind, module,
pages, size and SHA-256 (other tools rely on these fields), and under `files` every other
file a build wrote there (index pages, assets, previews, zips, kept HTML): together, what
the program owns in OUT. A file at one of its output paths that the manifest does not
list is somebody else's, and is not overwritten (pipeline)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..write import atomic_write


@dataclass(frozen=True)
class OutputRecord:
    """One entry of `OUT/manifest.json`."""

    path: str
    lang: str
    kind: str
    module: str | None
    variant: str | None
    pages: int
    bytes: int
    sha256: str
    track: str | None = None
    # Seconds a sound plays (kind `audio`); written only for sounds, so the entries of every
    # other output, and manifests written before it existed, read as they always did.
    duration: float | None = None


def record(path: str, data: bytes, pages: int, lang: str, kind: str, module: str | None,
           variant: str | None, track: str | None = None, duration: float | None = None) -> OutputRecord:
    """The manifest entry of one output."""
    return OutputRecord(path, lang, kind, module, variant, pages, len(data), hashlib.sha256(data).hexdigest(), track,
                        duration)


def _entry(output: OutputRecord) -> dict:
    """An output's entry as the manifest writes it: no `duration` for what is not a sound."""
    entry = asdict(output)
    if entry["duration"] is None:
        del entry["duration"]
    return entry


def previous_entries(out: Path, diags: Diagnostics) -> list[dict]:
    """The entries of the manifest already in OUT whose files are still there; a manifest
    that cannot be read is a warning (its entries are dropped), never a silent loss."""
    path = out / "manifest.json"
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["outputs"]
        if not isinstance(entries, list):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        diags.warning(Location(str(path)), "the previous manifest cannot be read: it lists only this build's outputs now")
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str) and (out / e["path"]).is_file()]


def owned(out: Path) -> set[str] | None:
    """Every path (relative to OUT) the manifest in OUT lists, outputs and other files; None
    when OUT has no manifest this program can read."""
    try:
        saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        outputs = saved["outputs"]
        # Ours only if it has our shape: a web app's manifest.json is common on a stick.
        if not (isinstance(outputs, list) and all(isinstance(e, dict) and {"path", "sha256", "kind"} <= set(e)
                                                  for e in outputs)):
            return None
        if "files" not in saved:
            return _EVERY_PATH  # written by an earlier version, which listed only the outputs
        paths = {"manifest.json"} | {e["path"] for e in outputs} | set(saved["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # A path that would lead out of OUT is nobody's business here (write.recover never follows one).
    return {p for p in paths if isinstance(p, str) and not Path(p).is_absolute() and ".." not in Path(p).parts}


class _EveryPath(frozenset):
    """An OUT made by an earlier version: its manifest did not list the other files it
    wrote, so everything at an output path is taken to be the program's own."""

    def __contains__(self, item) -> bool:
        return True


_EVERY_PATH = _EveryPath()


def write_manifest(out: Path, records: list[OutputRecord], previous: list[dict] = (),
                   files: list[str] = ()) -> None:
    """Write `OUT/manifest.json`, sorted by path so it is the same for the same build.
    `previous`: entries of outputs a partial build (--only, --lang) did not make, still on disk.
    `files`: the other files in OUT that builds wrote (see the module's docstring)."""
    outputs = {entry["path"]: entry for entry in previous}
    outputs.update({r.path: _entry(r) for r in records})
    outputs = [outputs[path] for path in sorted(outputs)]
    others = sorted(set(files) - {o["path"] for o in outputs})
    data = json.dumps({"outputs": outputs, "files": others}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    atomic_write(out / "manifest.json", data)


