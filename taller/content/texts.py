"""Per-language text files: flattened into keyed blocks and checked against a text schema.

The schema of a unit (which keys it must have, text or list) follows from its structure:
a module with session `stops` needs `sessions.stops.title`, and so on. The source
language must match the schema; every translation must match the source. Whether a
translation is up to date with its source is `language/freshness.py`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .model import Curriculum, Module, TextBlock, TextSet
from .yamlsrc import YNode, load_yaml

# A translation records, per key, the fingerprint of the source text it was made from, in
# a file the program owns beside it (`en.yaml` → `en.translated.yaml`, written by `build.py
# translated`), so the program never edits a person's text file. A `translated_from:`
# mapping inside the text file (how earlier versions kept them) is still read; the
# sidecar's entries win.
TRANSLATED_FROM = "translated_from"
SIDECAR_SUFFIX = ".translated.yaml"


def sidecar_of(path: Path) -> Path:
    """The provenance file of the language file `path` (`x/en.yaml` → `x/en.translated.yaml`)."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def sidecar_shown(display: str) -> str:
    """How the provenance file of the language file shown as `display` is shown."""
    return str(sidecar_of(Path(display)))


@dataclass(frozen=True)
class Spec:
    """What a text key holds: `text` (one string) or `list` (of strings)."""

    shape: str
    required: bool = True


SESSION_LISTS = ("preparation", "key_messages", "facilitator_notes", "safety_notes", "debrief", "evaluation")
OBJECTIVES = ("knowledge", "skills", "attitudes")


def module_schema(module: Module) -> dict[str, Spec]:
    """Text keys a module's language file must have."""
    spec = {"title": Spec("text"), "summary": Spec("text")}
    for session in (s for s in module.sessions if s.id):  # one without an id is an error already
        base = f"sessions.{session.id}"
        spec[f"{base}.title"] = Spec("text")
        for kind in OBJECTIVES:
            spec[f"{base}.objectives.{kind}"] = Spec("list")
        for name in SESSION_LISTS:
            spec[f"{base}.{name}"] = Spec("list")
        for activity in (a for a in session.activities if a.id):
            akey = f"{base}.activities.{activity.id}"
            spec[f"{akey}.title"] = Spec("text")
            spec[f"{akey}.steps"] = Spec("list")
            spec[f"{akey}.material"] = Spec("text", required=False)
    spec["handout.intro"] = Spec("text")
    for name in ("know", "do", "checklist", "where"):
        spec[f"handout.{name}"] = Spec("list")
    spec["handout.phrases"] = Spec("list", required=False)
    return spec


@dataclass(frozen=True)
class Unit:
    """A folder of shared text (not a module): its structure file, if it has one, and the
    keys its language files must have, which may follow from the structure."""

    structure: str | None
    schema: Callable[[Curriculum], dict[str, Spec]]


# Every shared unit, once: a new one (the texts of a new kind of material) is one entry.
SHARED_UNITS: dict[str, Unit] = {
    "curriculum": Unit("curriculum.yaml", lambda cur: {
        "title": Spec("text"), "subtitle": Spec("text"), "introduction": Spec("text"), "how_to_use": Spec("list")}),
    "glossary": Unit("glossary.yaml", lambda cur: {
        f"{t.id}.{k}": Spec("text") for t in cur.glossary for k in ("term", "definition")}),
    "legal": Unit("legal.yaml", lambda cur: {
        **{f"laws.{law}.title": Spec("text") for law in cur.laws},
        **{f"{f.id}.{k}": Spec("text") for f in cur.legal_facts for k in ("title", "text", "source")}}),
    "materials": Unit("materials.yaml", lambda cur: {m.id: Spec("text") for m in cur.materials}),
    "tracks": Unit("tracks.yaml", lambda cur: {
        f"{t.id}.{k}": Spec("text") for t in cur.tracks for k in ("title", "description")}),
    "card": Unit(None, lambda cur: {"title": Spec("text"), **{k: Spec("list") for k in CARD_LISTS}}),
    "incident-form": Unit("form.yaml", lambda cur: form_schema(cur)),
    # The printables the guides hand out (kinds/contacts.py and the four after it): labels
    # and headings only; every name, number and date is a line to fill in by hand.
    "contacts": Unit(None, lambda cur: {**dict.fromkeys((
        "title", "intro", "name", "phone", "companion", "organisation", "lawyer", "another", "first_call"),
        Spec("text")), "notes": Spec("list")}),
    "witness-sheet": Unit(None, lambda cur: {**dict.fromkeys((
        "title", "intro", "yes", "no", "read_aloud",
        *(f"sections.{s}" for s in ("when-where", "what", "who", "contact", "consent")),
        *(f"fields.{f}" for f in ("date", "time", "place", "district", "where-she-was", "saw", "heard", "institution",
                                  "description", "badge", "plate", "witness", "contact-ok", "contact-how", "testify",
                                  "consent-use", "mark", "recorded-on", "recorded-by"))), Spec("text"))}),
    "follow-up-card": Unit(None, lambda cur: {**dict.fromkeys((
        "title", "pseudonym", "filed_where", "filed_on", "case_number", "handled_by", "visits", "date", "next_step",
        "with_whom"), Spec("text")), "tips": Spec("list")}),
    "session-plan": Unit(None, lambda cur: {**dict.fromkeys((
        "title", "intro", "needs", "safety.heading", "after.heading",
        *(f"fields.{f}" for f in ("session", "audience", "date", "place", "length", "people", "objective", "changes")),
        *(f"agenda.{k}" for k in ("heading", "minutes", "part", "arc", "who", "materials", "note")),
        *(f"team.{k}" for k in ("heading", "role", "person")),
        *(f"verify.{k}" for k in ("heading", "doubt", "who", "when")),
        *(f"agreement.{k}" for k in ("heading", "goal", "follow-up"))), Spec("text")),
        **dict.fromkeys(("team.roles", "safety.questions", "after.questions"), Spec("list"))}),
    "observer-form": Unit(None, lambda cur: {**dict.fromkeys((
        "title", "intro", "watch", "phrases", "order", *(f"fields.{f}" for f in ("activity", "observed", "date")),
        *(f"scale.{k}" for k in ("yes", "partly", "not-yet")),
        *(f"groups.{g}.title" for g in ("people", "explains", "care")),
        *(f"feedback.{k}" for k in ("heading", "worked", "improve", "suggestion"))), Spec("text")),
        **{f"groups.{g}.items": Spec("list") for g in ("people", "explains", "care")}}),
}


def shared_schemas(cur: Curriculum) -> dict[str, dict[str, Spec]]:
    """Text keys of the shared units (curriculum, glossary, legal facts, materials, tracks, …)."""
    return {name: unit.schema(cur) for name, unit in SHARED_UNITS.items()}


CARD_LISTS = ("id_check", "detained", "phrases", "do", "dont", "write_down", "afterwards")


def form_schema(cur: Curriculum) -> dict[str, Spec]:
    """Text keys of the incident form: headings, field labels, tick-box options."""
    spec = {"title": Spec("text"), "intro": Spec("text"), "yes": Spec("text"), "no": Spec("text")}
    for section in cur.incident_form:
        spec[f"sections.{section.id}"] = Spec("text")
        for field in section.fields:
            spec[f"fields.{field.id}"] = Spec("text")
            for option, _loc in field.options:
                spec[f"options.{option}"] = Spec("text")
    return spec


def load_textset(path: Path, display: str, lang: str, diags: Diagnostics,
                 content_root: Path | None = None, unreadable: set[str] | None = None) -> TextSet | None:
    """Read one language file into keyed blocks. `unreadable` collects the files (as shown)
    that could not be read: the file itself, or its translation record."""
    unreadable = set() if unreadable is None else unreadable
    root = load_yaml(path, display, diags, content_root)  # no link out of the content folder
    if root is None:
        unreadable.add(display)
        return None
    textset = TextSet(lang, display)
    if not root.is_map:
        diags.error(root.loc, "a text file must be a mapping of `key: text` lines")
        return textset
    for key, node in root.value.items():
        if key == TRANSLATED_FROM:
            _read_translated_from(node, textset, diags, f"'{TRANSLATED_FROM}'")
        else:
            _flatten(key, node, textset, diags)
    sidecar = sidecar_of(path)
    if sidecar.exists() or sidecar.is_symlink():
        shown = sidecar_shown(display)
        node = load_yaml(sidecar, shown, diags, content_root)
        if node is not None:
            _read_translated_from(node, textset, diags, "a translation record file")
        else:  # not "every block is stale": the record is unreadable, which is one error
            unreadable.add(shown)
    return textset


def _read_translated_from(node: YNode, textset: TextSet, diags: Diagnostics, what: str) -> None:
    if not node.is_map:
        diags.error(node.where, f"{what} must map text keys to fingerprints (key: 0123456789ab)")
        return
    for key, fp in node.value.items():
        textset.translated_from[key] = TextBlock(key, fp.text() or "", fp.where)


def _flatten(key: str, node: YNode, textset: TextSet, diags: Diagnostics) -> None:
    if node.is_map:
        textset.parent_lines[key] = node.where.line
        for child_key, child in node.value.items():
            _flatten(f"{key}.{child_key}", child, textset, diags)
        return
    if node.is_list:
        items = []
        for item in node.value:
            said = _colon_in_text(item)
            if said is not None:
                # `- Nota: algo` is YAML for a `key: value` pair. Said once, here; the text as
                # meant stands in for it, so the translations' item counts do not all fail.
                diags.error(item.loc, _("a colon followed by a space inside a text: put the text in double quotes, "
                                        "like this: - {quoted}").format(quoted=_in_quotes(said)))
                items.append(said)
                continue
            if item.is_map or item.is_list or item.value is None:
                diags.error(item.loc, _("every item of {key} must be a line of text").format(key=key))
                continue
            items.append(item.text().strip())
        textset.blocks[key] = TextBlock(key, tuple(items), node.where)
        return
    text = node.text()
    textset.blocks[key] = TextBlock(key, (text or "").strip(), node.where)


def _colon_in_text(item: YNode) -> str | None:
    """The text an item was meant to be when YAML read it as one `key: value` pair (a colon
    and a space in the text), such as "Nota: algo"; None for anything else."""
    if not item.is_map or len(item.value) != 1:
        return None
    (key, value), = item.value.items()
    if value.is_map or value.is_list:
        return None
    rest = value.text()
    return f"{key}: {rest.strip()}" if rest is not None else f"{key}:"


def _in_quotes(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_textset(textset: TextSet, schema: dict[str, Spec], source: TextSet | None, diags: Diagnostics,
                  unmatched: tuple[str, ...] = ()) -> None:
    """Compare a language file with its schema (and, for a translation, with the source).
    Keys starting with one of `unmatched` are not reported as unknown: their structure lost
    its id, which is already one error; one per text would bury it.

    A block missing from the source is an error. A block missing from a translation is
    reported by `language/freshness.py` (the build prints the source text, with a notice),
    which knows whether the language is still being translated. A translation file with no
    blocks is a fresh one (`new-language` makes them; every text is missing) unless its
    record says texts were translated there: then it is an error, a lost file.
    """
    blocks = textset.blocks
    if source is not None and not blocks:
        if textset.translated_from:
            diags.error(Location(textset.path, 1), "translation file is empty")
        return
    for key, block in blocks.items():
        spec = schema.get(key)
        if spec is None:
            if not key.startswith(unmatched):
                diags.error(block.loc, f"unknown key '{key}'")
            continue
        if spec.shape == "list" and isinstance(block.value, str):
            diags.error(block.loc, f"{key} must be a list of lines, each starting with '- '")
        elif spec.shape == "text" and not isinstance(block.value, str):
            diags.error(block.loc, f"{key} must be text, not a list")
        elif not block.value:
            diags.error(block.loc, f"{key} is empty")
    for key, spec in schema.items():
        if key in blocks:
            continue
        if source is None and spec.required:
            diags.error(textset.line_for(key), f"missing text {key}")
    if source is not None:
        for key, block in blocks.items():
            src = source.blocks.get(key)
            if src is None and key in schema and not schema[key].required:
                diags.error(block.loc, f"{key} has no source text in {source.path}")
            elif (src is not None and isinstance(src.value, tuple) and isinstance(block.value, tuple)
                  and len(src.value) != len(block.value)):
                diags.error(block.loc, f"{key} has {len(block.value)} items; the source has {len(src.value)} ({src.loc})")
