"""Typed access to a YAML mapping: each field read is checked; leftovers are unknown keys."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .suggest import accents
from .yamlsrc import YNode

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Fields:
    """Reads the fields of one mapping and reports wrong types, missing and unknown keys."""

    def __init__(self, node: YNode | None, diags: Diagnostics, what: str):
        self.diags = diags
        self.what = what
        self.ok = node is not None and node.is_map
        self.source = node
        self.map: dict[str, YNode] = node.value if self.ok else {}
        self.seen: set[str] = set()
        if node is not None and not node.is_map:
            diags.error(node.loc, _("{what} must be a mapping of `key: value` lines").format(what=what))

    @property
    def loc(self) -> Location:
        return self.source.where if self.source is not None else Location("")

    def _get(self, key: str, required: bool) -> YNode | None:
        self.seen.add(key)
        node = self.map.get(key)
        if node is None or (node.value is None and required):
            if required and self.ok:
                where = node.where if node is not None else self.loc
                self.diags.error(where, _("{what}: missing '{key}'").format(what=self.what, key=key))
            return None
        if node.value is None:
            return None
        return node

    def str(self, key: str, required: bool = True, default: str = "") -> str:
        """A text field; numbers and dates are kept as written."""
        node = self._get(key, required)
        if node is None:
            return default
        if node.is_map or node.is_list:
            self.diags.error(node.where, _("{what}: '{key}' must be text").format(what=self.what, key=key))
            return default
        return node.text() or default

    def id(self, key: str = "id") -> str:
        """An identifier: lower case words joined by hyphens."""
        value = self.str(key)
        if value and not ID_RE.match(value):
            self.diags.error(self.map[key].where, _("{what}: '{value}' is not a valid id (use lower case letters, "
                                                    "digits and '-')").format(what=self.what, value=value) + accents(value))
        return value

    def int(self, key: str, required: bool = True, minimum: int = 0) -> int:
        """A whole number, at least `minimum`."""
        node = self._get(key, required)
        if node is None:
            return 0
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            self.diags.error(node.where, _("{what}: '{key}' must be a whole number, not '{value}'").format(
                what=self.what, key=key, value=node.text() or "..."))
            return 0
        if node.value < minimum:
            self.diags.error(node.where, _("{what}: '{key}' must be at least {minimum}").format(
                what=self.what, key=key, minimum=minimum))
            return 0
        return node.value

    def date(self, key: str, required: bool = True) -> dt.date | None:
        """A date written as YYYY-MM-DD."""
        node = self._get(key, required)
        if node is None:
            return None
        if isinstance(node.value, dt.datetime) or not isinstance(node.value, dt.date):
            self.diags.error(node.where, _("{what}: '{key}' must be a date written YYYY-MM-DD").format(
                what=self.what, key=key))
            return None
        return node.value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True, default: str = "") -> str:
        """Text that must be one of `choices` (`default` when optional and not given)."""
        value = self.str(key, required=required, default=default)
        if value and value not in choices:
            self.diags.error(self.map[key].where, _("{what}: '{key}' must be one of {choices}; not '{value}'").format(
                what=self.what, key=key, choices=", ".join(choices), value=value))
            return ""
        return value

    def _items(self, key: str, required: bool, example: str = "") -> list[YNode]:
        """The items of a list value (none, and an error, when the value is not a list)."""
        node = self._get(key, required)
        if node is None:
            return []
        if not node.is_list:
            self.diags.error(node.where, _("{what}: '{key}' must be a list{example}").format(
                what=self.what, key=key, example=example))
            return []
        return node.value

    def ids(self, key: str, required: bool = False) -> list[tuple[str, Location]]:
        """A list of ids, each with its own line (so a dangling reference is pinpointed)."""
        out = []
        for item in self._items(key, required, _(", such as [a, b]")):
            text = item.text()
            if not text or item.is_map or item.is_list:
                self.diags.error(item.loc, _("{what}: every item of '{key}' must be an id").format(
                    what=self.what, key=key))
                continue
            out.append((text, item.loc))
        return out

    def list(self, key: str, required: bool = True) -> list[YNode]:
        """A list of nodes (for lists of mappings)."""
        return self._items(key, required)

    def each(self, key: str, what: str, required: bool = True) -> Iterator[Fields]:
        """The fields of each mapping in the list `key`, one `what` at a time; an item that
        is not a mapping is reported and skipped, and unknown keys of each are reported once
        the caller has read the ones it knows."""
        for node in self.list(key, required):
            item = Fields(node, self.diags, what)
            if item.ok:
                yield item
                item.done()

    def node(self, key: str, required: bool = True) -> YNode | None:
        """A raw sub-node (a nested mapping)."""
        return self._get(key, required)

    def done(self) -> None:
        """Report every key that no field read: unknown keys are errors, never ignored."""
        for key, node in self.map.items():
            if key not in self.seen:
                self.diags.error(node.where, _("{what}: unknown key '{key}'").format(what=self.what, key=key))
