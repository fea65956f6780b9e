"""Validate: the cross-checks that need the whole curriculum (references, timings, texts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, Location
from .model import Curriculum
from .schedule import check_tracks
from .texts import SHARED_UNITS, check_textset, module_schema, shared_schemas

if TYPE_CHECKING:
    from .load import ContentFolder

# The references each shared structure file makes known: when it could not be read, its
# ids are unknown, not wrong, and a reference to one is not reported.
_KNOWN_FROM = {"glossary term": "glossary", "legal fact": "legal", "material": "materials"}


def validate(cur: Curriculum, diags: Diagnostics, folder: ContentFolder | None = None) -> None:
    """Record every inconsistency of `cur` in `diags`. With the `folder` it was loaded from,
    what depends on a file that could not be read (one error already) is not checked: a
    broken glossary.yaml is one error, not one per glossary text and reference."""
    unread = folder.unread if folder is not None else (lambda rel: False)
    _unique("module", ((m.id, m.loc) for m in cur.modules), diags)
    _unique("glossary term", ((t.id, t.loc) for t in cur.glossary), diags)
    _unique("legal fact", ((f.id, f.loc) for f in cur.legal_facts), diags)
    _unique("material", ((m.id, m.loc) for m in cur.materials), diags)
    _unique("track", ((t.id, t.loc) for t in cur.tracks), diags)
    _references(cur, diags, unread)
    _timings(cur, diags)
    _legal_review(cur, diags)
    _contact_labels(cur, diags)
    if cur.default_org and cur.default_org not in cur.orgs and not unread(f"orgs/{cur.default_org}.yaml"):
        diags.error(cur.loc, f"default_org '{cur.default_org}' has no file orgs/{cur.default_org}.yaml")
    _texts(cur, diags, unread)
    # A track naming a module whose file could not be read cannot be scheduled: not checked.
    readable = [t for t in cur.tracks if not any(unread(_module_file(m)) for m, _ in t.modules)]
    check_tracks(replace(cur, tracks=readable), diags)


def _module_file(module_id: str) -> str:
    return f"modules/{module_id}/module.yaml"


def _unique(what: str, items: Iterable[tuple[str, Location]], diags: Diagnostics) -> None:
    seen: dict[str, Location] = {}
    for item_id, loc in items:
        if item_id in seen:
            diags.error(loc, f"duplicate {what} id '{item_id}' (first at {seen[item_id]})")
        else:
            seen[item_id] = loc


def _references(cur: Curriculum, diags: Diagnostics, unread) -> None:
    known = {
        "glossary term": {t.id for t in cur.glossary},
        "legal fact": {f.id for f in cur.legal_facts},
        "material": {m.id for m in cur.materials},
        "module": {m.id for m in cur.modules},
    }

    def unknowable(what: str, ref: str) -> bool:
        """The file that would make `ref` known could not be read."""
        if what == "module":
            return unread(_module_file(ref))
        unit = _KNOWN_FROM[what]
        return unread(f"{unit}/{SHARED_UNITS[unit].structure}")

    def check(what: str, refs: list[tuple[str, Location]]) -> None:
        for ref, loc in refs:
            if ref not in known[what] and not unknowable(what, ref):
                diags.error(loc, f"unknown {what} '{ref}'")
        _unique(f"{what} reference", refs, diags)

    for module in cur.modules:
        check("glossary term", module.handout_glossary)
        check("legal fact", module.handout_legal_facts)
        for session in module.sessions:
            check("glossary term", session.glossary)
            check("legal fact", session.legal_facts)
            check("material", session.materials)
    for track in cur.tracks:
        check("module", track.modules)


def _timings(cur: Curriculum, diags: Diagnostics) -> None:
    for module in cur.modules:
        _unique("session", ((s.id, s.loc) for s in module.sessions), diags)
        if not module.sessions:
            diags.error(module.loc, f"module '{module.id}' has no sessions")
        for session in module.sessions:
            _unique("activity", ((a.id, a.loc) for a in session.activities), diags)
            total = sum(a.minutes for a in session.activities)
            # An activity whose minutes could not be read (0) is one error already; a sum
            # with it would only be a second, misleading one.
            if session.minutes and all(a.minutes for a in session.activities) and total != session.minutes:
                diags.error(session.loc, f"session '{session.id}' lasts {session.minutes} minutes but its activities add up to {total}")
            if session.group_min and session.group_max and session.group_min > session.group_max:
                diags.error(session.loc, f"session '{session.id}': group_size min is larger than max")


def _legal_review(cur: Curriculum, diags: Diagnostics) -> None:
    for fact in cur.legal_facts:
        if bool(fact.reviewed_by) != (fact.reviewed_on is not None):
            diags.error(fact.loc, f"legal fact '{fact.id}': give both reviewed_by and reviewed_on, or neither")
        if fact.reviewed_on and fact.reviewed_on > cur.edition_date:
            diags.warning(fact.loc, f"legal fact '{fact.id}' was reviewed after the edition date")


def _texts(cur: Curriculum, diags: Diagnostics, unread) -> None:
    # A unit whose structure file could not be read has no schema to check its texts against.
    schemas = {unit: schema for unit, schema in shared_schemas(cur).items()
               if not (SHARED_UNITS[unit].structure and unread(f"{unit}/{SHARED_UNITS[unit].structure}"))}
    unmatched = {}
    for module in cur.modules:
        schemas[module.unit] = module_schema(module)
        unmatched[module.unit] = module.unmatched
    for unit, schema in schemas.items():
        by_lang = cur.texts.get(unit, {})
        source = by_lang.get(cur.source_language)
        if source is None:
            continue
        check_textset(source, schema, None, diags, unmatched.get(unit, ()))
        for lang, textset in by_lang.items():
            if lang != cur.source_language:
                check_textset(textset, schema, source, diags, unmatched.get(unit, ()))


def _contact_labels(cur: Curriculum, diags: Diagnostics) -> None:
    """Every contact is labelled in every language: a card must not print a label in
    another language, or the contact's id, without saying so."""
    for org in cur.orgs.values():
        for contact in org.contacts:
            missing = [lang for lang in cur.languages if not contact.label.get(lang)]
            if missing:
                shown = cur.source_language if contact.label.get(cur.source_language) else "its id"
                diags.warning(contact.loc, f"contact '{contact.id}' has no label in {', '.join(missing)}: "
                                           f"it prints {shown} there; add {missing[0]}: \"…\" to its label")
