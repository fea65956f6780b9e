"""Render: Jinja2 templates → HTML, one template per artifact kind.

Autoescape is on and undefined names are errors; content text is only ever passed as data
(never compiled as a template), so `{{ }}` in content prints literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import markup
from .artifacts import Artifact
from .i18n import long_date, translations
from .model import Curriculum
from .views import LanguageView

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PAPER = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class RenderOptions:
    """What besides content changes the HTML."""

    content: Path
    org: str
    paper: str = "a4"
    start: str = "09:00"


class Renderer:
    """Holds one Jinja environment per language (each with its gettext catalog)."""

    def __init__(self, cur: Curriculum, options: RenderOptions):
        self.cur = cur
        self.options = options
        self._envs: dict[str, Environment] = {}

    def env(self, lang: str) -> Environment:
        if lang not in self._envs:
            env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                              trim_blocks=True, lstrip_blocks=True)
            env.install_gettext_translations(translations(self.options.content, lang), newstyle=True)
            env.filters["md"] = markup.block
            env.filters["mdi"] = markup.inline
            env.filters["longdate"] = lambda value: long_date(value, lang)
            self._envs[lang] = env
        return self._envs[lang]

    def html(self, artifact: Artifact) -> str:
        """The HTML of one artifact."""
        view = LanguageView(self.cur, artifact.lang, self.options.start)
        org = self.cur.orgs.get(self.options.org)
        context = {
            "lang": artifact.lang,
            "kind": artifact.kind.name,
            "paper": PAPER[self.options.paper],
            "curriculum": view.curriculum(),
            "edition": {"version": self.cur.version, "date": self.cur.edition_date, "lang": artifact.lang.upper()},
            "org": view.org(org) if org else None,
        }
        if artifact.module:
            context["module"] = view.module(self.cur.module(artifact.module))
        return self.env(artifact.lang).get_template(artifact.kind.template).render(context)
