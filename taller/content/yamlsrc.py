"""Read one YAML file into located values: every value keeps its file and line.

PyYAML's composer gives nodes with marks; we turn them into `YNode`s. Content files come
from other people (by USB stick, by e-mail), so whatever a curriculum never needs and an
attacker could abuse is refused with one error naming the file and line, never a
traceback: anchors and aliases ("billion laughs"), YAML tags (`!!python/object`, `!!binary`),
deep nesting. Files that are too large, not regular files (a FIFO or `/dev/zero` would
hang the build) or links leading outside the content folder are refused before they are
read, by the guard every content file goes through (`guard.read_guarded`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Location
from .glyphs import check_text
from .guard import MAX_FILE_BYTES, read_guarded  # noqa: F401 - the limit is also named here (tests, callers)
from .yamlhints import explain, one_line

# The deepest real structure (module → sessions → activity → field) is under ten levels.
MAX_DEPTH = 32


@dataclass
class YNode:
    """A YAML value with its location. `value` is a dict, a list, or a scalar."""

    value: Any
    loc: Location
    raw: str | None = None  # the scalar exactly as written, before YAML 1.1 typing
    key_loc: Location | None = None  # the line of `key:` when this is a mapping value

    @property
    def where(self) -> Location:
        """Best line to point at: the key's line (an empty value has no line of its own)."""
        return self.key_loc or self.loc

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def text(self) -> str | None:
        """The scalar as text: 'No' stays 'No' (YAML 1.1 would make it False)."""
        if self.value is None or self.is_map or self.is_list:
            return None
        return self.raw if self.raw is not None else str(self.value)


# libyaml's C parser is about ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALIAS_MESSAGE = "anchors and aliases (&, *) are not allowed in content"
_DEPTH_MESSAGE = f"the file is nested more than {MAX_DEPTH} levels deep; content never needs that"
_YAML = "tag:yaml.org,2002:"
# Tags the resolver gives plain content: anything else was written on purpose (`!tag`).
_PLAIN_TAGS = frozenset(_YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
# `<<` and `=` resolve to tags no safe constructor knows: they are just text here.
_TEXT_TAGS = frozenset({_YAML + "merge", _YAML + "value"})


class _Refused(Exception):
    """A construct content must not use: the whole file is refused with one error."""

    def __init__(self, loc: Location, message: str):
        super().__init__(message)
        self.loc = loc
        self.message = message


def _line_of_offset(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


# Watch mode keeps parsed files: (path, display, root) → ((size, mtime), tree); an edited
# file replaces its entry, so the memo does not grow with every save. Off by default.
_MEMO: dict[tuple, tuple[tuple[int, int], YNode]] | None = None


def enable_memo() -> None:
    """Remember parsed files while the process lives (watch mode re-reads only edits)."""
    global _MEMO
    _MEMO = {}


def load_yaml(path: Path, display: str, diags: Diagnostics, root: Path | None = None) -> YNode | None:
    """Parse `path` (see `_load_yaml`); in watch mode an unchanged file is not parsed again."""
    if _MEMO is None:
        return _load_yaml(path, display, diags, root)
    try:
        stat = path.stat()
    except OSError:
        return _load_yaml(path, display, diags, root)
    key, version = (str(path), display, str(root)), (stat.st_size, stat.st_mtime_ns)
    if key in _MEMO and _MEMO[key][0] == version:
        return _MEMO[key][1]
    _MEMO.pop(key, None)
    errors_before = len(diags.errors)
    node = _load_yaml(path, display, diags, root)
    if node is not None and len(diags.errors) == errors_before:  # only clean files are remembered
        _MEMO[key] = version, node
    return node


def _load_yaml(path: Path, display: str, diags: Diagnostics, root: Path | None = None) -> YNode | None:
    """Parse `path`; on any problem record a diagnostic naming `display` and return None.
    With `root`, a file that (through links) lies outside `root` is refused."""
    data = read_guarded(path, display, diags, root)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is accepted
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        diags.error(Location(display, line), f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        return None
    # NFD accents ("a" + combining acute) must match NFC ids and glossary terms.
    text = unicodedata.normalize("NFC", text)
    check_text(text, display, diags)  # a letter no bundled font has: an error at its line, not an empty box
    loader = _Loader(text)
    try:
        root_node = loader.get_single_node()
        if root_node is None:
            return YNode({}, Location(display, 1))
        return _convert(root_node, loader, display, diags, set(), 0)
    except _Refused as exc:
        diags.error(exc.loc, exc.message)
    except yaml.MarkedYAMLError as exc:
        line, message = explain(text, exc)  # a tab, a colon in a text, a line indented wrong: said so
        diags.error(Location(display, line), message)
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, ESC...): YAML allows none of them in a file.
        line = _line_of_offset(text, exc.position) if isinstance(exc.position, int) else 0
        what = f": U+{exc.character:04X}" if isinstance(exc.character, int) else ""
        diags.error(Location(display, line), f"YAML syntax error: {one_line(exc.reason)}{what}")
    except yaml.YAMLError as exc:
        diags.error(Location(display), f"YAML syntax error: {one_line(str(exc))}")
    except RecursionError:  # the pure-Python composer recurses once per nesting level
        diags.error(Location(display), _DEPTH_MESSAGE)
    finally:
        loader.dispose()
    return None


def _tag_as_written(tag: str) -> str:
    return "!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag


def _convert(node: yaml.Node, loader, display: str, diags: Diagnostics, seen: set[int], depth: int) -> YNode:
    loc = Location(display, node.start_mark.line + 1)
    # The composer resolves an alias to the very node its anchor named: meeting a node
    # twice means an alias. Refusing it here stops "billion laughs" before any expansion.
    if id(node) in seen:
        raise _Refused(loc, _ALIAS_MESSAGE)
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(loc, _DEPTH_MESSAGE)
    if node.tag not in _PLAIN_TAGS and node.tag not in _TEXT_TAGS:
        # `!!python/object`, `!!binary`, `!!set`, `!custom`: nothing content needs.
        raise _Refused(loc, f"YAML tags such as '{_tag_as_written(node.tag)}' are not allowed in content")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, YNode] = {}
        for key_node, value_node in node.value:
            key_loc = Location(display, key_node.start_mark.line + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                if id(key_node) in seen:
                    raise _Refused(key_loc, _ALIAS_MESSAGE)
                diags.error(key_loc, "a key must be a plain word")
                continue
            key = key_node.value  # raw: `no:` stays "no", not False
            if key in result:  # a slip, not an attack: report it and read on
                diags.error(key_loc, f"duplicate key '{key}'")
                continue
            child = _convert(value_node, loader, display, diags, seen, depth + 1)
            child.key_loc = key_loc
            result[key] = child
        return YNode(result, loc)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(item, loader, display, diags, seen, depth + 1) for item in node.value], loc)
    raw = node.value if isinstance(node.value, str) else None
    if node.tag in _TEXT_TAGS:
        return YNode(raw, loc, raw=raw)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        # `2026-13-45` looks like a date but is none; a 5000-digit number is too long to
        # convert. Keep the text as written: a field that needs a date or a number then
        # reports it at this line with its own message.
        value = raw
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return YNode(value, loc, raw=raw)
