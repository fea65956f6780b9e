"""`build.py watch`: rebuild on save, keeping WeasyPrint warm in this process.

Only what an edit can affect is re-rendered: an edit inside `modules/<id>/` touches that
module's handouts and guides, the manual, and the workshop packs of tracks teaching it;
any other edit (glossary, legal facts, templates) may touch everything, and the render
cache still skips every PDF whose HTML did not change.

A save rebuilds in two steps: first the plain handout of each edited module, the page a
writer checks after an edit (about half a second on a warm worker), written at once and
announced with a `ready` line; then every other affected output.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .content import yamlsrc
from .diagnostics import Diagnostics
from .messages import _, decimal, ngettext
from .options import Options
from .paths import TEMPLATES
from .pipeline import build

if TYPE_CHECKING:
    from .kinds.base import Artifact


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
        return artifact.module in modules or artifact.track in tracks or artifact.kind.spans_modules

    return select


def first_look(artifact: Artifact) -> bool:
    """The outputs rebuilt before the others: the plain form of the kind a writer checks
    after an edit (the handout: one layout, a few pages)."""
    return artifact.kind.first_look and artifact.variant.name is None


def steps(select):
    """The selections of a rebuild, in order: the first look, then the rest."""
    if select is None:
        return [None]  # a full rebuild (templates, shared text) also rewrites the offline edition
    return [lambda a: select(a) and first_look(a), lambda a: select(a) and not first_look(a)]


def watch(options: Options, quiet: bool = False) -> int:
    """Build once, then rebuild what each save affects until Ctrl-C."""
    from watchfiles import watch as watch_files

    from .render.jobs import warm_worker

    yamlsrc.enable_memo()  # unchanged files are not parsed again
    _rebuild(options, quiet)
    cur = _curriculum(options)
    tracks = _tracks(cur)
    warm_worker(options.content, options.langs or (cur.languages if cur else []))  # a save must not pay the start-up
    announced = False
    try:
        # The first (empty) yield comes once the file watcher is set up: only then does
        # "watching" tell the truth, so a save right after it is never missed.
        for changes in watch_files(options.content, TEMPLATES, debounce=50, step=10, rust_timeout=100,
                                   yield_on_timeout=True):
            if not announced:
                print(_("watching {content} and templates/ (Ctrl-C to stop)").format(content=options.content_display),
                      file=sys.stderr, flush=True)
                announced = True
            changed = {Path(path) for _, path in changes if not Path(path).name.startswith(".")}
            if not changed:
                continue
            select = affected(changed, options.content, tracks)
            _rebuild(replace(options, select=select), quiet)
            if select is None:  # tracks.yaml may have changed which modules a track teaches
                tracks = _tracks(_curriculum(options)) or tracks
    except KeyboardInterrupt:
        pass
    return 0


def _tracks(cur) -> dict[str, set[str]]:
    """Track id → the modules it teaches."""
    return {t.id: {m for m, _ in t.modules} for t in cur.tracks} if cur else {}


def _curriculum(options: Options):
    """The curriculum as it is now (None if it cannot be read: the first save shows why)."""
    from .checking import check

    return check(options, Diagnostics())


def _rebuild(options: Options, quiet: bool) -> None:
    started = time.monotonic()
    rendered, outputs, shown = [], 0, set()
    selections = steps(options.select)
    for number, select in enumerate(selections):
        diags = Diagnostics()
        # The first look renders in this warm process (starting workers would cost more than
        # it saves); the rest, a manual among them, over all workers, forked warm from it.
        first_look_step = number == 0 and len(selections) > 1
        report = build(replace(options, select=select, jobs=1 if first_look_step else options.jobs), diags)
        for line in map(str, diags.sorted()):
            if line not in shown:  # each step checks the content again: say a warning once a save
                shown.add(line)
                print(line, file=sys.stderr)
        seconds = time.monotonic() - started
        if diags.errors:
            print(_("not rebuilt: {errors} ({seconds} s); previous outputs kept").format(
                errors=ngettext("{count} error", "{count} errors", len(diags.errors)).format(count=len(diags.errors)),
                seconds=decimal(seconds, 2)), file=sys.stderr)
            return
        rendered += report.rendered
        outputs += report.outputs
        if first_look_step and report.rendered and not quiet:
            print(_("ready {outputs} in {seconds} s").format(outputs=", ".join(report.rendered),
                                                           seconds=decimal(seconds, 2)), file=sys.stderr, flush=True)
    if not quiet:
        names = ", ".join(rendered[:6]) + (" …" if len(rendered) > 6 else "")
        print(_("rebuilt {count} of {outputs} outputs in {seconds} s").format(
            count=len(rendered), outputs=outputs, seconds=decimal(seconds, 2)) + (f": {names}" if names else ""),
              file=sys.stderr, flush=True)
