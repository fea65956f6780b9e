"""Translation freshness: is each translated block current, stale or missing?

A translation file records, in its top-level `translated_from:` mapping, the fingerprint of
the source text each block was translated from (`TextBlock.fingerprint`). When the source
text changes its fingerprint changes, so the translation is known to be stale until a
translator brings it up to date and records the new fingerprint (`build.py translated`).
"""

from __future__ import annotations

from enum import Enum

from ..content.model import Curriculum, TextSet
from ..content.texts import TRANSLATED_FROM, sidecar_shown
from ..diagnostics import Diagnostics


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


def check_freshness(source: TextSet, translation: TextSet, diags: Diagnostics) -> None:
    """Warn about stale blocks of `translation` and fingerprints recorded for unknown keys.

    Missing blocks are reported by `texts.check_textset`, which knows the schema.
    """
    for key, block in translation.blocks.items():
        if key in source.blocks and state(source, translation, key) is State.STALE:
            diags.warning(block.loc, f"stale translation of {key} (source changed at {source.blocks[key].loc})")
    for key, recorded in translation.translated_from.items():
        if key not in source.blocks:
            diags.warning(recorded.loc, f"unknown key in {TRANSLATED_FROM}: {key}")


def check_all(cur: Curriculum, diags: Diagnostics, unreadable: set[str] | frozenset[str] = frozenset()) -> None:
    """Warn about every stale block of every translation of `cur`. A translation whose
    record file (`unreadable`, as shown) could not be read is not checked: that is one error,
    not a stale warning for each of its blocks."""
    for by_lang in cur.texts.values():
        source = by_lang.get(cur.source_language)
        if source is None:
            continue  # an unreadable source file was reported when it was loaded
        for lang, textset in by_lang.items():
            if lang != cur.source_language and sidecar_shown(textset.path) not in unreadable:
                check_freshness(source, textset, diags)
