"""Translation freshness: is each translated block current, stale or missing?

A translation records, in its record file (`en.translated.yaml`, or the older
`translated_from:` mapping inside it), the fingerprint of the source text each block was
translated from (`TextBlock.fingerprint`). When the source text changes its fingerprint
changes, so the translation is known to be stale until a translator brings it up to date
and records the new fingerprint (`build.py translated`, `build.py po import`).

What is not translated yet is reported here, block by block for a language the curriculum
takes as complete (each one is a fix before the print run, and `--strict` fails on it),
and in one note per file for a language in progress (`languages_in_progress:`): a language
at 0 % is a job under way, not 1,150 problems. `check --verbose` lists every block.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..content.model import Curriculum, TextSet
from ..content.texts import TRANSLATED_FROM, module_schema, shared_schemas, sidecar_shown
from ..diagnostics import Diagnostics, Location
from ..messages import _
from .catalogs import language_label
from .catalogs import note as _note


class State(Enum):
    """Where a translated block stands against its source."""

    CURRENT = "current"
    STALE = "stale"
    MISSING = "missing"


def state(source: TextSet, translation: TextSet | None, key: str) -> State:
    """The state of `key` (a key of `source`) in `translation`."""
    block = translation.blocks.get(key) if translation else None
    if block is None:
        return State.MISSING
    recorded = translation.translated_from.get(key)
    # No fingerprint at all counts as stale: nobody has said it matches the source.
    if recorded is None or recorded.value != source.blocks[key].fingerprint():
        return State.STALE
    return State.CURRENT


@dataclass(frozen=True)
class Gap:
    """One block of a translation that is not current, and the line that tells it."""

    key: str
    state: State
    location: Location
    message: str


def gaps(source: TextSet, translation: TextSet, with_stale: bool = True, known: set[str] | None = None) -> list[Gap]:
    """The blocks of `translation` that are missing or stale, in the source's order; only
    those of `known` keys when given (a key the source should not have is an error there,
    not a text for every translation to add)."""
    found = []
    for key, src in source.blocks.items():
        if known is not None and key not in known:
            continue
        block = translation.blocks.get(key)
        if block is None:
            found.append(Gap(key, State.MISSING, translation.line_for(key), _("missing translation of {key}").format(key=key)))
        elif with_stale and state(source, translation, key) is State.STALE:
            found.append(Gap(key, State.STALE, block.loc, _("stale translation of {key} (source changed at {where})").format(
                key=key, where=src.loc)))
    return found


def check_freshness(source: TextSet, translation: TextSet, diags: Diagnostics, in_progress: bool = False,
                    verbose: bool = False, with_stale: bool = True, source_language: str = "",
                    known: set[str] | None = None) -> None:
    """Report the missing and stale blocks of `translation`, and fingerprints recorded for
    unknown keys. A language in progress gets notes (one for the file unless `verbose`), a
    complete one a warning per block; a file with nothing translated yet gets one warning."""
    found = gaps(source, translation, with_stale, known)
    missing = sum(g.state is State.MISSING for g in found)
    total = len(known & source.blocks.keys()) if known is not None else len(source.blocks)
    fallback = language_label(source_language) if source_language else _("the source language")
    if found and in_progress and not verbose and missing == len(found):
        _note(diags, Location(translation.path), _(
            "{lang}: {todo} of {total} texts still to translate: they print in {fallback}, with a notice; "
            "`check --verbose` lists each").format(lang=translation.lang, todo=len(found), total=total,
                                                   fallback=fallback))
    elif found and in_progress and not verbose:
        _note(diags, Location(translation.path), _(
            "{lang}: {todo} of {total} texts still to translate ({missing} missing, {stale} stale): the missing print "
            "in {fallback}, the stale in their old translation, with a notice; `check --verbose` lists each").format(
            lang=translation.lang, todo=len(found), total=total, missing=missing,
            stale=len(found) - missing, fallback=fallback))
    elif found and not verbose and missing == total > 1:
        diags.warning(Location(translation.path), _(
            "{lang}: none of its {total} texts is translated yet: they print in {fallback} with a notice; "
            "`check --verbose` lists each").format(lang=translation.lang, total=missing, fallback=fallback))
    else:
        for gap in found:
            (_note if in_progress else Diagnostics.warning)(diags, gap.location, gap.message)
    for key, recorded in translation.translated_from.items():
        if key not in source.blocks:
            diags.warning(recorded.loc, _("unknown key in {record}: {key}").format(record=TRANSLATED_FROM, key=key))


def check_all(cur: Curriculum, diags: Diagnostics, unreadable: set[str] | frozenset[str] = frozenset(),
              verbose: bool = False) -> None:
    """Report what is not up to date in every translation of `cur`. The stale blocks of a
    translation whose record file (`unreadable`, as shown) could not be read are not
    reported: that is one error, not a stale warning for each of its blocks."""
    schemas = {**shared_schemas(cur), **{m.unit: module_schema(m) for m in cur.modules}}
    for unit, by_lang in cur.texts.items():
        source = by_lang.get(cur.source_language)
        if source is None:
            continue  # an unreadable source file was reported when it was loaded
        for lang, textset in by_lang.items():
            if lang == cur.source_language or (not textset.blocks and textset.translated_from):
                continue  # an emptied file is one error (texts.check_textset), not a line per block
            check_freshness(source, textset, diags, cur.in_progress(lang), verbose,
                            with_stale=sidecar_shown(textset.path) not in unreadable,
                            source_language=cur.source_language,
                            known=set(schemas[unit]) if unit in schemas else None)
    _contact_labels_in_progress(cur, diags)


def _contact_labels_in_progress(cur: Curriculum, diags: Diagnostics) -> None:
    """For a language in progress, one note per organisation whose contacts have no label in
    it yet (a complete language gets a warning per contact: content/validate.py)."""
    for lang in cur.languages_in_progress:
        for org in cur.orgs.values():
            unlabelled = [c for c in org.contacts if not c.label.get(lang)]
            if unlabelled:
                _note(diags, Location(org.loc.path), _(
                    "{lang}: {count} contact labels still to translate: they print in {fallback}; "
                    "add {lang}: \"…\" to each label").format(
                    lang=lang, count=len(unlabelled), fallback=language_label(cur.source_language)))
