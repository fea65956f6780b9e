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
- The journal: a build killed outright (kill -9) runs no cleanup, so before
  each change the transaction writes one line to `OUT/.taller-journal` saying how to undo
  it. `recover(OUT)`, which the next build runs first while holding OUT's lock (locks.py),
  undoes a journal it finds and removes every temporary file a build left: OUT is again
  exactly the last build that finished.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .messages import _

JOURNAL = ".taller-journal"
_OWN_FILES = {JOURNAL, ".taller-lock"}  # never an output: a journal line naming one is not ours
# The temporary files of this module: a new file before its rename (`atomic_write`) and the
# previous version of a replaced file (`before_write`). Only these are ever swept away.
_TEMPORARY = re.compile(r"\..+\.([0-9a-f]{8}\.old|[0-9a-f]{8}\.cp|[a-z0-9_]{8})\.tmp")


class _Transaction:
    """What one build changed under its OUT folder, so it can be undone (also by the next
    build, through the journal, if this one is killed)."""

    def __init__(self, root: Path):
        self.root = Path(os.path.abspath(root))
        self.replaced: dict[Path, Path | None] = {}  # file → its previous version (None: it is new)
        self.new_dirs: list[Path] = []
        self.journal = None

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
        backup = None
        if path.is_file():
            backup = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old.tmp")
        # The journal line comes first: whatever exists afterwards, it says how to undo it.
        self._log({"path": str(path.relative_to(self.root)), "backup": backup.name if backup else None,
                   "dirs": [str(f.relative_to(self.root)) for f in missing]})
        self.new_dirs.extend(missing)
        if backup is not None:
            try:
                os.link(path, backup)  # the same bytes and dates, at no cost
            except OSError:
                # No hard links (a FAT stick): a copy, whole before it takes the backup's
                # name, so a kill during the copy never leaves a cut-off "previous version".
                partial = backup.with_name(backup.name[: -len(".old.tmp")] + ".cp.tmp")
                shutil.copy2(path, partial)
                os.replace(partial, backup)
        self.replaced[path] = backup

    def _log(self, entry: dict) -> None:
        if self.journal is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self.journal = open(self.root / JOURNAL, "w", encoding="utf-8")  # noqa: SIM115 - closed by commit/rollback
        self.journal.write(json.dumps(entry) + "\n")
        self.journal.flush()  # in the kernel's hands: it survives kill -9

    def _close_journal(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None
            (self.root / JOURNAL).unlink(missing_ok=True)

    def commit(self) -> None:
        self._close_journal()  # the moment of commit: from here on, the new build stands
        for backup in self.replaced.values():
            if backup is not None:
                backup.unlink(missing_ok=True)

    def rollback(self) -> None:
        if _undo([(path, backup) for path, backup in self.replaced.items()], self.new_dirs):
            self._close_journal()
        elif self.journal is not None:  # the next build tries again, from the journal
            self.journal.close()
            self.journal = None


def _undo(changes: list[tuple[Path, Path | None]], new_dirs: list[Path]) -> bool:
    """Put every previous file back, remove new files and new folders; latest change first.
    A change that cannot be undone (a person's file where a folder should be) does not stop
    the others; False when one could not be."""
    whole = True
    for path, backup in reversed(changes):
        try:
            if backup is not None:
                if not backup.exists():
                    continue  # killed before the backup was made: the file was not touched yet
                if path.exists() and os.path.samefile(backup, path):
                    # Interrupted before the new file replaced it: the backup is a hard link
                    # to the very file, and renaming a link onto its own file does nothing.
                    backup.unlink()
                else:
                    os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        except NotADirectoryError:  # a file where its folder would be: the new file was never made
            pass
        except OSError:
            whole = False
    for folder in sorted(new_dirs, key=lambda f: len(f.parts), reverse=True):  # deepest first
        try:
            folder.rmdir()
        except OSError:  # not empty: something else lives there now
            pass
    return whole


class RecoveryError(Exception):
    """What a killed build left in OUT could not all be undone; the journal stays."""


def recover(out: Path, folders: set[str]) -> bool:
    """Undo what a killed build left half-done in `out` and remove the temporary files
    builds left in `folders` (relative to `out`: where the last build wrote, so a USB stick
    full of a person's own files is never walked); True when a killed build's changes were
    undone. Only ever called with `out`'s lock held: no other build is writing there."""
    root = Path(os.path.abspath(out))
    try:
        lines = (root / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = None
    swept = {root}
    for folder in folders:
        try:
            swept.add(_inside(root, folder))
        except ValueError:  # a manifest's path that leads out of OUT: never followed
            pass
    if lines is not None:
        changes, new_dirs = [], []
        for line in lines:
            try:
                entry = json.loads(line)
                path = _inside(root, entry["path"])
                backup = path.with_name(entry["backup"]) if entry["backup"] else None
                # Only a backup this module names, of a file that is not one of its own: a
                # damaged or forged journal must never move another file onto an output.
                if path.name in _OWN_FILES or (backup is not None and not re.fullmatch(
                        re.escape(f".{path.name}.") + r"[0-9a-f]{8}\.old\.tmp", backup.name)):
                    raise ValueError(line)
                new_dirs.extend(_inside(root, d) for d in entry["dirs"])
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a line torn by the kill (its change had not begun), or not ours
            changes.append((path, backup))
            swept.add(path.parent)
        with _interrupts_deferred():
            whole = _undo(changes, [])
            for folder in swept:  # a temporary file left in a new folder would keep it there
                sweep(folder)
            _undo([], new_dirs)
            if not whole:
                raise RecoveryError(str(root / JOURNAL))
            (root / JOURNAL).unlink(missing_ok=True)
        return bool(changes)
    for folder in swept:
        sweep(folder)
    return False


def _inside(root: Path, rel) -> Path:
    """A journal's path, refused when it would lead out of OUT (the journal is a file in OUT,
    and OUT is a USB stick that other people's files may share)."""
    if not isinstance(rel, str) or os.path.isabs(rel):
        raise ValueError(rel)
    path = Path(os.path.abspath(root / rel))
    if not path.is_relative_to(root) or path == root:
        raise ValueError(rel)
    return path


def write_target(path: Path, root: Path) -> Path:
    """Where to write a content file (`po import`, `new-language`): through a link that
    stays inside the content folder `root`, never replacing the link by a copy; a link out
    of it is refused (OSError)."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            raise OSError(_("{name} links out of the content folder; not written").format(name=path.name))
        return target
    return path


def sweep(folder: Path, recursive: bool = False) -> None:
    """Remove the temporary files of this module in `folder` (and below, if `recursive`),
    and nothing else; called with the folder's lock held, so none of them is another
    build's write in progress."""
    try:
        walk = os.walk(folder) if recursive else [(str(folder), [], os.listdir(folder))]
        for parent, _dirs, files in walk:
            for name in files:
                if _TEMPORARY.fullmatch(name):
                    try:
                        os.unlink(os.path.join(parent, name))
                    except OSError:
                        pass
    except OSError:  # not there (yet): nothing to sweep
        pass


_ACTIVE: list[_Transaction] = []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_umask()  # read once, at import: os.umask is process-wide


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


def atomic_write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file in the same folder and a rename; False
    when an identical file was there, left alone so an unchanged output keeps its date."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    for tx in reversed(_ACTIVE):
        if tx.covers(path):
            tx.before_write(path)
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes a private file (0600): an output keeps the mode of the file it
        # replaces, and a new one gets the usual mode, or nobody else could read the stick.
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = _NEW_FILE_MODE
        try:
            os.fchmod(fd, mode)
        except OSError:  # a file system without modes (FAT): nothing to set
            pass
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


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
