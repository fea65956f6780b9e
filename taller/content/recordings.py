"""Recordings in our own voices: the sound files members put in the content folder, and the
record of which text each was made from.

Layout, in the content folder: `audio/<lang>/<module>/part-01.ogg`, `part-02.m4a`, … (the
pocket card's in `audio/<lang>/card/`), one file a part of the handout as the recording
script numbers them, in any of the formats a phone makes (`.ogg`, `.opus` as WhatsApp saves
a voice note, `.m4a`, `.wav`, `.mp3`), and beside them `recorded.yaml`, which the program
owns (`build.py recorded`): for each part recorded, the fingerprint of every text it reads
(the fingerprints translations record), so a recording that no longer matches its text is
known.

Every recording is read through the one guard (no link out of the content folder, no pipe
or device, 20 MB at most) and checked by its own bytes (audiofiles.py): a file that is not
sound, is empty or plays for over ten minutes is one `path: error:` line. A recording is a
whole file: its problems name no line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..messages import _
from .audiofiles import AudioInfo, NotAudio, probe
from .guard import present, read_guarded
from .model import TextBlock
from .yamlsrc import load_yaml

AUDIO = "audio"                      # the folder, in the content folder
CARD = "card"                        # the pocket card's folder, beside the modules'
RECORD = "recorded.yaml"
SUFFIXES = (".ogg", ".opus", ".m4a", ".wav", ".mp3")
MAX_BYTES = 20 * 1024 * 1024         # 20 MB: what a phone sends in a chat without fuss
MAX_SECONDS = 10 * 60                # no part of a handout takes ten minutes to read
_PART = re.compile(r"part-(\d{2})(\.[A-Za-z0-9]+)")
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")
HEADER = ("# Which text each recording in this folder was made from (the fingerprints of its texts).\n"
          "# Written by `python build.py recorded` (see content/README.md): do not edit by hand.\n")


def folder_rel(lang: str, name: str) -> str:
    """The folder of one handout's (or the card's) recordings, relative to the content folder."""
    return f"{AUDIO}/{lang}/{name}"


def part_name(number: int) -> str:
    """`part-03`: the name of a part's recording and of its audio file."""
    return f"part-{number:02d}"


@dataclass(frozen=True)
class Recording:
    """One member's recording of one part, read and checked."""

    part: int
    shown: str  # the file as messages name it (`content/audio/es/documenting/part-03.m4a`)
    data: bytes
    info: AudioInfo

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class RecordEntry:
    """What `recorded` wrote for one part: the fingerprint of each text, by `unit:key`."""

    part: int
    fingerprints: dict[str, str]
    loc: Location


class Standing(Enum):
    """Where a recording stands against the text it reads now."""

    CURRENT = "current"    # recorded from the text as it is now
    STALE = "stale"        # a text it reads changed since it was recorded
    UNMARKED = "unmarked"  # nobody has said which text it was made from (`recorded`)


def read_recordings(root: Path, display: str, lang: str, name: str, diags: Diagnostics) -> dict[int, Recording]:
    """The checked recordings of one folder, by part number; each problem is one diagnostic
    and the file is left out. `display`: the content folder as the user gave it."""
    folder = root / folder_rel(lang, name)
    if not folder.is_dir():
        return {}
    found: dict[int, Recording] = {}
    seen: dict[int, str] = {}
    for path in sorted(folder.iterdir()):
        shown = f"{display}/{folder_rel(lang, name)}/{path.name}"
        match = _PART.fullmatch(path.name)
        if match is None or match[2] not in SUFFIXES:  # `.M4A` too: the no-op stamp reads lower-case names only
            if path.suffix.lower() in SUFFIXES:
                diags.warning(Location(shown), _("not used: a recording is named by its part, part-01.ogg, "
                                                 "part-02.m4a, … (see the recording script)"))
            continue
        number = int(match[1])
        if number in seen:
            diags.error(Location(shown), _("two recordings of part {number} ({other} and this one): keep one").format(
                number=number, other=seen[number]))
            found.pop(number, None)
            continue
        seen[number] = path.name
        recording = read_recording(path, shown, root, number, diags)
        if recording is not None:
            found[number] = recording
    return found


def read_recording(path: Path, shown: str, root: Path, part: int, diags: Diagnostics) -> Recording | None:
    """One recording through the guard, checked by its bytes; None after one error."""
    guarded = Diagnostics()
    data = read_guarded(path, shown, guarded, root, limit=MAX_BYTES, what=_("sound file"),
                        rule=_("a recording must be a sound file"))
    for problem in guarded.items:  # the guard names line 1 of a text that is too large: a sound file has none
        diags.add(Diagnostic(problem.level, Location(shown), problem.message))
    if data is None:
        return None
    if not data:
        diags.error(Location(shown), _("the recording is empty (0 bytes)"))
        return None
    try:
        info = probe(data)
    except NotAudio as exc:
        diags.error(Location(shown), _("not a recording: {reason}").format(reason=exc))
        return None
    if info.seconds <= 0:
        diags.error(Location(shown), _("the recording is empty: it plays for no time at all"))
        return None
    if info.seconds > MAX_SECONDS:
        diags.error(Location(shown), _("the recording plays for {minutes} min {seconds} s; the limit is 10 minutes: "
                                       "record the part again, shorter").format(
            minutes=int(info.seconds) // 60, seconds=int(info.seconds) % 60))
        return None
    return Recording(part, shown, data, info)


def read_record(root: Path, display: str, lang: str, name: str, diags: Diagnostics) -> dict[int, RecordEntry]:
    """`recorded.yaml` of one folder, by part number ({} when there is none)."""
    rel = f"{folder_rel(lang, name)}/{RECORD}"
    path, shown = root / rel, f"{display}/{rel}"
    if not present(path):
        return {}
    node = load_yaml(path, shown, diags, root)
    if node is None:
        return {}
    if not node.is_map:
        diags.error(node.loc, _("{record} must be a mapping of parts (part-01:) to their texts' fingerprints").format(
            record=RECORD))
        return {}
    entries = {}
    for key, value in node.value.items():
        match = re.fullmatch(r"part-(\d{2})", key)
        texts = value.value if value.is_map else None
        if match is None or texts is None or not all(
                isinstance(t.value, str) and _FINGERPRINT.fullmatch(t.value) for t in texts.values()):
            diags.error(value.where, _("{record}: '{key}' is not what `recorded` writes; run `python build.py "
                                       "recorded` again for that part").format(record=RECORD, key=key))
            continue
        entries[int(match[1])] = RecordEntry(int(match[1]), {k: t.value for k, t in texts.items()}, value.where)
    return entries


def render_record(entries: dict[int, dict[str, str]]) -> str:
    """The text of `recorded.yaml` for `entries` (part → `unit:key` → fingerprint), sorted,
    every text named in quotes (JSON strings are YAML), so nothing in a key changes its shape."""
    lines = [HEADER]
    for part in sorted(entries):
        lines.append(f"{part_name(part)}:\n")
        lines += [f"  {json.dumps(key)}: {entries[part][key]}\n" for key in sorted(entries[part])]
    return "".join(lines)


def standing(entry: RecordEntry | None, texts: dict[str, TextBlock]) -> tuple[Standing, Location | None]:
    """Whether a recording still reads `texts` (`unit:key` → the block as it is now), and
    where the first text that changed since it was recorded is (None when none did)."""
    if entry is None:
        return Standing.UNMARKED, None
    for key, block in texts.items():
        if entry.fingerprints.get(key) != block.fingerprint():
            return Standing.STALE, block.loc
    if set(entry.fingerprints) - set(texts):  # it read a text the part no longer has
        return Standing.STALE, next(iter(texts.values())).loc if texts else entry.loc
    return Standing.CURRENT, None
