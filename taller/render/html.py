"""Render: Jinja2 templates → HTML, one template per artifact kind.

Autoescape is on and undefined names are errors; content text is only ever passed as data
(never compiled as a template), so `{{ }}` in content prints literally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..content.model import Curriculum
from ..language.catalogs import long_date, pending_mark, translations
from ..paths import TEMPLATES
from ..views import markup
from ..views.base import LanguageView
from ..views.editions import apply, effective
from ..views.workshop import workshop
from . import stylesheets
from .sheets import HALF, PAPER
from .sources import Page

if TYPE_CHECKING:
    from ..kinds.base import Artifact


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process: each watch-mode rebuild makes a
    new Renderer, and compiling every template again cost a tenth of a second a save.
    Jinja checks each template's source checksum, so an edited template is compiled anew."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


@dataclass(frozen=True)
class RenderOptions:
    """What besides content changes the HTML."""

    content: Path
    org: str
    paper: str = "a4"
    start: str | None = None  # --start; None: the content's own setting (LanguageView.start_for)
    participants: tuple[str, ...] = ()  # names for certificates only; never logged or cached
    edition: str = "full"  # or "no-contacts"; the organisation's own setting may also ask for it


@dataclass
class KindContext:
    """What a kind's view is given: the curriculum in the artifact's language, and more."""

    renderer: Renderer
    artifact: Artifact
    view: LanguageView
    sheet: str  # the CSS size of the sheet (A4, letter)
    extra: dict[str, Any] = field(default_factory=dict)  # what the kind's source asked for

    @cached_property
    def other(self) -> LanguageView | None:
        """The curriculum in the other language of a bilingual material (the glossary): the
        source language beside every translation, and beside the source the first other
        language the curriculum declares (with Spanish and English, each beside the other)."""
        cur, lang = self.renderer.cur, self.artifact.lang
        other = cur.source_language if lang != cur.source_language else next(
            (other for other in cur.languages if other != lang), None)
        return self.renderer.view(other) if other else None


class Renderer:
    """Holds one Jinja environment per language (each with its gettext catalog)."""

    def __init__(self, cur: Curriculum, options: RenderOptions):
        self.cur = cur
        self.options = options
        self._envs: dict[str, Environment] = {}
        self.gettext: dict = {}  # language → translations, for strings made in Python

    def env(self, lang: str) -> Environment:
        if lang not in self._envs:
            env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                              trim_blocks=True, lstrip_blocks=True, bytecode_cache=_BYTECODE)
            self.gettext[lang] = translations(self.options.content, lang, self.cur.source_language)
            env.install_gettext_translations(self.gettext[lang], newstyle=True)
            env.filters["md"] = markup.block
            env.filters["mdi"] = markup.inline
            env.filters["longdate"] = lambda value: long_date(value, lang, self.cur.source_language)
            self._envs[lang] = env
        return self._envs[lang]

    def view(self, lang: str) -> LanguageView:
        """The curriculum seen in `lang`."""
        return LanguageView(self.cur, lang, self.options.start or "",
                            pending_mark(self.options.content, lang, self.cur.source_language))

    def source(self, artifact: Artifact, keep_html: bool = False):
        """What the artifact's render job is given (render/sources.py)."""
        if artifact.kind.source is not None:
            return artifact.kind.source(self, artifact, keep_html)
        return Page(self.html(artifact))

    def html(self, artifact: Artifact, extra: dict[str, Any] | None = None,
             site_nav: dict[str, str] | None = None) -> str:
        """The HTML of one artifact: for its PDF, or with `site_nav` (its links to the index,
        the PDF, the previous and next pages) a page of the offline edition, which carries
        its stylesheets inside it (render/stylesheets.py); `extra` is passed on to the
        kind's view (the manual's `part`)."""
        view = self.view(artifact.lang)
        kind, variant = artifact.kind, artifact.variant
        org = self.cur.orgs.get(self.options.org)
        context = {
            "screen": site_nav is not None,
            "stylesheet": stylesheets.inline if site_nav is not None else stylesheets.linked,
            "site_nav": site_nav,
            "lang": artifact.lang,
            "kind": kind.name,
            "variant": variant.name or "",
            "forms": variant.forms,
            "css_class": variant.css_class,
            "paper": HALF[self.options.paper] if variant.page_size == "half" else PAPER[self.options.paper],
            "sheet": PAPER[self.options.paper],
            "curriculum": view.curriculum(),
            "edition": {"version": self.cur.version, "date": self.cur.edition_date, "lang": artifact.lang.upper()},
            # The edition only acts through this view, so it shows in the HTML the render cache keys on.
            "org": apply(view.org(org), effective(self.options.edition, org)) if org else None,
        }
        if artifact.module:
            context["module"] = view.module(self.cur.module(artifact.module))
        if artifact.track:
            track = next(t for t in self.cur.tracks if t.id == artifact.track)
            context["workshop"] = workshop(view, track)
            # Names only ever reach a kind that declares it carries personal data.
            context["participants"] = list(self.options.participants if kind.personal else ()) or [""]
        if kind.view is not None:
            context.update(kind.view(KindContext(self, artifact, view, PAPER[self.options.paper], extra or {})))
        # A document that prints a pending translation says so once, in its edition line.
        return markup.with_pending_notice(lambda: self.env(artifact.lang).get_template(kind.template).render(context),
                                          view.pending_mark)
