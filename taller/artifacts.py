"""The artifact registry: each kind is one entry (template, output folder, per module or not).

A new kind joins with one entry here and one template in `templates/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Curriculum


@dataclass(frozen=True)
class Kind:
    """A kind of output (DESIGN.md names them)."""

    name: str
    template: str
    folder: str
    per_module: bool


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("handout", "handout.html.j2", "handouts", per_module=True),
        Kind("guide", "guide.html.j2", "guides", per_module=True),
    )
}


@dataclass(frozen=True)
class Artifact:
    """One output file to make: a kind, in a language, maybe for one module."""

    kind: Kind
    lang: str
    module: str | None
    variant: str | None = None

    @property
    def path(self) -> str:
        """Path relative to the output folder, e.g. `es/handouts/documenting.pdf`."""
        stem = self.module or self.kind.name
        suffix = f".{self.variant}" if self.variant else ""
        return f"{self.lang}/{self.kind.folder}/{stem}{suffix}.pdf"


def plan(cur: Curriculum, langs: list[str], kinds: list[str]) -> list[Artifact]:
    """Every artifact a build makes, in a stable order."""
    artifacts = []
    for lang in langs:
        for name in kinds:
            kind = KINDS[name]
            if kind.per_module:
                artifacts.extend(Artifact(kind, lang, m.id) for m in cur.modules)
            else:
                artifacts.append(Artifact(kind, lang, None))
    return artifacts
