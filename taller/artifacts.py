"""The artifact registry: each kind is one entry (template, scope, variants).

A new kind joins with one entry here and one template in `templates/`. A variant is a
form of the same kind: laid out differently (`large-print`), imposed after rendering
(`booklet`), or with fillable fields (`fillable`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Curriculum  # light: dataclasses only

# Scopes: one output per module, per language, or per workshop track.
MODULE, LANGUAGE, TRACK = "module", "language", "track"


@dataclass(frozen=True)
class Variant:
    """How one form of a kind is made."""

    name: str | None = None
    page_size: str | None = None  # "half": half the sheet (booklet pages, A5 on A4)
    css_class: str = ""           # e.g. "large-print": 16 pt and more
    forms: bool = False           # fillable PDF fields
    impose: str | None = None     # "booklet" or "cards": pages re-arranged on sheets with pypdf


@dataclass(frozen=True)
class Kind:
    """A kind of output (DESIGN.md names them)."""

    name: str
    template: str
    scope: str
    variants: tuple[Variant, ...] = (Variant(),)
    folder: str = ""


PLAIN = Variant()
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("handout", "handout.html.j2", MODULE, (PLAIN, Variant("booklet", page_size="half", impose="booklet"),
                                                    Variant("large-print", css_class="large-print")), "handouts"),
        Kind("guide", "guide.html.j2", MODULE, folder="guides"),
        Kind("card", "card.html.j2", LANGUAGE, (Variant(impose="cards"), Variant("large-print", css_class="large-print"))),
        Kind("incident-form", "incident-form.html.j2", LANGUAGE, (PLAIN, Variant("fillable", forms=True))),
        Kind("glossary", "glossary.html.j2", LANGUAGE),
        Kind("book", "book.html.j2", LANGUAGE),
        Kind("agenda", "agenda.html.j2", TRACK),
        Kind("sign-in", "sign-in.html.j2", TRACK),
        Kind("evaluation", "evaluation.html.j2", TRACK),
        Kind("certificate", "certificate.html.j2", TRACK),
    )
}


@dataclass(frozen=True)
class Artifact:
    """One output file to make: a kind and variant, in a language, maybe for a module or track."""

    kind: Kind
    lang: str
    module: str | None = None
    track: str | None = None
    variant: Variant = PLAIN

    @property
    def path(self) -> str:
        """Path relative to the output folder, e.g. `es/handouts/documenting.booklet.pdf`."""
        suffix = f".{self.variant.name}" if self.variant.name else ""
        if self.kind.scope == MODULE:
            return f"{self.lang}/{self.kind.folder}/{self.module}{suffix}.pdf"
        if self.kind.scope == TRACK:
            return f"{self.lang}/workshops/{self.track}/{self.kind.name}{suffix}.pdf"
        return f"{self.lang}/{self.kind.name}{suffix}.pdf"


def plan(cur: Curriculum, langs: list[str], kinds: list[str]) -> list[Artifact]:
    """Every artifact a build makes, in a stable order."""
    artifacts = []
    for lang in langs:
        for name in kinds:
            kind = KINDS[name]
            for variant in kind.variants:
                if kind.scope == MODULE:
                    artifacts.extend(Artifact(kind, lang, module=m.id, variant=variant) for m in cur.modules)
                elif kind.scope == TRACK:
                    artifacts.extend(Artifact(kind, lang, track=t.id, variant=variant) for t in cur.tracks)
                else:
                    artifacts.append(Artifact(kind, lang, variant=variant))
    return artifacts


@dataclass(frozen=True)
class BookParts:
    """The manual's documents, joined page by page after layout (pipeline._book_job)."""

    front: str
    modules: tuple[str, ...]  # module ids, in the order of `guides`
    guides: tuple[str, ...]
    back: str

    def key_text(self) -> str:
        """One text standing for every part, for the render cache key."""
        return "\0".join(("book", self.front, *self.guides, self.back))
