"""PO files for translators who work in Poedit, Weblate or OmegaT.

One PO file per text unit (`modules/documenting.po`, `card.po`, ...): each block is one
entry, `msgctxt` its key, `msgid` the source (Spanish) text, `#:` the source file and line,
`msgstr` the current translation. A list is one entry with one line per item. A block whose
source changed since it was translated is `fuzzy`, and when the folder holds the earlier
export its old source is shown as the previous text (`#| msgid`), as `msgmerge` does.

Reading them back (`read_unit`) accepts only entries that are translated and not fuzzy;
each is recorded as translated from the source text the entry shows (so an entry made from
an older Spanish text is stale at once). Every problem is collected with its file and line
before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, normalize, read_po, write_po

from ..content.model import Curriculum, TextBlock, TextSet
from ..diagnostics import Diagnostics, Location
from ..messages import _
from .catalogs import _msgstr_line, _unquoted, babel_locale, language_name
from .freshness import State, state

# The interface words (content/locales/<lang>/LC_MESSAGES/messages.po), exported beside the
# units; no unit has this name.
INTERFACE = "interface.po"
_FORMAT_FLAGS = ("python-format", "python-brace-format")  # content is not a format string
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_PERCENT = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)[sd]")


def unit_file(unit: str) -> str:
    """The PO file of a unit, relative to the folder (`modules/documenting` → `modules/documenting.po`)."""
    return f"{unit}.po"


def export_unit(cur: Curriculum, unit: str, lang: str, previous: Catalog | None = None) -> Catalog:
    """The PO catalog of `unit` in `lang`; `previous` is the earlier export of it, whose
    source texts show what a stale translation was made from."""
    source = cur.texts[unit][cur.source_language]
    translation = cur.texts[unit].get(lang)
    day = dt.datetime.combine(cur.edition_date, dt.time(), tzinfo=dt.timezone.utc)  # the same bytes every time
    catalog = Catalog(locale=babel_locale(lang), project=unit, version=cur.version, charset="utf-8",
                      creation_date=day, revision_date=day, fuzzy=False,
                      language_team=f"{language_name(lang, cur.language_names)} ({lang})",
                      last_translator=_("see the translation records (*.translated.yaml)"),
                      header_comment=_("# {name} ({lang}) translation of {unit}.\n"
                                       "# Made by `python build.py po export`; bring it back with\n"
                                       "# `python build.py po import` (see content/README.md).").format(
                          name=language_name(lang, cur.language_names), lang=lang, unit=unit))
    shown = source.path.split("/", 1)[-1] if "/" in source.path else source.path
    for key, block in source.blocks.items():
        found = state(source, translation, key)
        string = _text(translation.blocks[key].value) if found is not State.MISSING else ""
        message = Message(_text(block.value), string, locations=[(_relative(shown, unit), block.loc.line)],
                          context=key)
        for flag in _FORMAT_FLAGS:
            message.flags.discard(flag)
        if found is State.STALE:
            message.flags.add("fuzzy")
            recorded = translation.translated_from.get(key)
            before = _made_from(previous, key, recorded.value) if previous is not None and recorded else None
            if before is not None and before != message.id:
                message.previous_id = [before]
        catalog[message.id] = message  # one entry per (msgid, msgctxt): keys are unique
    return catalog


def _relative(shown: str, unit: str) -> str:
    """The source file as the PO's `#:` names it: from the unit's folder on (`modules/x/es.yaml`)."""
    at = shown.rfind(unit + "/")
    return shown[at:] if at >= 0 else shown


def _text(value: str | tuple[str, ...]) -> str:
    """A block as one PO string: a list is one line per item."""
    return value if isinstance(value, str) else "\n".join(value)


def _made_from(previous: Catalog, key: str, fingerprint: str) -> str | None:
    """The source text of `key` in the earlier export whose fingerprint is `fingerprint`:
    the text the translation was made from (its msgid, or its own previous text)."""
    for message in previous:
        if message.context != key:
            continue
        for text in (message.id, *previous_ids(message)):
            if isinstance(text, str) and TextBlock(key, text, Location("")).fingerprint() == fingerprint:
                return text
    return None


def previous_ids(message: Message) -> list[str]:
    """The `#| msgid` of an entry: Babel reads it as a comment starting with '|'."""
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not lines or not lines[0].startswith("msgid "):
        return []
    parts = [lines[0][len("msgid "):], *lines[1:]]
    try:
        return ["".join(_unescape(part) for part in parts)]
    except ValueError:
        return []


def _unescape(part: str) -> str:
    if len(part) < 2 or part[0] != '"' or part[-1] != '"':
        raise ValueError(part)
    from babel.messages.pofile import unescape

    return unescape(part)


def po_bytes(catalog: Catalog) -> bytes:
    """The PO file of `catalog`, as Poedit writes them (wrapped at 76 columns). Babel wraps a
    previous text (`#| msgid`) like a comment, cutting its quoted lines in two, which
    `msgfmt` refuses: those lines are written here, each a whole quoted string."""
    previous = {}
    for message in catalog:
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]  # read back as comments
        if message.id and message.previous_id and message.context:
            previous[message.context] = message.previous_id[0]
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    text = buffer.getvalue().decode("utf-8")
    for key, before in previous.items():
        quoted = normalize(before, width=76).split("\n")
        lines = [f"#| msgid {quoted[0]}", *(f"#| {line}" for line in quoted[1:])]
        context = f'msgctxt {normalize(key, width=0)}\n'
        text = text.replace("\n" + context, "\n" + "\n".join(lines) + "\n" + context, 1)
    return text.encode("utf-8")


def parse_po(data: bytes, display: str, diags: Diagnostics) -> Catalog | None:
    """A PO file read strictly: not UTF-8, cut short or not PO is an error at its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(Location(display, line), _("not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8").format(
            byte=data[exc.start]))
        return None
    lines = text.splitlines()
    damaged = _unquoted(lines)
    if damaged:
        diags.error(Location(display, damaged), _("damaged PO file: a text must be one quoted string (\"...\") on "
                                                  "its line; is the file cut short?"))
        return None
    try:
        return read_po(lines, abort_invalid=True)
    except PoFileError as exc:  # Babel's line numbers count from 0
        problem = str(exc).rpartition(" on ")[0] or str(exc)
        diags.error(Location(display, exc.lineno + 1), _("damaged PO file: {problem}").format(problem=problem))
    except (ValueError, TypeError) as exc:
        diags.error(Location(display, 1), _("damaged PO file header: {problem}").format(problem=exc))
    return None


@dataclass
class UnitImport:
    """What one unit's PO file brings: the translated texts, and what they were made from."""

    unit: str
    values: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    made_from: dict[str, str] = field(default_factory=dict)  # key → fingerprint of the msgid shown
    skipped_fuzzy: int = 0
    untranslated: int = 0


def read_unit(cur: Curriculum, unit: str, lang: str, catalog: Catalog, data: bytes, display: str,
              diags: Diagnostics) -> UnitImport:
    """The translations a unit's PO file holds, each checked against the source; problems go
    to `diags` with the line of the entry (its `msgstr` when the translation is at fault)."""
    lines = data.decode("utf-8-sig").splitlines()
    source = cur.texts[unit][cur.source_language]
    found = UnitImport(unit)
    language = dict(catalog.mime_headers).get("Language", "").replace("_", "-").lower()
    if language and language != lang:
        diags.error(Location(display), _("this file is the '{theirs}' translation, not '{lang}'; import it with "
                                         "--lang {theirs}").format(theirs=language, lang=lang))
        return found
    for message in list(catalog)[1:]:
        where = Location(display, message.lineno or 0)
        key = message.context
        if not key or key not in source.blocks:
            diags.error(where, _("unknown key '{key}': {unit} has no such text in {path}").format(
                key=key or "", unit=unit, path=source.path) if key else
                _("an entry without msgctxt: the key of its text goes in msgctxt"))
            continue
        if isinstance(message.id, (list, tuple)) or isinstance(message.string, (list, tuple)):
            diags.error(where, _("{key}: a text has no plural forms").format(key=key))
            continue
        string = (message.string or "").strip()
        if message.fuzzy:
            found.skipped_fuzzy += bool(string)
            continue
        if not string:
            found.untranslated += 1
            continue
        at = Location(display, _msgstr_line(lines, message.lineno))
        problem = _placeholder_problem(message.id, string)
        if problem:
            diags.error(at, _("translation of {key}: {problem}; write the placeholders exactly as in the msgid").format(
                key=key, problem=problem))
            continue
        src = source.blocks[key].value
        if isinstance(src, tuple):
            items = tuple(line.strip() for line in string.split("\n"))
            if len(items) != len(src) or not all(items):
                diags.error(at, _("{key} has {lines} lines; its Spanish text has {items} items: write one line per item, "
                                  "none empty").format(key=key, lines=len(items), items=len(src)))
                continue
            value: str | tuple[str, ...] = items
            shown = TextBlock(key, tuple(message.id.split("\n")), where)
        else:
            value, shown = string, TextBlock(key, message.id, where)
        found.values[key] = value
        found.made_from[key] = shown.fingerprint()
    return found


def _placeholder_problem(msgid: str, msgstr: str) -> str:
    """`{name}` and `%(name)s` placeholders must be the same in a text and its translation."""
    for pattern, written in ((_BRACE, "{%s}"), (_PERCENT, "%%(%s)s")):
        ours, theirs = set(pattern.findall(msgid)), set(pattern.findall(msgstr))
        if theirs - ours:
            return _("unknown placeholder {name}").format(name=written % sorted(theirs - ours)[0])
        if ours - theirs:
            return _("placeholder {name} is missing").format(name=written % sorted(ours - theirs)[0])
    return ""


def changed(translation: TextSet | None, found: UnitImport) -> list[str]:
    """The keys whose text or record importing `found` changes."""
    if translation is None:
        return list(found.values)
    return [key for key, value in found.values.items()
            if translation.blocks.get(key) is None or translation.blocks[key].value != value
            or translation.translated_from.get(key) is None
            or translation.translated_from[key].value != found.made_from[key]]
