"""Read one YAML file into located values: every value keeps its file and line.

PyYAML's composer gives nodes with marks; we turn them into `YNode`s and refuse what a
curriculum never needs and an attacker could abuse (anchors and aliases: "billion laughs").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, Location

# A curriculum file is a few dozen KiB; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000


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


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# Watch mode keeps parsed files: (path, size, mtime) → (display, tree). Off by default.
_MEMO: dict[tuple[str, int, int], tuple[str, YNode]] | None = None


def enable_memo() -> None:
    """Remember parsed files while the process lives (watch mode re-reads only edits)."""
    global _MEMO
    _MEMO = {}


def load_yaml(path: Path, display: str, diags: Diagnostics) -> YNode | None:
    """Parse `path`; on any problem record a diagnostic naming `display` and return None."""
    if _MEMO is not None:
        try:
            stat = path.stat()
        except OSError:
            return _load_yaml(path, display, diags)
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key in _MEMO and _MEMO[key][0] == display:
            return _MEMO[key][1]
        errors_before = len(diags.errors)
        node = _load_yaml(path, display, diags)
        if node is not None and len(diags.errors) == errors_before:
            _MEMO[key] = (display, node)
        return node
    return _load_yaml(path, display, diags)


def _load_yaml(path: Path, display: str, diags: Diagnostics) -> YNode | None:
    try:
        size = path.stat().st_size
    except OSError:
        diags.error(Location(display), "file not found")
        return None
    if size > MAX_FILE_BYTES:
        diags.error(Location(display, 1), f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        diags.error(Location(display, line), f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        return None
    # NFD accents ("a" + combining acute) must match NFC ids and glossary terms.
    text = unicodedata.normalize("NFC", text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(Location(display, line), f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        diags.error(Location(display), f"YAML syntax error: {exc}")
        return None
    finally:
        loader.dispose()
    if root is None:
        return YNode({}, Location(display, 1))
    return _convert(root, loader, display, diags, set())


def _convert(node: yaml.Node, loader, display: str, diags: Diagnostics, seen: set[int]) -> YNode:
    loc = Location(display, node.start_mark.line + 1)
    # The composer resolves an alias to the very node its anchor named: meeting a node
    # twice means an alias. Refusing it here stops "billion laughs" before any expansion.
    if id(node) in seen:
        diags.error(loc, _ALIAS_MESSAGE)
        return YNode(None, loc)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, YNode] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                diags.error(Location(display, key_node.start_mark.line + 1), "a key must be a plain word")
                continue
            key = key_node.value  # raw: `no:` stays "no", not False
            if key in result:
                diags.error(Location(display, key_node.start_mark.line + 1), f"duplicate key '{key}'")
                continue
            child = _convert(value_node, loader, display, diags, seen)
            child.key_loc = Location(display, key_node.start_mark.line + 1)
            result[key] = child
        return YNode(result, loc)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(item, loader, display, diags, seen) for item in node.value], loc)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return YNode(value, loc, raw=node.value if isinstance(node.value, str) else None)
