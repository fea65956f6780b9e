"""Record source fingerprints into a translation file's `translated_from:` mapping.

The file is edited as text, not re-dumped from YAML: a translator's comments, quoting and
line breaks stay byte-for-byte. Only the `translated_from:` mapping is (re)written, at the
end of the file, one `key: fingerprint` line per block, sorted by key.
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from .texts import TRANSLATED_FROM
from .write import atomic_write

HEADER = ("# Which source text each block was translated from. Written by\n"
          "# `python build.py translated` (see content/README.md): do not edit by hand.\n")
_START = re.compile(rf"\ufeff?{TRANSLATED_FROM}\s*:")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


def record(path: Path, entries: dict[str, str]) -> bool:
    """Make `path`'s mapping exactly `entries`; returns False when the file already says so."""
    text = path.read_bytes().decode("utf-8")
    new = with_mapping(text, entries)
    if new == text:
        return False
    _verify(text, new, entries)
    mode = stat.S_IMODE(path.stat().st_mode)
    atomic_write(path, new.encode("utf-8"))
    path.chmod(mode)  # the temporary file is private (0600); the content file keeps its own mode
    return True


def with_mapping(text: str, entries: dict[str, str]) -> str:
    """`text` with its top-level `translated_from:` mapping replaced by (or appended as) `entries`."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    block = _render(entries, newline)
    start = next((i for i, line in enumerate(lines) if _START.match(line)), None)
    if start is None:
        body = text if not text or text.endswith(("\n", "\r")) else text + newline
        separator = newline if body.strip() else ""
        return body + separator + HEADER.replace("\n", newline) + block
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1  # the mapping's indented lines (and blank lines between them)
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # trailing blank lines are not part of the mapping
    before, after = "".join(lines[:start]), "".join(lines[end:])
    if lines[start].startswith("\ufeff"):
        before = "\ufeff"  # the byte-order mark stays the file's first character
    if any(_is_top_level_key(line) for line in lines[end:]):
        # Other keys follow the mapping: move it to the end, where this command keeps it.
        if after and not after.endswith(("\n", "\r")):
            after += newline
        return before + after + block
    return before + block + after


def _render(entries: dict[str, str], newline: str) -> str:
    lines = [f"{TRANSLATED_FROM}:"]
    for key in sorted(entries):
        value = entries[key]
        shown_key = key if _PLAIN_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
        shown_value = value if _FINGERPRINT.fullmatch(value) else json.dumps(value, ensure_ascii=False)
        lines.append(f"  {shown_key}: {shown_value}")
    return newline.join(lines) + newline


def _is_top_level_key(line: str) -> bool:
    return bool(line.strip()) and line[0] not in " \t#\r\n"


def _top_level(text: str) -> dict[str, yaml.Node]:
    root = yaml.compose(unicodedata.normalize("NFC", text), Loader=yaml.SafeLoader)
    if root is None:
        return {}
    return {key.value: value for key, value in root.value}


def _verify(old: str, new: str, entries: dict[str, str]) -> None:
    """Refuse to write a file whose texts would read differently: a bug must never cost a translation."""
    before, after = _top_level(old), _top_level(new)
    before.pop(TRANSLATED_FROM, None)
    mapping = after.pop(TRANSLATED_FROM, None)
    recorded = {k.value: v.value for k, v in mapping.value} if mapping is not None else {}
    if recorded != entries or set(before) != set(after) or any(
            yaml.serialize(before[k]) != yaml.serialize(after[k]) for k in before):
        raise RuntimeError(f"recording fingerprints would change the texts of the file; nothing written ({entries})")
