"""How a build shows where it is: a progress bar on a terminal, one plain line per phase on
a pipe or in CI, nothing with `-q`.

The pipeline only says "this phase started (of so many documents)" and "n more are done"
to a `Progress`; it knows nothing of how that is shown. rich is imported when a bar is
first drawn, so a no-op build (which starts no phase) never pays for it.

The bar is on stderr (where a terminal shows it while stdout may go to a file); the phase
lines are on stdout, beside the closing summary: stderr stays for problems, one
`path:line: error: …` a line, which tools read.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .messages import _, decimal, ngettext

# The phases of a build, in order (pipeline.py starts them).
LOADING, PREPARING, RENDERING, PACKING, WRITING = "loading", "preparing", "rendering", "packing", "writing"


def _title(phase: str, total: int | None, where: str) -> str:
    """The words of a phase, in the interface language."""
    count = total or 0
    return {
        LOADING: lambda: _("Reading the content…"),
        PREPARING: lambda: ngettext("Preparing {count} document…", "Preparing {count} documents…", count),
        RENDERING: lambda: ngettext("Making {count} PDF…", "Making {count} PDFs…", count),
        PACKING: lambda: _("Packing the offline edition…"),
        WRITING: lambda: _("Writing into {out}…"),
    }[phase]().format(count=count, out=where)


class Progress:
    """What the pipeline tells; this one shows nothing (`-q`, `watch`, tests that drive the pipeline)."""

    def phase(self, phase: str, total: int | None = None, where: str = "") -> None:
        """A phase starts: `total` documents to do in it (None: not counted)."""

    def advance(self, done: int = 1, current: str | None = None) -> None:
        """`done` more documents of the phase are finished; `current` is the one being made now."""

    def close(self) -> None:
        """The build is over (or stopped): leave the terminal as it was."""


SILENT = Progress()


class PhaseLines(Progress):
    """One line per phase, for a log: no bar, no terminal codes."""

    def __init__(self, stream):
        self.stream = stream

    def phase(self, phase: str, total: int | None = None, where: str = "") -> None:
        print(_title(phase, total, where), file=self.stream, flush=True)


class Bar(Progress):
    """A rich progress bar: each phase a line; a counted phase shows documents done / total,
    the document being made and the time left."""

    def __init__(self, stream):
        self.stream = stream
        self.bar = None
        self.task = None

    def _start(self):
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn
        from rich.progress import Progress as RichProgress

        # No redirection of stdout/stderr: render workers are forked while the bar runs, and
        # must not inherit a proxy whose lock the bar's thread may hold.
        count, left = _columns()
        self.bar = RichProgress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"), BarColumn(),
                                count, left, TextColumn("{task.fields[current]}"),
                                console=Console(file=self.stream), transient=True,
                                redirect_stdout=False, redirect_stderr=False)
        self.bar.start()

    def phase(self, phase: str, total: int | None = None, where: str = "") -> None:
        if self.bar is None:
            self._start()
        if self.task is not None:  # the phase before is over
            before = self.bar.tasks[-1]
            self.bar.update(self.task, total=before.total or 1, completed=before.total or 1, current="")
        self.task = self.bar.add_task(_title(phase, total, where), total=total, current="", counted=total is not None)
        self.bar.refresh()

    def advance(self, done: int = 1, current: str | None = None) -> None:
        if self.bar is None or self.task is None:
            return
        self.bar.update(self.task, advance=done, current=current or "")
        self.bar.refresh()  # every step drawn, not only ten a second: a short build still shows it moving

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _columns():
    """Two rich columns (made once rich is imported): documents done / total, for a counted
    phase only, and the time left, in the interface language."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Count(ProgressColumn):
        """"12/124" documents."""

        def render(self, task) -> Text:
            if not task.fields.get("counted"):
                return Text("")
            return Text(f"{int(task.completed)}/{int(task.total)}", style="progress.download")

    class TimeLeft(ProgressColumn):
        """"1 min 20 s left", once rich can estimate it."""

        def render(self, task) -> Text:
            seconds = task.time_remaining
            if seconds is None or task.finished or not task.fields.get("counted"):
                return Text("")
            return Text(_("{time} left").format(time=duration(seconds)), style="progress.remaining")

    return Count(), TimeLeft()


def duration(seconds: float) -> str:
    """A time as people say it: "4.2 s", "2 min 31 s", "1 h 5 min"."""
    if seconds < 60:
        return _("{seconds} s").format(seconds=decimal(seconds))
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)


def on_terminal(stream) -> bool:
    """A bar only for a person at a terminal: not in CI, not on a dumb terminal, not on a pipe."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_for(quiet: bool = False) -> Iterator[Progress]:
    """The progress a build on this command line shows; closed however the build ends
    (Ctrl-C too: the bar is gone before the "interrupted" line is printed)."""
    if quiet:
        shown: Progress = SILENT
    elif on_terminal(sys.stderr):
        shown = Bar(sys.stderr)
    else:
        shown = PhaseLines(sys.stdout)
    try:
        yield shown
    finally:
        shown.close()
