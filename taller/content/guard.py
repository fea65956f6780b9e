"""The one door every file the content provides is read through.

Content folders come from other people (USB sticks, e-mail, shared folders), and the
participants list from wherever the facilitator keeps it. Before a byte is read, the file
is refused with one error naming it when it is:

- a link leading out of the content folder (a shared folder must not pull a private file
  of the builder's machine into the materials); only with `root`;
- a pipe, a device, a folder or a socket, not a file: a FIFO or `/dev/zero` would hang
  the build or never end;
- larger than the limit its kind of file can sensibly have.

The file is opened with O_NONBLOCK, so opening a FIFO never waits for a writer, and the
checks are made on the opened file (`fstat`), not on the name that was looked at first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..messages import _, reason

# A curriculum file is a few dozen KiB; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000


def present(path: Path) -> bool:
    """Whether something is at `path` (a FIFO, a folder, a broken link too): the guard,
    not a "not found", must say what it is."""
    return path.exists() or path.is_symlink()


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every link followed, is still under `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _not_a_file(mode: int) -> str | None:
    """What the opened thing is, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return _("a pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a special file")


def read_guarded(path: Path, display: str, diags: Diagnostics, root: Path | None = None,
                 limit: int = MAX_FILE_BYTES, what: str | None = None, rule: str | None = None) -> bytes | None:
    """The file's bytes, or None after recording why it cannot be used.

    `root`: the content folder the file must stay in (None for a file the user names on
    the command line, such as the participants list). `what` names the file in messages
    (`_("logo")`, default `_("file")`; each is masculine in Spanish, "el {what}": keep it
    so); `rule` says what it must be instead of a pipe.
    """
    what = what or _("file")
    rule = rule or _("content must be plain text files")
    if root is not None and path.exists() and not inside(path, root):
        diags.error(Location(display), _("refused: this file is a link to a place outside the content folder; "
                                         "copy the file into the folder instead"))
        return None
    try:
        # O_NONBLOCK: opening a FIFO must not wait forever for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        diags.error(Location(display), _("{what} not found").format(what=what))
        return None
    except OSError as exc:
        diags.error(Location(display), _("cannot read the {what} ({reason})").format(what=what, reason=reason(exc)))
        return None
    # fstat before fdopen: the opened thing is checked (a name swapped since cannot fool
    # it), and a folder would make fdopen raise rather than be named.
    info = os.fstat(fd)
    kind = _not_a_file(info.st_mode)
    if kind is not None:
        os.close(fd)
        diags.error(Location(display), _("refused: this is {kind}, not a file; {rule}").format(kind=kind, rule=rule))
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            # Read one byte past the limit: a file that grows while we read is caught too.
            data = handle.read(limit + 1) if info.st_size <= limit else b""
        except OSError as exc:  # a damaged disk or USB stick
            diags.error(Location(display), _("cannot read the {what} ({reason})").format(what=what, reason=reason(exc)))
            return None
        size = max(info.st_size, len(data))
    if size > limit:
        diags.error(Location(display, 1), _("{what} is too large ({size} bytes; the limit is {limit})").format(
            what=what, size=size, limit=limit))
        return None
    return data
