"""Writing a translation file (`qu.yaml`) that a person can go on editing by hand.

`po import` brings texts in from PO files; the file it writes is laid out like the source
file (`es.yaml`): the same nesting and order of keys, two spaces per level, a list item per
line (`- ...`), a text of several lines after `|`, quotes only where YAML needs them. The
translator's comments are kept: every comment line stays above the key it was above (a
comment at the end of a line moves to its own line above that key), and the comments at
the top and the end of the file stay there. Anything else about the old layout (quotes,
flow lists) is not kept: the file is written anew from its texts.
"""

from __future__ import annotations

import json
import re

import yaml

from ..content.texts import TRANSLATED_FROM

Value = str | tuple[str, ...]
_COMMENT = re.compile(r"\s*#")


def key_paths(source_text: str) -> dict[str, tuple[str, ...]]:
    """Each text key of a language file (`sessions.stops.title`) and the mapping keys it is
    made of, in the file's order (as content/texts.py flattens it)."""
    root = yaml.compose(source_text)
    paths: dict[str, tuple[str, ...]] = {}

    def walk(node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if path == () and key.value == TRANSLATED_FROM:
                    continue
                walk(value, (*path, str(key.value)))
        elif path:
            paths[".".join(path)] = path

    if root is not None:
        walk(root, ())
    return paths


def comments(old_text: str) -> tuple[list[str], dict[tuple[str, ...], list[str]], list[str]]:
    """The comment lines of a file: those at its top, those above each key (by its path), and
    those after the last key. A `#` inside a text (a line of a `|` block) is not a comment."""
    lines = old_text.splitlines()
    try:
        root = yaml.compose(old_text)
    except yaml.YAMLError:
        root = None
    if not isinstance(root, yaml.MappingNode):
        return [line for line in lines if _COMMENT.match(line)], {}, []
    keys: list[tuple[int, tuple[str, ...]]] = []  # (0-based line, path) of every key
    inside: set[int] = set()  # lines that belong to a text, not to the layout
    trailing: dict[int, str] = {}  # line → comment written at its end

    def walk(node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys.append((key.start_mark.line, (*path, str(key.value))))
                _end_comment(lines, key.end_mark, trailing, after_colon=True)
                walk(value, (*path, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path)
        elif isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                inside.update(range(node.start_mark.line + 1, node.end_mark.line + (1 if node.end_mark.column else 0)))
            else:
                inside.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
                _end_comment(lines, node.end_mark, trailing)

    walk(root, ())
    keys.sort()
    top: list[str] = []
    above: dict[tuple[str, ...], list[str]] = {}
    pending: list[str] = []
    starts = iter(keys)
    next_key = next(starts, None)
    for number, line in enumerate(lines):
        while next_key is not None and next_key[0] < number:
            next_key = next(starts, None)
        if next_key is not None and next_key[0] == number:
            if number in trailing:
                pending.append(" " * (len(line) - len(line.lstrip())) + trailing[number])
            if pending:
                above.setdefault(next_key[1], []).extend(pending)
                pending = []
            next_key = next(starts, None)
            continue
        if number not in inside and _COMMENT.match(line):
            if not keys or number < keys[0][0]:
                top.append(line)
            else:
                pending.append(line)
    return top, above, pending


def _end_comment(lines: list[str], mark, trailing: dict[int, str], after_colon: bool = False) -> None:
    """The comment at the end of the line `mark` ends a value (or a key) on, if any."""
    if mark.line >= len(lines):
        return
    rest = lines[mark.line][mark.column:]
    if after_colon:
        rest = rest[1:] if rest.startswith(":") else ""
    found = re.match(r"\s+(#.*)$", rest)
    if found:
        trailing[mark.line] = found.group(1)


def render(paths: dict[str, tuple[str, ...]], values: dict[str, Value], old_text: str = "", header: str = "") -> str:
    """The text of a translation file holding `values` (keys in `paths`' order), with the
    comments of `old_text` (or `header` for a file with none)."""
    top, above, end = comments(old_text) if old_text.strip() else (header.splitlines(), {}, [])
    out: list[str] = list(top)
    opened: tuple[str, ...] = ()
    for key, path in paths.items():
        if key not in values:
            continue
        common = 0
        while common < min(len(opened), len(path) - 1) and opened[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):
            out.extend(above.get(path[: depth + 1], []))
            out.append(f"{'  ' * depth}{_key(path[depth])}:")
        opened = path[:-1]
        out.extend(above.get(path, []))
        out.extend(_entry(path, values[key]))
    out.extend(end)
    return "\n".join(out) + "\n"


def _entry(path: tuple[str, ...], value: Value) -> list[str]:
    indent = "  " * (len(path) - 1)
    key = _key(path[-1])
    if isinstance(value, tuple):
        lines = [f"{indent}{key}:"]
        for item in value:
            if "\n" in item:
                lines.append(f"{indent}  - |")
                lines.extend(f"{indent}    {line}" if line else "" for line in item.split("\n"))
            else:
                lines.append(f"{indent}  - {_scalar(item, '- ')}")
        return lines
    if "\n" in value:
        return [f"{indent}{key}: |", *(f"{indent}  {line}" if line else "" for line in value.split("\n"))]
    return [f"{indent}{key}: {_scalar(value, 'k: ')}"]


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", key) else json.dumps(key, ensure_ascii=False)


def _scalar(text: str, context: str) -> str:
    """`text` as YAML writes it after `context` (`k: ` or `- `): plain when YAML reads it
    back as the same text, in double quotes otherwise (`Sí: ...`, `yes`, `1.0`, `#...`)."""
    try:
        read = yaml.safe_load(context + text)
    except yaml.YAMLError:
        read = None
    expected = {"k": text} if context == "k: " else [text]
    if read == expected and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)
