"""What a YAML syntax error means for the person who made it, told at the line to change.

PyYAML says where its parser gave up, in its own terms ("found character that cannot
start any token", "mapping values are not allowed in this context"), often a line after
the real mistake. The three mistakes people make most in these files are a tab, a colon
followed by a space inside a text, and a line indented wrong. A tab is seen directly. The
other two are found by trying the fix: the text put in double quotes, or one line moved to
the indentation of the lines around it; a fix that makes the whole file parse names the
line that was wrong and what to do. When no single fix does, PyYAML's words are kept.
"""

from __future__ import annotations

import re

import yaml

from ..messages import _

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# How far above the line PyYAML names a wrong line may be: a key indented too little can
# close a block that PyYAML only finds broken several lines later.
_LOOK_BACK = 15
# A key as content files write them (`title:`, `knowledge:`): a word, no spaces. Text
# before a colon that has spaces is a sentence, not a key.
_KEY = re.compile(r"([A-Za-z0-9_.-]+:)\s+(.*)$")


def explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line to point at (1-based) and the message for the syntax error `exc` in `text`."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is None:
        return 0, _("YAML syntax error: {problem}").format(problem=one_line(problem))
    lines = text.split("\n")
    return _tab(lines, mark) or _repair(lines, exc, mark.line) or (
        mark.line + 1, _("YAML syntax error: {problem}").format(problem=one_line(problem)))


def one_line(message: str) -> str:
    """PyYAML messages may span lines; a diagnostic is one line."""
    return " ".join(str(message).split())


def _tab(lines: list[str], mark) -> tuple[int, str] | None:
    """A tab on the line PyYAML stopped at, before the place it stopped (YAML allows none in
    indentation, and none between a `-` and its item)."""
    line = lines[mark.line] if mark.line < len(lines) else ""
    column = line.find("\t")
    if column == -1 or column > mark.column:
        return None
    return mark.line + 1, _("a tab character (column {column}): YAML files are indented with spaces only; "
                            "use spaces instead of the tab").format(column=column + 1)


def _repair(lines: list[str], exc: yaml.MarkedYAMLError, at: int) -> tuple[int, str] | None:
    """The one-line fix that makes the file parse, as a diagnostic; None when there is none."""
    quoted = _quoted(lines[at]) if at < len(lines) else None
    if quoted is not None:
        outcome = _parse_with(lines, at, quoted)
        if outcome is None or (exc.problem or "").startswith("mapping values") and outcome > at:
            return at + 1, _("a colon followed by a space inside a text: put the text in double quotes, "
                             "like this: {line}").format(line=quoted.strip())
    first = exc.context_mark.line if exc.context_mark is not None and exc.context_mark.line <= at else at
    first = max(0, min(first, at - 3), at - _LOOK_BACK)
    # Each fix that makes the file parse, scored: first the one that keeps the most of the
    # file as keys and items, then by where the line belongs, then the nearest. (A line
    # moved into a `|` text above it "parses" too, swallowing every line after it: a fix
    # only counts when the moved line is still a key or an item.)
    fixes = []
    for number in range(at, first - 1, -1):
        if number >= len(lines) or not lines[number].strip() or lines[number].lstrip().startswith("#"):
            continue
        for rank, spaces in _indentations(lines, number):
            nodes = _parse_with(lines, number, " " * spaces + lines[number].lstrip(" "), count=True)
            if nodes is not None:
                fixes.append(((-nodes, rank, at - number), number, spaces))
    if not fixes:
        return None
    score, number, _spaces = min(fixes)
    needed = sorted({spaces for other, line, spaces in fixes if line == number and other[0] == score[0]})
    found = _indent(lines[number])
    if len(needed) == 1:
        return number + 1, _("this line is indented {found} spaces; indent it {needed} spaces, to line up with "
                             "the lines it belongs with").format(found=found, needed=needed[0])
    return number + 1, _("this line is indented {found} spaces, which does not line up with the lines around it: "
                         "give it as many spaces as the lines it belongs with").format(found=found)


def _quoted(line: str) -> str | None:
    """`line` with its text in double quotes, when the text has `: ` in it and no quotes yet."""
    lead = re.match(r"\s*(?:-\s+)*", line).group(0)
    rest = line[len(lead):].rstrip()
    key = ""
    match = _KEY.match(rest)
    if match:
        key, rest = match.group(1) + " ", match.group(2)
    if ": " not in rest or rest[:1] in "\"'[{|>&*!":
        return None
    return lead + key + '"' + rest.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indentations(lines: list[str], number: int) -> list[tuple[int, int]]:
    """Where line `number` could belong, best first: (0) with the line above it, (1) with a
    line it could be inside of, further up, (2) with the line below it."""
    own = _indent(lines[number])
    written = [(n, _indent(lines[n])) for n in range(len(lines))
               if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    above = [spaces for n, spaces in written if n < number]
    below = [spaces for n, spaces in written if n > number]
    found = []
    if above:
        found.append((0, above[-1]))
    enclosing = own
    for spaces in reversed(above):
        if spaces < enclosing:
            found.append((1, spaces))
            enclosing = spaces
    if below:
        found.append((2, below[0]))
    return [(rank, spaces) for rank, spaces in found if spaces != own]


def _parse_with(lines: list[str], number: int, new: str, count: bool = False) -> int | None:
    """The file with line `number` replaced by `new`: None when it parses, else the 0-based
    line of its first error. With `count`, the other way round: how many keys and items
    it parses into, None when it does not parse."""
    loader = _Loader("\n".join(lines[:number] + [new] + lines[number + 1:]))
    try:
        node = loader.get_single_node()
        if not count:
            return None
        starts: set[int] = set()
        size = _size(node, starts)
        # The moved line must still be a key or an item of its own, not swallowed into a text.
        return size if number in starts else None
    except yaml.MarkedYAMLError as exc:
        if count:
            return None
        mark = exc.problem_mark or exc.context_mark
        return mark.line if mark else -1
    except yaml.YAMLError:
        return None if count else -1
    finally:
        loader.dispose()


def _size(node, starts: set[int]) -> int:
    """How many nodes a composed document has; `starts` gets the line each begins on."""
    starts.add(node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        return 1 + sum(_size(key, starts) + _size(value, starts) for key, value in node.value)
    if isinstance(node, yaml.SequenceNode):
        return 1 + sum(_size(item, starts) for item in node.value)
    return 1
