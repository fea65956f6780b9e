"""One build at a time per OUT folder and per cache folder.

Two builds writing into one OUT at once mixed two organisations' materials, and both said
success. A build holds a lock file in each folder it writes (`OUT/.taller-lock`, and the
cache folder's `.taller-lock`) for as long as it writes; a second build stops at once with
one error naming the first one's process.

The lock is a POSIX record lock (`fcntl.lockf`), which the kernel drops when its process
ends however it ends (kill -9 too): a lock file left by a killed build is stale by
construction and the next build simply takes it over. Record locks, unlike `flock`, are
not inherited by forked render workers, so a worker that outlives a killed build cannot
keep the folder locked.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .messages import _, reason

LOCK_NAME = ".taller-lock"


class Busy(Exception):
    """Another live process holds the lock; `pid` is what it wrote into the lock file."""

    def __init__(self, pid: str):
        super().__init__(pid)
        self.pid = pid


class Unlockable(Exception):
    """The folder cannot be made or opened (a file of that name, a read-only stick);
    `reason` says why, in the interface language."""

    def __init__(self, folder: Path, reason: str):
        super().__init__(reason)
        self.folder = str(folder)
        self.reason = reason


@contextmanager
def locked(folder: Path, diags=None) -> Iterator[None]:
    """Hold `folder`'s lock for the block; raises `Busy` or `Unlockable`. A folder made only
    to hold the lock is removed again when the block leaves it empty (a failed build makes
    no OUT). On a file system without locks (some network mounts) the build goes on with a
    warning in `diags`: nothing there would notice a second build."""
    path = folder / LOCK_NAME
    made = [f for f in [folder, *folder.parents] if not f.exists()]
    fd = None
    try:
        fd = _acquire(folder, path, diags)
        yield
    finally:
        if fd is not None:
            try:
                # Unlinked while still held, so no other build can lock this inode after us
                # and believe it holds the folder's lock (see _acquire).
                path.unlink(missing_ok=True)
            except OSError:
                pass
            os.close(fd)
        for made_folder in made:  # deepest first
            try:
                made_folder.rmdir()
            except OSError:  # the build wrote into it
                break


def _acquire(folder: Path, path: Path, diags) -> int:
    if folder.exists() and not folder.is_dir():
        raise Unlockable(folder, _("it is a file, not a folder"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Unlockable(folder, reason(exc)) from None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise Unlockable(folder, reason(exc)) from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):  # ENOLCK, EOPNOTSUPP: no locks here
                if diags is not None:
                    from .diagnostics import Location

                    diags.warning(Location(str(folder)), _("this folder's file system cannot lock files: a second "
                                                           "build here at the same time would not be noticed"))
                break
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise Busy(holder) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed this file as we opened it: lock the new one
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    return fd
