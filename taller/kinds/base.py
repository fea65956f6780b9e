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
    from ..content.load import ContentFolder
    from ..content.model import Curriculum
    from ..diagnostics import Diagnostics
    from ..incremental.folder import CacheFolder
    from ..render.html import KindContext, Renderer
    from ..render.weasy import Rendered

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
class File:
    """One file a kind makes from its rendered document, when the document is not the output
    itself (`Kind.files`: the share images, one PNG a page)."""

    path: str           # relative to OUT, e.g. `es/share/card-front.png`
    data: bytes
    pages: int = 1      # for the manifest: a picture of one page (0: a sound)
    # Made by this build, not taken from the cache (the summary counts it as rendered);
    # None: as its rendering was (the audio, whose files are the rendering itself).
    fresh: bool | None = True
    duration: float | None = None  # seconds, for a sound (the manifest's `duration`)


@dataclass(frozen=True)
class Kind:
    """A kind of output, declared once (its name is fixed: other tools rely on it)."""

    name: str
    template: str
    scope: str
    label: str                                        # for the index, an interface msgid (N_)
    variants: tuple[Variant, ...] = (PLAIN,)
    folder: str = ""                                  # per-module kinds and named artifacts: their folder under <lang>/
    suffix: str = ".pdf"
    # The kind's own template data, beside what every template gets (the language, the
    # organisation, the module of a per-module kind, the workshop of a per-track kind).
    view: Callable[[KindContext], dict[str, Any]] | None = None
    # How its document is made from HTML; None: one page of HTML (render.sources.Page). A
    # source that is not HTML (the audio's `render.speech.Speech`) gives its own render job
    # (`job()`, render/jobs.py) and its rendering is what the kind's `files` unpack.
    source: Callable[[Renderer, Artifact, bool], Any] | None = None
    personal: bool = False      # may carry participants' names: never cached, kept as HTML, previewed or zipped
    html_edition: bool = False  # its plain form is also a page of the offline edition
    offline: bool = True        # in the offline edition's index and zips (False: the lawyer's review packet)
    # Whom it is for. On the offline edition's index a participant's material comes first in
    # its module, "read on screen" its main link; a facilitator's comes after.
    for_participants: bool = False
    # The material one of its artifacts is another form of (the share images of a handout,
    # its audio), for the offline edition: listed beside that material on the index, its
    # players on that material's page. None: a material of its own.
    of: Callable[[Artifact], Artifact] | None = None
    print_rule: PrintRule | None = None  # None: not printed for a workshop by `plan`
    spans_modules: bool = False  # made of every module: an edit to any module affects it (watch)
    first_look: bool = False     # watch rebuilds and announces its plain form first
    # Its artifacts in one language, when no scope fits (the share images: one for each
    # module's handout and one for the card); None: one per module, language or track, by
    # `scope`, for each variant. Give each an `Artifact.name`, and a `module` for what an
    # edit to that module must rebuild (watch).
    artifacts: Callable[[Curriculum, str], list[Artifact]] | None = None
    # Its files from its rendered document, when they are not the PDF (pages as PNGs), each
    # its own manifest entry; given the artifact, its rendering, the cache folder and the
    # set to add the names of the cache entries it used to (kept by a full build). None:
    # the PDF is the output.
    files: Callable[[Artifact, Rendered, CacheFolder, set[str]], list[File]] | None = None
    # The outputs its document lists with their pages (the print plan: what a workshop
    # prints), for one of its artifacts; None: it lists none. Such a kind is one page of
    # HTML made after the others: its view gets `ctx.extra["listed"]` (output/printplan.py
    # `Listed`: title, pages, sheet), the pipeline rendering what this build did not make.
    lists: Callable[[Curriculum, Artifact], list[Artifact]] | None = None
    # Its own checks of content files only it reads (the audio's recordings), made before
    # anything is rendered, so a bad one stops the build before a byte is written: given
    # the renderer, the content folder, this build's artifacts of the kind and the
    # diagnostics. None: it reads nothing the common checks do not.
    check: Callable[[Renderer, ContentFolder, list[Artifact], Diagnostics], None] | None = None


@dataclass(frozen=True)
class Artifact:
    """One output file to make: a kind and variant, in a language, maybe for a module or track."""

    kind: Kind
    lang: str
    module: str | None = None
    track: str | None = None
    variant: Variant = PLAIN
    name: str | None = None  # an artifact its kind lists itself (Kind.artifacts): its name in the kind's folder

    @property
    def path(self) -> str:
        """Path relative to the output folder, e.g. `es/handouts/documenting.booklet.pdf`."""
        suffix = (f".{self.variant.name}" if self.variant.name else "") + self.kind.suffix
        if self.name is not None:
            return f"{self.lang}/{self.kind.folder}/{self.name}{suffix}"
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
            if kind.artifacts is not None:
                artifacts.extend(kind.artifacts(cur, lang))
                continue
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
        # The plain form as the build makes it (the card's is imposed eight to a sheet).
        plain = next((v for v in kind.variants if v.name is None), PLAIN)
        if kind.scope == MODULE:
            printed += [Artifact(kind, lang, module=m, variant=plain) for m in modules]
        elif kind.scope == TRACK:
            printed.append(Artifact(kind, lang, track=track.id, variant=plain))
        else:
            printed.append(Artifact(kind, lang, variant=plain))
    return printed
