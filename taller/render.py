"""Render: Jinja2 templates → HTML, one template per artifact kind.

Autoescape is on and undefined names are errors; content text is only ever passed as data
(never compiled as a template), so `{{ }}` in content prints literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import editions, kindviews, markup
from .artifacts import KINDS, Artifact, BookParts
from .i18n import long_date, translations
from .model import Curriculum
from .paths import TEMPLATES
from .translation import pending_mark
from .views import LanguageView

PAPER = {"a4": "A4", "letter": "letter"}
# Half of the sheet, for booklet pages: two fit side by side on one sheet.
HALF = {"a4": "A5", "letter": "5.5in 8.5in"}


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
    start: str = "09:00"
    participants: tuple[str, ...] = ()  # names for certificates only; never logged or cached
    edition: str = "full"  # or "no-contacts"; the organisation's own setting may also ask for it


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
            self.gettext[lang] = translations(self.options.content, lang)
            env.install_gettext_translations(self.gettext[lang], newstyle=True)
            env.filters["md"] = markup.block
            env.filters["mdi"] = markup.inline
            env.filters["longdate"] = lambda value: long_date(value, lang)
            self._envs[lang] = env
        return self._envs[lang]

    def book_parts(self, book: Artifact) -> BookParts:
        """What the manual is made of: front, each module's guide (the same HTML as the
        guide artifact, so its layout serves both), appendices."""
        modules = tuple(m.id for m in self.cur.modules)
        guides = tuple(self.html(Artifact(KINDS["guide"], book.lang, module=m)) for m in modules)
        return BookParts(self.html(book, part="front"), modules, guides, self.html(book, part="back"))

    def html(self, artifact: Artifact, assets: str = "", part: str = "whole") -> str:
        """The HTML of one artifact; `assets` is the relative path to the stylesheets for
        the offline HTML edition (empty for PDFs, whose base URL is templates/). `part`
        is for the manual: "front", "back", or the "whole" manual as one document."""
        view = LanguageView(self.cur, artifact.lang, self.options.start,
                            pending_mark(self.options.content, artifact.lang))
        other_lang = next((lang for lang in self.cur.languages if lang != artifact.lang), None)
        other = (LanguageView(self.cur, other_lang, self.options.start, pending_mark(self.options.content, other_lang))
                 if other_lang else None)
        org = self.cur.orgs.get(self.options.org)
        context = {
            "assets": assets,
            "lang": artifact.lang,
            "other_lang": other_lang or artifact.lang,
            "kind": artifact.kind.name,
            "variant": artifact.variant.name or "",
            "css_class": artifact.variant.css_class,
            "paper": HALF[self.options.paper] if artifact.variant.page_size == "half" else PAPER[self.options.paper],
            "sheet": PAPER[self.options.paper],
            "curriculum": view.curriculum(),
            "edition": {"version": self.cur.version, "date": self.cur.edition_date, "lang": artifact.lang.upper()},
            # The edition only acts through this view, so it shows in the HTML the render cache keys on.
            "org": editions.apply(view.org(org), editions.effective(self.options.edition, org)) if org else None,
        }
        if artifact.module:
            context["module"] = view.module(self.cur.module(artifact.module))
        if artifact.track:
            track = next(t for t in self.cur.tracks if t.id == artifact.track)
            context["workshop"] = kindviews.workshop(view, track, self.options.start)
            context["participants"] = list(self.options.participants) or [""]
        name = artifact.kind.name
        if name == "glossary":
            context["glossary"] = kindviews.glossary(view, other)
        elif name == "card":
            context["card"] = kindviews.card(view)
            from .imposition import card_grid

            context["crop_marks"] = card_grid(PAPER[self.options.paper]).crop_marks()
        elif name == "incident-form":
            context["form"] = kindviews.incident_form(view)
        elif name == "book":
            context["book"] = kindviews.book(view, other)
            context["part"] = part
        return self.env(artifact.lang).get_template(artifact.kind.template).render(context)
