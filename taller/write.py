"""Write: outputs go to a temporary file first and are renamed into place, and a build's
writes into OUT happen together or not at all.

- `atomic_write`: one file, via a temporary file in the same folder and a rename, so no
  reader ever sees half a PDF.
- `transaction(OUT)`: every file a build writes into OUT inside the block. The previous
  version of each file it replaces is kept aside (a hard link, or a copy where the file
  system has none, as on a FAT USB stick); when the block fails or is interrupted (Ctrl-C,
  SIGTERM) every previous output is put back as it was, new files and new folders are
  removed, and no temporary file stays behind. Renaming back and cleaning up are never
  cut short by a second Ctrl-C: it waits until they are done.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Transaction:
    """What one build changed under its OUT folder, so it can be undone."""

    def __init__(self, root: Path):
        self.root = Path(os.path.abspath(root))
        self.replaced: dict[Path, Path | None] = {}  # file → its previous version (None: it is new)
        self.new_dirs: list[Path] = []

    def covers(self, path: Path) -> bool:
        return Path(os.path.abspath(path)).is_relative_to(self.root)

    def before_write(self, path: Path) -> None:
        """Remember how `path` was before its first write in this transaction."""
        path = Path(os.path.abspath(path))
        if path in self.replaced:
            return
        missing = []
        for folder in [path.parent, *path.parent.parents]:
            if folder.exists():
                break
            missing.append(folder)
        self.new_dirs.extend(missing)
        backup = None
        if path.is_file():
            backup = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old.tmp")
            try:
                os.link(path, backup)  # the same bytes and dates, at no cost
            except OSError:
                shutil.copy2(path, backup)
        self.replaced[path] = backup

    def commit(self) -> None:
        for backup in self.replaced.values():
            if backup is not None:
                backup.unlink(missing_ok=True)

    def rollback(self) -> None:
        for path, backup in reversed(list(self.replaced.items())):
            if backup is not None:
                if path.exists() and os.path.samefile(backup, path):
                    # Interrupted before the new file replaced it: the backup is a hard link
                    # to the very file, and renaming a link onto its own file does nothing.
                    backup.unlink()
                else:
                    os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        for folder in sorted(self.new_dirs, key=lambda f: len(f.parts), reverse=True):  # deepest first
            try:
                folder.rmdir()
            except OSError:  # not empty: something else lives there now
                pass


_ACTIVE: list[_Transaction] = []


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C or SIGTERM that came once every new output was in place: nothing was undone."""


@contextmanager
def transaction(out: Path) -> Iterator[None]:
    """Writes into `out` inside the block all stay, or (on any exception, Ctrl-C or
    SIGTERM) none of them does: every previous file is back as it was."""
    tx = _Transaction(out)
    _ACTIVE.append(tx)
    done = False
    try:
        with sigterm_interrupts():
            yield
        with _interrupts_deferred(raise_as=InterruptedAfterCommit):
            tx.commit()
            done = True
    finally:
        _ACTIVE.remove(tx)
        if not done:
            with _interrupts_deferred():
                tx.rollback()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and a rename.
    An identical file is left alone, so an unchanged output keeps its date."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    for tx in reversed(_ACTIVE):
        if tx.covers(path):
            tx.before_write(path)
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _interrupts_deferred(raise_as: type[KeyboardInterrupt] = KeyboardInterrupt) -> Iterator[None]:
    """Ctrl-C or SIGTERM during the block is held back and raised (as `raise_as`) when the
    block is done."""
    if not _in_main_thread():  # only the main thread may set signal handlers
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        if received:
            raise raise_as


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (`kill`) in the block is Ctrl-C: while outputs are written it undoes them;
    the command line holds it for the whole run (cli.main)."""
    if not _in_main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
