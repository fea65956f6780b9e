"""One id written two ways: the structure file says one thing, its text files another.

A session id mistyped in `module.yaml` (`consnet` for `consent`) leaves every text of that
session under a key the structure does not know, and every text the structure asks for
missing, in each language: dozens of lines, none of them the mistake. Here such a pair is
found (an id of the structure with no texts, and a text id like it that the structure does
not have) and said once, at the line to change; the lines that only follow from it are
not checked (validate.py). Which side is wrong: when every text file agrees on the other
id, the structure; when one text file alone differs, that file.

A text file's mistyped id, once reported, is read as the id the structure has: what the
checks after this one see is the file as meant (its texts, its translation records), so
neither its own texts nor a translation's are reported as missing or stale because of it.
The files themselves are never changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .model import Curriculum, TextSet
from .suggest import CUTOFF


@dataclass(frozen=True)
class Slot:
    """Where the ids of one kind of thing appear in a unit's text keys: `prefix` + id + `.`
    (or, `exact`, `prefix` + id as the whole key)."""

    what: str                   # what the id names: "session", "glossary term" (translated when shown)
    unit: str
    prefix: str
    ids: dict[str, Location]    # the structure's ids, with their lines
    exact: bool = False
    ignore: frozenset[str] = frozenset()  # parts of keys that are no id (`laws` in legal)

    def id_of(self, key: str) -> str | None:
        if not key.startswith(self.prefix):
            return None
        rest = key[len(self.prefix):]
        if self.exact:
            return rest
        found, dot, _rest = rest.partition(".")
        return found if dot and found not in self.ignore else None

    def keys_of(self, ident: str) -> str:
        """The start every text key of `ident` has."""
        return self.prefix + ident + ("" if self.exact else ".")


@dataclass(frozen=True)
class Rename:
    """One id written `written` in the structure and `texts` in text files."""

    slot: Slot
    written: str
    texts: str
    in_structure: bool            # the structure file is the one to change (else each of `files`)
    files: tuple[str, ...]        # the text files that say `texts`


@dataclass
class Renames:
    """Every rename found, and what follows from each: which texts not to check."""

    found: list[Rename] = field(default_factory=list)

    def adjust(self, unit: str, schema: dict, unmatched: tuple[str, ...]) -> tuple[dict, tuple[str, ...]]:
        """The schema and the unmatched key prefixes to check the unit's text files with: the
        texts a mistyped structure id asks for are not missing, the ones under the id its
        texts use are not unknown."""
        renames = [r for r in self.found if r.slot.unit == unit and r.in_structure]
        if not renames:
            return schema, unmatched
        drop = tuple(r.slot.keys_of(r.written) for r in renames)
        kept = {key: spec for key, spec in schema.items() if not key.startswith(drop)}
        return kept, tuple(unmatched) + tuple(r.slot.keys_of(r.texts) for r in renames)

    def explained(self, what: str, unit: str | None = None) -> set[str]:
        """Ids other files refer to that a rename in the structure explains (the tracks say
        `documenting/consent` like the texts do): not "unknown" a second time."""
        return {r.texts for r in self.found
                if r.in_structure and r.slot.what == what and (unit is None or r.slot.unit == unit)}


def find(cur: Curriculum, diags: Diagnostics) -> Renames:
    """Every id written differently in the structure and in its texts, each reported once."""
    renames = Renames()
    for slot in _slots(cur):
        by_lang = cur.texts.get(slot.unit, {})
        textsets = [t for t in by_lang.values() if any(slot.id_of(k) is not None for k in t.blocks)]
        pairs: dict[tuple[str, str], list[TextSet]] = {}
        for textset in textsets:
            for pair in _pairs(slot, textset):
                pairs.setdefault(pair, []).append(textset)
        for (written, texts), holders in sorted(pairs.items()):
            # With one text file only, nothing says which is wrong: the structure is named.
            in_structure = len(holders) == len(textsets)
            rename = Rename(slot, written, texts, in_structure, tuple(t.path for t in holders))
            renames.found.append(rename)
            _report(rename, holders, diags)
            if not in_structure:
                for textset in holders:
                    _read_as(textset, slot, texts, written)
    return renames


def _read_as(textset: TextSet, slot: Slot, texts: str, written: str) -> None:
    """Read the keys of `texts` in `textset` as keys of `written` (see the module's docstring)."""
    old, new = slot.keys_of(texts), slot.keys_of(written)
    moved = lambda key: new + key[len(old):] if (key == old if slot.exact else key.startswith(old)) else key
    textset.blocks = {moved(key): replace(block, key=moved(key)) for key, block in textset.blocks.items()}
    textset.parent_lines = {moved(key + ".").rstrip(".") if not slot.exact else key: line
                            for key, line in textset.parent_lines.items()}


def _pairs(slot: Slot, textset: TextSet) -> list[tuple[str, str]]:
    """(structure id, text id) for each text id of `textset` that the structure lacks, and
    a structure id without texts in it that is like it (or the only one)."""
    present = {slot.id_of(key) for key in textset.blocks} - {None}
    missing = sorted(set(slot.ids) - present)
    extra = sorted(present - set(slot.ids))
    found = []
    for text_id in extra:
        match = difflib.get_close_matches(text_id, missing, n=1, cutoff=CUTOFF)
        if not match and len(extra) == 1 and len(missing) == 1:
            match = missing
        if match:
            found.append((match[0], text_id))
            missing.remove(match[0])
    return found


def _report(rename: Rename, holders: list[TextSet], diags: Diagnostics) -> None:
    slot = rename.slot
    if rename.in_structure:
        diags.error(slot.ids[rename.written], _(
            "{what} '{id}': its texts in {files} are written under '{other}'; did you mean '{other}'? "
            "Write the same id in both places").format(
                what=_named(slot.what), id=rename.written, other=rename.texts, files=", ".join(rename.files)))
        return
    structure = slot.ids[rename.written]
    for textset in holders:
        diags.error(_where(slot, textset, rename.texts), _(
            "{what} '{id}': {structure} has '{other}'; did you mean '{other}'? Write the same id in both places").format(
                what=_named(slot.what), id=rename.texts, other=rename.written, structure=structure))


def _where(slot: Slot, textset: TextSet, ident: str) -> Location:
    """The line of `ident`'s key in `textset` (its `consnet:` line, or its first text)."""
    start = slot.keys_of(ident)
    if slot.exact:
        return textset.blocks[start].loc
    if start.rstrip(".") in textset.parent_lines:
        return Location(textset.path, textset.parent_lines[start.rstrip(".")])
    return min(block.loc for key, block in textset.blocks.items() if key.startswith(start))


def _named(what: str) -> str:
    """`what` in the interface language."""
    return {"session": _("session"), "activity": _("activity"), "glossary term": _("glossary term"),
            "legal fact": _("legal fact"), "material": _("material"), "track": _("track"),
            "form section": _("form section"), "form field": _("form field"), "form option": _("form option")}[what]


def _slots(cur: Curriculum) -> list[Slot]:
    """Every place an id of the structure names texts."""
    slots = []
    for module in cur.modules:
        sessions = {s.id: s.loc for s in module.sessions if s.id}
        slots.append(Slot("session", module.unit, "sessions.", sessions))
        for session in (s for s in module.sessions if s.id):
            slots.append(Slot("activity", module.unit, f"sessions.{session.id}.activities.",
                              {a.id: a.loc for a in session.activities if a.id}))
    slots.append(Slot("glossary term", "glossary", "", {t.id: t.loc for t in cur.glossary}))
    slots.append(Slot("legal fact", "legal", "", {f.id: f.loc for f in cur.legal_facts}, ignore=frozenset({"laws"})))
    slots.append(Slot("material", "materials", "", {m.id: m.loc for m in cur.materials}, exact=True))
    slots.append(Slot("track", "tracks", "", {t.id: t.loc for t in cur.tracks}))
    form = cur.incident_form
    slots.append(Slot("form section", "incident-form", "sections.", {s.id: s.loc for s in form}, exact=True))
    slots.append(Slot("form field", "incident-form", "fields.", {f.id: f.loc for s in form for f in s.fields},
                      exact=True))
    slots.append(Slot("form option", "incident-form", "options.",
                      {o: loc for s in form for f in s.fields for o, loc in f.options}, exact=True))
    return [slot for slot in slots if slot.ids]
