"""Participants for certificates: read from a CSV the facilitator gives, used for nothing else.

The names are personal data of people who face police abuse: they go onto certificate
pages only, never into the manifest, logs, caches or kept HTML (nor into an error message:
errors name the file and the line, never the name written there).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .glyphs import name_size_pt, uncovered
from .guard import read_guarded

MAX_PARTICIPANTS = 500
# 500 names with a few columns are some tens of KiB; a file of megabytes is the wrong file.
MAX_PARTICIPANTS_BYTES = 1_000_000
HEADERS = {"name", "nombre", "names", "nombres"}


def read_participants(path: Path, diags: Diagnostics) -> tuple[str, ...]:
    """Names from the first column (a header row `name`/`nombre` is skipped)."""
    shown = str(path)
    # The list lies wherever the facilitator keeps it: no "inside the content folder" rule,
    # but a pipe, a device or a huge file is refused before it is read, as for content.
    data = read_guarded(path, shown, diags, None, MAX_PARTICIPANTS_BYTES, what=_("participants file"),
                        rule=_("the participants list must be a plain CSV file"))
    if data is None:
        return ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(Location(shown, line), _("participants file is not UTF-8 text (byte offset {offset}); "
                                             "save it as UTF-8 (CSV UTF-8 in a spreadsheet)").format(offset=exc.start))
        return ()
    names = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            name = unicodedata.normalize("NFC", row[0].strip()) if row else ""
            if not name or (reader.line_num == 1 and name.casefold() in HEADERS):
                continue
            if len(names) == MAX_PARTICIPANTS:
                diags.error(Location(shown, reader.line_num), _("more than {limit} names; split the file into lists "
                                                                "of up to {limit}").format(limit=MAX_PARTICIPANTS))
                return ()
            # Names are personal data: a message names the line, never the name or a letter of it.
            if uncovered(name):
                diags.error(Location(shown, reader.line_num), _("a name on this line has a letter the bundled fonts "
                                                                "cannot print; write it with other letters or ask for "
                                                                "a font"))
                continue
            if name_size_pt(name) is None:
                diags.error(Location(shown, reader.line_num), _("a name on this line is too long for the "
                                                                "certificate's name line, even in smaller letters; "
                                                                "shorten it"))
                continue
            names.append(name)
    except csv.Error as exc:
        # `field larger than field limit`, a stray NUL: the line the reader stopped at.
        diags.error(Location(shown, reader.line_num or 1), _("participants file is not a readable CSV ({problem})").format(
            problem=exc))
        return ()
    return tuple(names)
