"""What a command can be asked to do: the options of a build, typed, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import cache_root
from .progress import SILENT, Progress

if TYPE_CHECKING:
    from .kinds.base import Artifact


@dataclass
class Options:
    """Everything the command line can set for a build."""

    content: Path
    content_display: str
    out: Path
    langs: list[str] | None = None  # None: every language the curriculum declares
    kinds: list[str] | None = None  # None: every kind
    org: str | None = None
    paper: str = "a4"
    jobs: int = 1
    keep_html: bool = False
    start: str | None = None  # None: the track's or the curriculum's `start`, else 09:00
    participants: Path | None = None
    select: Callable[[Artifact], bool] | None = None  # watch mode: only what the edited files affect
    strict: bool = False
    edition: str = "full"  # "no-contacts": no organisation name, logo or contact values (views/editions.py)
    cache: Path | None = None  # None: `.taller-cache/` beside the content folder (or $TALLER_CACHE)
    force: bool = False  # overwrite files in OUT that no build of this program wrote
    workshop: tuple[int, int] | None = None  # `plan`: the participants and facilitators its print plan is for
    progress: Progress = SILENT  # how the build shows its phases (a bar, a line each, nothing): progress.py

    @property
    def cache_dir(self) -> Path:
        """Where this build's cache lives."""
        return self.cache if self.cache is not None else cache_root(self.content)

    @property
    def every_kind(self) -> bool:
        """The build makes every kind (of the languages it makes): the offline edition too."""
        return self.kinds is None and self.select is None

    @property
    def everything(self) -> bool:
        """The build makes every output of the curriculum: it knows every live cache entry."""
        return self.every_kind and self.langs is None
