"""Record which source text each translated block was made from, in the translation's own
record file (`en.yaml` → `en.translated.yaml`), which the program owns and rewrites whole.

The translator's file is never touched: not its comments, quoting or line breaks, and a
symbolic link to it is never replaced by a copy. The record is one `key: fingerprint` line
per block, sorted by key, under a header that says not to edit it by hand.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..content.texts import sidecar_of
from ..messages import _
from ..write import atomic_write

HEADER = ("# Which source text each block of {name} was translated from. Written by\n"
          "# `python build.py translated` (see content/README.md): do not edit by hand.\n")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


class RecordError(Exception):
    """The record file cannot be written where it is (a link out of the content folder)."""


def record(text_file: Path, entries: dict[str, str], content_root: Path) -> None:
    """Make the record of `text_file` hold exactly `entries` (left alone when it already does)."""
    path = sidecar_of(text_file)
    if path.is_symlink():  # write where the link points, if that is inside the content folder
        target = path.resolve()
        if not target.is_relative_to(content_root.resolve()):
            raise RecordError(_("{name} links out of the content folder; not written").format(name=path.name))
        path = target
    new = render(entries, text_file.name)
    try:
        if path.read_text(encoding="utf-8") == new:
            return
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = _default_mode()
    atomic_write(path, new.encode("utf-8"))
    os.chmod(path, mode)  # the temporary file is private (0600); the record is as readable as its text


def render(entries: dict[str, str], name: str) -> str:
    """The record file's text for `entries` (the text file is called `name`)."""
    lines = [f"{_quoted(key, _PLAIN_KEY)}: {_quoted(entries[key], _FINGERPRINT)}" for key in sorted(entries)]
    return HEADER.format(name=name) + "".join(f"{line}\n" for line in lines)


def _quoted(value: str, plain: re.Pattern) -> str:
    return value if plain.fullmatch(value) else json.dumps(value, ensure_ascii=False)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
