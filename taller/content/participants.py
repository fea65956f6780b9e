"""Participants for certificates: read from a CSV the facilitator gives, used for nothing else.

The names are personal data of people who face police abuse: they go onto certificate
pages only, never into the manifest, logs, caches or kept HTML.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from ..diagnostics import Diagnostics, Location

MAX_PARTICIPANTS = 500


def read_participants(path: Path, diags: Diagnostics) -> tuple[str, ...]:
    """Names from the first column (a header row `name`/`nombre` is skipped)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError:
        diags.error(Location(str(path)), "participants file not found")
        return ()
    except UnicodeDecodeError as exc:
        diags.error(Location(str(path)), f"participants file is not UTF-8 text (byte offset {exc.start})")
        return ()
    names = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        name = unicodedata.normalize("NFC", row[0].strip()) if row else ""
        if not name or (number == 1 and name.casefold() in {"name", "nombre", "names", "nombres"}):
            continue
        names.append(name)
    if len(names) > MAX_PARTICIPANTS:
        diags.error(Location(str(path)), f"more than {MAX_PARTICIPANTS} names; split the file")
        return ()
    return tuple(names)
