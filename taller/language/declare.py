"""Declaring a language in `curriculum.yaml` by editing its text, never by rewriting it:
the editors' comments, quotes and order stay as they wrote them.

The file is read by PyYAML's composer for the places of `languages:`,
`languages_in_progress:` and `language_names:`; an item is added where the list or mapping
ends, in its own style (`[es, en]` or one `- es` line per item), and a missing key gets one
line after `languages:`. The result is read back: if it does not say what was meant (an
unusual layout), nothing is written and the editor is told what to add by hand.
"""

from __future__ import annotations

import json

import yaml

from ..messages import _

# The comments the new keys get, for whoever opens the file next.
_IN_PROGRESS_NOTE = "  # still being translated: see content/README.md, \"Adding a language\""
_NAMES_NOTE = "  # what the language chooser calls each language"


class DeclareError(Exception):
    """The file's layout is not one this editor can add to: the editor adds it by hand."""


def declare(text: str, lang: str, name: str, in_progress: bool = True) -> str:
    """`curriculum.yaml`'s `text` with `lang` declared: in `languages`, in
    `languages_in_progress` (when `in_progress`) and named `name` in `language_names`.
    What is already there is left as it is."""
    new = text if text.endswith("\n") else text + "\n"
    new = _add_to_list(new, "languages", lang, after=None)
    if in_progress:
        new = _add_to_list(new, "languages_in_progress", lang, after="languages", note=_IN_PROGRESS_NOTE)
    if name:
        new = _add_to_map(new, "language_names", lang, json.dumps(name, ensure_ascii=False),
                          after="languages_in_progress" if in_progress else "languages", note=_NAMES_NOTE)
    _verify(new, lang, name, in_progress)
    return new


def _top(text: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise DeclareError(_("curriculum.yaml cannot be read: {problem}").format(problem=exc)) from None
    if not isinstance(root, yaml.MappingNode):
        raise DeclareError(_("curriculum.yaml is not a mapping of `key: value` lines"))
    return {key.value: (key, value) for key, value in root.value if isinstance(key, yaml.ScalarNode)}


def _line_end(text: str, line: int) -> int:
    """The offset just after the newline that ends 0-based line `line`."""
    offset = 0
    for _number in range(line + 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _last_line(node: yaml.Node) -> int:
    """The 0-based line a node's text ends on (a block list ends on its last item's line)."""
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last)
    return node.end_mark.line if node.end_mark.column or node.end_mark.line == node.start_mark.line else node.end_mark.line - 1


def _insert_line(text: str, after: str | None, line: str) -> str:
    """`line` added as a line of its own after the top-level key `after`'s value."""
    found = _top(text)
    if after not in found:
        after = "languages"
    key, value = found[after]
    at = _line_end(text, max(_last_line(value), key.start_mark.line))
    return text[:at] + line + "\n" + text[at:]


def _add_to_list(text: str, key: str, item: str, after: str | None, note: str = "") -> str:
    found = _top(text)
    if key not in found:
        if after is None:
            raise DeclareError(_("curriculum.yaml has no `{key}:` list").format(key=key))
        return _insert_line(text, after, f"{key}: [{item}]{note}")
    _key, node = found[key]
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):  # `key:`, `key: ~`: no list yet
        if node.value:
            return text[:node.start_mark.index] + f"[{item}]" + text[node.end_mark.index:]
        colon = text.index(":", _key.end_mark.index) + 1
        return text[:colon] + f" [{item}]" + text[colon:]
    if not isinstance(node, yaml.SequenceNode):
        raise DeclareError(_("`{key}:` in curriculum.yaml is not a list").format(key=key))
    if any(isinstance(n, yaml.ScalarNode) and n.value == item for n in node.value):
        return text
    if node.flow_style:
        close = node.end_mark.index - 1  # the `]`
        return text[:close] + (", " if node.value else "") + item + text[close:]
    last = node.value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    prefix = text[line_start:last.start_mark.index]  # "  - "
    at = _line_end(text, _last_line(last))
    return text[:at] + prefix + item + "\n" + text[at:]


def _add_to_map(text: str, key: str, name: str, value: str, after: str, note: str = "") -> str:
    found = _top(text)
    if key not in found:
        return _insert_line(text, after, f"{key}: {{{name}: {value}}}{note}")
    _key, node = found[key]
    if not isinstance(node, yaml.MappingNode):
        raise DeclareError(_("`{key}:` in curriculum.yaml is not a mapping").format(key=key))
    if any(k.value == name for k, _v in node.value):
        return text
    if node.flow_style:
        close = node.end_mark.index - 1  # the `}`
        return text[:close] + (", " if node.value else "") + f"{name}: {value}" + text[close:]
    first_key = node.value[0][0]
    line_start = text.rfind("\n", 0, first_key.start_mark.index) + 1
    indent = text[line_start:first_key.start_mark.index]
    at = _line_end(text, _last_line(node))
    return text[:at] + f"{indent}{name}: {value}\n" + text[at:]


def _verify(text: str, lang: str, name: str, in_progress: bool) -> None:
    """Read the edited file back: it must say exactly what was meant."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DeclareError(_("the edited curriculum.yaml would not read: {problem}").format(problem=exc)) from None
    ok = (isinstance(data, dict) and lang in (data.get("languages") or [])
          and (not in_progress or lang in (data.get("languages_in_progress") or []))
          and (not name or (data.get("language_names") or {}).get(lang) is not None))
    if not ok:
        raise DeclareError(_("could not add '{lang}' to curriculum.yaml's layout").format(lang=lang))
