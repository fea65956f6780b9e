"""Diagnostics: content problems with a file and line, collected and shown together."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was written: a display path (as the user gave it) and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, printed as `path:line: level: message`."""

    level: str  # "error" or "warning"
    location: Location | None
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        message = self.message if len(self.message) <= MAX_MESSAGE else self.message[:MAX_MESSAGE] + "…"
        return f"{where}{self.level}: {message}".translate(_CONTROL)


# Messages quote content (keys, values, folder names): a quoted ESC sequence or newline
# must not reach the terminal as such, and a 5000-digit "number" must not fill the screen.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROL.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})  # bidi overrides
MAX_MESSAGE = 500


@dataclass
class Diagnostics:
    """Collects every problem so the user sees all of them in one run (like mkdocs strict)."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def error(self, location: Location | None, message: str) -> None:
        """Record an error."""
        self.add(Diagnostic("error", location, message))

    def warning(self, location: Location | None, message: str) -> None:
        """Record a warning; `--strict` turns warnings into a failing exit."""
        self.add(Diagnostic("warning", location, message))

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic made elsewhere (a `ContentError` caught while rendering)."""
        if diagnostic not in self._seen:  # the same problem found twice is shown once
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in file and line order, so output is stable between runs."""
        return sorted(self.items, key=lambda d: (d.location or Location(""), d.level, d.message))


class ContentError(Exception):
    """A content problem found while rendering (after validation), with its location."""

    def __init__(self, location: Location | None, message: str):
        super().__init__(message)
        self.location = location
        self.message = message

    def diagnostic(self) -> Diagnostic:
        return Diagnostic("error", self.location, self.message)
