"""Validate: the cross-checks that need the whole curriculum (references, timings, texts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .model import Curriculum
from .renames import Renames, find
from .reviews import ReviewState, review_state
from .schedule import check_tracks
from .suggest import hint
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
    renames = find(cur, diags)  # one id written two ways: one error, not one per text
    _references(cur, diags, unread, renames)
    _timings(cur, diags)
    _legal_review(cur, diags)
    _contact_labels(cur, diags)
    if cur.default_org and cur.default_org not in cur.orgs and not unread(f"orgs/{cur.default_org}.yaml"):
        diags.error(cur.default_org_loc or cur.loc, _("default_org '{org}' has no file orgs/{org}.yaml").format(
            org=cur.default_org) + hint(cur.default_org, cur.orgs))
    _texts(cur, diags, unread, renames)
    # A track naming a module that is unknown or whose file could not be read cannot be
    # scheduled, nor one naming a session whose id the module writes another way (one error
    # already): not checked, so its sessions are not "not in one of the track's modules" too.
    renamed = {f"{m.id}/{s}" for m in cur.modules for s in renames.explained("session", m.unit)}
    modules = {m.id for m in cur.modules}
    readable = [t for t in cur.tracks if all(m in modules and not unread(_module_file(m)) for m, _loc in t.modules)
                and not any(ref in renamed for ref, _loc in t.sessions)]
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


def _unknown(what: str, ref: str) -> str:
    """"unknown glossary term 'x'" and the like, in the interface language."""
    return {"glossary term": _("unknown glossary term '{id}'"), "legal fact": _("unknown legal fact '{id}'"),
            "material": _("unknown material '{id}'"), "module": _("unknown module '{id}'")}[what].format(id=ref)


def _references(cur: Curriculum, diags: Diagnostics, unread, renames: Renames) -> None:
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

    explained = {what: renames.explained(what) for what in known}

    def check(what: str, refs: list[tuple[str, Location]]) -> None:
        for ref, loc in refs:
            if ref not in known[what] and not unknowable(what, ref) and ref not in explained[what]:
                diags.error(loc, _unknown(what, ref) + hint(ref, known[what]))
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
    """Each fact rests on a declared law; a fact of history is never printed for participants
    as what the law says; a review that no longer covers its fact (changed, or due again)
    is a warning at the fact's text, so `--strict` stops a print run that relies on it."""
    laws = set(cur.laws)
    for fact in cur.legal_facts:
        if fact.law and fact.law not in laws:
            diags.error(fact.loc, f"legal fact '{fact.id}': law '{fact.law}' is not one of the laws listed at the "
                                  f"top of legal.yaml ({', '.join(cur.laws) or 'none'})")
    history = {f.id for f in cur.legal_facts if f.standing == "history"}
    for module in cur.modules:
        for fact_id, loc in module.handout_legal_facts:
            if fact_id in history:
                diags.error(loc, f"legal fact '{fact_id}' is the group's history, not law (standing: history): "
                                 "a guide may tell it, a participant handout never prints it as what the law says")
    by_id = {f.id: f for f in cur.legal_facts}
    source = cur.texts.get("legal", {}).get(cur.source_language)
    for fact_id, review in cur.reviews.items():
        fact = by_id.get(fact_id)
        if fact is None:
            diags.warning(review.loc, _("review of an unknown legal fact '{id}'").format(id=fact_id)
                          + hint(fact_id, by_id))
            continue
        if source is None:
            continue
        state, _reviewed = review_state(cur, fact)  # not `_`: that is the translation function here
        block = source.blocks.get(f"{fact_id}.text")
        where = block.loc if block else fact.loc
        if state is ReviewState.CHANGED:
            diags.warning(where, f"legal fact {fact_id} changed since it was reviewed on {review.on.isoformat()}")
        elif state is ReviewState.EXPIRED:
            diags.warning(where, f"legal fact {fact_id} was reviewed on {review.on.isoformat()}, more than "
                                 f"{cur.review_every_months} months ago: it is due for review again")


def _texts(cur: Curriculum, diags: Diagnostics, unread, renames: Renames) -> None:
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
        schema, skip = renames.adjust(unit, schema, unmatched.get(unit, ()))
        check_textset(source, schema, None, diags, skip)
        for lang, textset in by_lang.items():
            if lang != cur.source_language:
                check_textset(textset, schema, source, diags, skip)


def _contact_labels(cur: Curriculum, diags: Diagnostics) -> None:
    """Every contact is labelled in every language: a card must not print a label in
    another language, or the contact's id, without saying so."""
    for org in cur.orgs.values():
        for contact in org.contacts:
            # A language in progress gets one note per organisation (language/freshness.py).
            missing = [lang for lang in cur.languages if not contact.label.get(lang) and not cur.in_progress(lang)]
            if missing:
                shown = cur.source_language if contact.label.get(cur.source_language) else "its id"
                diags.warning(contact.loc, f"contact '{contact.id}' has no label in {', '.join(missing)}: "
                                           f"it prints {shown} there; add {missing[0]}: \"…\" to its label")
