"""`build.py watch`: rebuild on save, keeping WeasyPrint warm in this process.

Only what an edit can affect is re-rendered: an edit inside `modules/<id>/` touches that
module's handouts and guides, the manual, and the workshop packs of tracks teaching it;
any other edit (glossary, legal facts, templates) may touch everything, and the render
cache still skips every PDF whose HTML did not change.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from .artifacts import Artifact
from .diagnostics import Diagnostics
from .pipeline import Options, build
from .render import TEMPLATES
from . import yamlsrc


def affected(changed: set[Path], content: Path, cur_tracks: dict[str, set[str]]):
    """A predicate for the artifacts the changed files can affect (None: all of them)."""
    modules = set()
    root = content.resolve()
    for path in changed:
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            return None  # templates or CSS: anything may change
        if len(parts) < 3 or parts[0] != "modules":
            return None
        modules.add(parts[1])
    tracks = {t for t, mods in cur_tracks.items() if mods & modules}

    def select(artifact: Artifact) -> bool:
        return artifact.module in modules or artifact.track in tracks or artifact.kind.name == "book"

    return select


def watch(options: Options, quiet: bool = False) -> int:
    """Build once, then rebuild what each save affects until Ctrl-C."""
    from watchfiles import watch as watch_files

    yamlsrc.enable_memo()  # unchanged files are not parsed again
    options = replace(options, jobs=1)  # one warm in-process worker beats starting a pool
    _rebuild(options, None, quiet)
    tracks: dict[str, set[str]] = {}
    print(f"watching {options.content_display} and templates/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        for changes in watch_files(options.content, TEMPLATES, debounce=50, step=10):
            changed = {Path(path) for _, path in changes if not Path(path).name.startswith(".")}
            if not changed:
                continue
            tracks = tracks or _track_modules(options)
            _rebuild(replace(options, select=affected(changed, options.content, tracks)), changed, quiet)
    except KeyboardInterrupt:
        pass
    return 0


def _track_modules(options: Options) -> dict[str, set[str]]:
    from .load import ContentFolder, load

    cur = load(ContentFolder(options.content, options.content_display), Diagnostics())
    return {t.id: {m for m, _ in t.modules} for t in cur.tracks} if cur else {}


def _rebuild(options: Options, changed: set[Path] | None, quiet: bool) -> None:
    started = time.monotonic()
    diags = Diagnostics()
    report = build(options, diags)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    seconds = time.monotonic() - started
    if diags.errors:
        print(f"not rebuilt: {len(diags.errors)} errors ({seconds:.2f} s); previous outputs kept", file=sys.stderr)
        return
    if not quiet:
        names = ", ".join(report.rendered_paths[:6]) + (" …" if len(report.rendered_paths) > 6 else "")
        print(f"rebuilt {report.rendered} of {report.outputs} outputs in {seconds:.2f} s" + (f": {names}" if names else ""),
              file=sys.stderr)
