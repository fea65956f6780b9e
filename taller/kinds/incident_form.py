"""The incident record: to print and fill in by hand, or to fill in on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import N_
from .base import LANGUAGE, PLAIN, Kind, PrintRule, Variant

if TYPE_CHECKING:
    from ..render.html import KindContext


def view(ctx: KindContext) -> dict:
    """The record's headings, labels and options in one language."""
    t = lambda key: ctx.view.text("incident-form", key)  # noqa: E731
    sections = [{"id": s.id, "title": t(f"sections.{s.id}"),
                 "fields": [{"id": f.id, "type": f.type, "lines": f.lines, "label": t(f"fields.{f.id}"),
                             "options": [{"id": o, "label": t(f"options.{o}")} for o, _ in f.options]}
                            for f in s.fields]}
                for s in ctx.view.cur.incident_form]
    return {"form": {"title": t("title"), "intro": t("intro"), "yes": t("yes"), "no": t("no"), "sections": sections}}


KIND = Kind(
    "incident-form", "incident-form.html.j2", LANGUAGE, label=N_("Incident record"), view=view,
    variants=(PLAIN, Variant("fillable", label=N_("fillable on screen"), forms=True)),
    print_rule=PrintRule(lambda participants, facilitators: participants),
    for_participants=True, html_edition=True)
