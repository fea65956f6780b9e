"""What a kind of material is: everything the pipeline asks of it, declared in one object.

Each kind lives in its own module of this package (`kinds/card.py` and so on) with its
template in `templates/`; nothing outside the kind's own module branches on its name. The
pipeline, the offline edition, `plan` and `watch` only read the fields below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..render.html import KindContext, Renderer

# Scopes: one output per module, per language, or per workshop track.
MODULE, LANGUAGE, TRACK = "module", "language", "track"


@dataclass(frozen=True)
class Variant:
    """How one form of a kind is made."""

    name: str | None = None       # in the file name and the manifest; None: the plain form
    label: str = ""               # for the index, an interface msgid (N_)
    page_size: str | None = None  # "half": half the sheet (booklet pages, A5 on A4)
    css_class: str = ""           # e.g. "large-print": 16 pt and more
    forms: bool = False           # fillable PDF fields
    impose: str | None = None     # "booklet" or "cards": pages laid out on sheets (render/imposition.py)
    fixed_faces: bool = False     # each `.face` must fill one page: a text that spills is an error naming it


PLAIN = Variant()


@dataclass(frozen=True)
class PrintRule:
    """What `plan` lists for a workshop: copies of the plain form, and how it is printed."""

    copies: Callable[[int, int], int]  # (participants, facilitators) → copies
    one_sided: bool = False            # certificates; everything else is printed double-sided
    modules: tuple[str, ...] = ()      # only for a workshop with one of these modules (); () for every workshop


@dataclass(frozen=True)
class Kind:
    """A kind of output, declared once (its name is fixed: other tools rely on it)."""

    name: str
    template: str
    scope: str
    label: str                                        # for the index, an interface msgid (N_)
    variants: tuple[Variant, ...] = (PLAIN,)
    folder: str = ""                                  # per-module kinds: their folder under <lang>/
    suffix: str = ".pdf"
    # The kind's own template data, beside what every template gets (the language, the
    # organisation, the module of a per-module kind, the workshop of a per-track kind).
    view: Callable[[KindContext], dict[str, Any]] | None = None
    # How its document is made from HTML; None: one page of HTML (render.sources.Page).
    source: Callable[[Renderer, Artifact, bool], Any] | None = None
    personal: bool = False      # may carry participants' names: never cached, kept as HTML, previewed or zipped
    html_edition: bool = False  # its plain form is also a page of the offline edition
    offline: bool = True        # in the offline edition's index and zips (False: the lawyer's review packet)
    print_rule: PrintRule | None = None  # None: not printed for a workshop by `plan`
    spans_modules: bool = False  # made of every module: an edit to any module affects it (watch)
    first_look: bool = False     # watch rebuilds and announces its plain form first


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
        suffix = (f".{self.variant.name}" if self.variant.name else "") + self.kind.suffix
        if self.kind.scope == MODULE:
            return f"{self.lang}/{self.kind.folder}/{self.module}{suffix}"
        if self.kind.scope == TRACK:
            return f"{self.lang}/workshops/{self.track}/{self.kind.name}{suffix}"
        return f"{self.lang}/{self.kind.name}{suffix}"

    @property
    def stem(self) -> str:
        """The path without its suffix, for the files made beside it (kept HTML, pages)."""
        return self.path[: -len(self.kind.suffix)]


def plan(cur: Curriculum, langs: list[str], kinds: list[Kind]) -> list[Artifact]:
    """Every artifact a build makes, in a stable order."""
    artifacts = []
    for lang in langs:
        for kind in kinds:
            for variant in kind.variants:
                if kind.scope == MODULE:
                    artifacts.extend(Artifact(kind, lang, module=m.id, variant=variant) for m in cur.modules)
                elif kind.scope == TRACK:
                    artifacts.extend(Artifact(kind, lang, track=t.id, variant=variant) for t in cur.tracks)
                else:
                    artifacts.append(Artifact(kind, lang, variant=variant))
    return artifacts


def printed_for(cur: Curriculum, track_id: str, lang: str, kinds: list[Kind]) -> list[Artifact]:
    """What a workshop of one track prints, in one language: the plain form of every kind
    with a print rule, for the track's modules and for the track itself."""
    track = next(t for t in cur.tracks if t.id == track_id)
    modules = [m for m, _ in track.modules]
    printed = []
    for kind in (k for k in kinds if k.print_rule is not None):
        if kind.print_rule.modules and not set(kind.print_rule.modules) & set(modules):
            continue
        if kind.scope == MODULE:
            printed += [Artifact(kind, lang, module=m) for m in modules]
        elif kind.scope == TRACK:
            printed.append(Artifact(kind, lang, track=track.id))
        else:
            printed.append(Artifact(kind, lang))
    return printed
