"""Interface strings via gettext: catalogs under the content folder, compiled in memory.

Templates are written with English msgids (`{{ _("Objectives") }}`); each other language has
`locales/<lang>/LC_MESSAGES/messages.po`. Dates and numbers are formatted by Babel.

A catalog comes with the content, from a translator's editor: it is read through the
content's guard (no link out of the folder, no pipe, no huge file), must be UTF-8, must
parse without one doubtful line (Babel would print a warning on stdout and read on), and
each translation must keep its msgid's placeholders (`%(minutes)s`, `{name}`): a typo
there would print "%(minutos)s" on every page, or stop the render. `check` reports all of
it with the catalog's file and line (`check_catalog`); the renderer reads the same result.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from ..content.guard import present, read_guarded
from ..diagnostics import ContentError, Diagnostic, Diagnostics, Location
from ..messages import N_, _, interface

# The mark printed after a missing or stale translation; an English msgid, translated
# through the interface catalog (content/locales/<lang>/LC_MESSAGES/messages.po).
PENDING_MARK = N_("(translation pending)")


# The language the templates' strings are written in: it needs no catalog.
MSGID_LANGUAGE = "en"
# The real catalog is about 10 KiB; one of megabytes is not a catalog.
MAX_CATALOG_BYTES = 1_000_000


def catalog_rel(lang: str) -> str:
    """The catalog's place in the content folder."""
    return f"locales/{lang}/LC_MESSAGES/messages.po"


def catalog_path(content: Path, lang: str) -> Path:
    return content / catalog_rel(lang)


def babel_locale(lang: str) -> str | None:
    """The locale identifier Babel is given for a language code (`es-pe` → `es_pe`); Babel
    may have no data for it (Aymara `ay`, the pseudo-locale `qps`: such a language still
    works), and None when Babel cannot even parse it (it would raise, not fall back)."""
    identifier = lang.replace("-", "_")
    try:
        Locale.parse(identifier)
    except UnknownLocaleError:
        return identifier
    except (ValueError, TypeError):
        return None
    return identifier


def babel_knows(lang: str) -> bool:
    """Whether Babel has data (dates, plural forms, the language's name) for `lang`."""
    try:
        Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def rules_language(lang: str, source: str | None) -> str:
    """The language whose rules (dates, plural forms) `lang` follows: its own where Babel
    knows it, else the source language's (Aymara follows Spanish), so no language needs code."""
    return lang if babel_knows(lang) or not source else source


def fallback_language(lang: str, source: str | None) -> str:
    """The language an untranslated interface word of `lang` prints in: the source language
    (Spanish), or the msgids' English for the source language itself."""
    return source if source and lang not in (source, MSGID_LANGUAGE) else MSGID_LANGUAGE


def check_catalog(content: Path, display: str, lang: str, diags: Diagnostics, source: str | None = None,
                  in_progress: bool = False) -> None:
    """Record every problem of `lang`'s catalog (`display`: how its path is shown), and, once
    for the language, that it has none or words left to translate (they print in the source
    language). For a language still being translated (`in_progress`) that is a note, not a
    warning: `--strict` does not fail on work that is known to be under way."""
    if lang == MSGID_LANGUAGE:
        return
    path = catalog_path(content, lang)
    fallback = fallback_language(lang, source)
    report = note if in_progress else Diagnostics.warning
    if not present(path):
        how = (f"python build.py new-language {lang} --name NAME" if fallback != MSGID_LANGUAGE
               else f"python tools/update_catalog.py {lang}")
        report(diags, Location(display), _("no interface catalog for '{lang}': headings and labels print in "
                                           "{fallback}; make it with `{how}`").format(
            lang=lang, fallback=language_label(fallback), how=how))
        return
    if load_catalog(path, display, lang, diags, content) is None or fallback == MSGID_LANGUAGE:
        return
    catalog = read_catalog(path.read_bytes(), display, lang, Diagnostics())
    words = [m for m in catalog if m.id] if catalog is not None else []
    left = [m for m in words if not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string))]
    if left:
        report(diags, Location(display), _("{left} of {total} interface words have no {lang} translation yet: "
                                           "they print in {fallback}; translate them in this catalog").format(
            left=len(left), total=len(words), lang=lang, fallback=language_label(fallback)))


def check_locale(lang: str, source: str, names: dict[str, str], where: Location, diags: Diagnostics) -> None:
    """One line for a language Babel has no data for (Aymara): what follows the source
    language's rules instead. A warning while the language chooser cannot name it (give it
    a name in `language_names`), a note once it can: the rules of the source language are a
    known limit, not something to fix, and must not fail the `--strict` print run."""
    unnamed = language_name(lang, names) == lang
    if babel_knows(lang):
        if unnamed:
            diags.warning(where, _("no name known for language '{lang}': the language chooser shows its code; "
                                   "give its name in language_names").format(lang=lang))
        return
    if lang == source:
        message = _("Babel has no data for the source language '{lang}': dates print as YYYY-MM-DD").format(lang=lang)
    else:
        message = _("Babel has no data for language '{lang}': its dates, plural forms and sorting follow "
                    "{source}").format(lang=lang, source=language_label(source))
    if unnamed:
        diags.warning(where, message + _("; the language chooser shows its code: give its name in language_names"))
    else:
        note(diags, where, message)


def language_label(lang: str) -> str:
    """A language as a message names it, in the interface's language: `Spanish (es)`, `español (es)`."""
    try:
        return f"{Locale.parse(lang.replace('-', '_')).get_display_name(interface())} ({lang})"
    except (UnknownLocaleError, ValueError, TypeError):
        return f"'{lang}'"


def note(diags: Diagnostics, location: Location | None, message: str) -> None:
    """A note: printed like a warning (`path: note: ...`), but not one, so `--strict` passes."""
    diags.add(Diagnostic("note", location, message))


def translations(content: Path, lang: str, source: str | None = None) -> gettext.NullTranslations:
    """Compiled translations for `lang`; English msgids need none. A word `lang`'s catalog
    does not translate (or a language with no catalog yet) falls back to the `source`
    language's catalog, so a Quechua handout has Spanish headings, never English ones. A
    catalog `check` would refuse raises `ContentError` (the build checks first, so only an
    edit made since meets it)."""
    fallback = fallback_language(lang, source)
    path = catalog_path(content, lang)
    if not present(path) or lang == MSGID_LANGUAGE:
        return translations(content, fallback) if fallback != MSGID_LANGUAGE else gettext.NullTranslations()
    diags = Diagnostics()
    compiled = load_catalog(path, str(path), lang, diags, content)
    if compiled is None:
        first = diags.errors[0]
        raise ContentError(first.location, first.message)
    if fallback != MSGID_LANGUAGE:
        compiled = _with_fallback(compiled, translations(content, fallback))
    return compiled


def _with_fallback(compiled: gettext.GNUTranslations, fallback: gettext.NullTranslations) -> gettext.GNUTranslations:
    """A copy of `compiled` (shared by every caller through the cache) that falls back to `fallback`."""
    chained = gettext.GNUTranslations.__new__(gettext.GNUTranslations)
    chained.__dict__.update(compiled.__dict__)
    chained._fallback = None
    chained.add_fallback(fallback)
    return chained


def load_catalog(path: Path, display: str, lang: str, diags: Diagnostics,
                 root: Path | None = None) -> gettext.GNUTranslations | None:
    """The catalog compiled, or None after recording why it cannot be used. Keyed on the
    file's bytes: a catalog edited while `watch` runs is read again, an unchanged one is not."""
    data = read_guarded(path, display, diags, root, MAX_CATALOG_BYTES, what="catalog",
                        rule="a catalog must be a plain text file")
    if data is None:
        return None
    compiled, problems = _compiled(data, display, lang)
    for problem in problems:
        diags.add(problem)
    return compiled


def read_catalog(data: bytes, display: str, lang: str, diags: Diagnostics) -> Catalog | None:
    """Parse a catalog's bytes strictly; None (and errors) when it is damaged. Placeholder
    mistakes are errors too, but the catalog is still returned (tools/update_catalog.py
    keeps the translator's work)."""
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is accepted
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(Location(display, line), _("not UTF-8 text (byte 0x{byte:02x} at offset {offset}); save the file "
                                               "as UTF-8").format(byte=data[exc.start], offset=exc.start))
        return None
    lines = text.splitlines()
    damaged = _unquoted(lines)
    if damaged:
        diags.error(Location(display, damaged), _("damaged catalog: a text must be one quoted string "
                                                  "(\"...\") on its line; is the file cut short?"))
        return None
    try:
        catalog = read_po(lines, locale=babel_locale(lang), abort_invalid=True)
    except PoFileError as exc:  # Babel's line numbers count from 0
        problem = str(exc).rpartition(" on ")[0] or str(exc)
        diags.error(Location(display, exc.lineno + 1), _("damaged catalog: {problem}").format(problem=problem))
        return None
    except (ValueError, TypeError) as exc:  # a header Babel cannot read (Plural-Forms, Language)
        diags.error(Location(display, _header_line(lines)), _("damaged catalog header: {problem}").format(problem=exc))
        return None
    # The text was decoded as UTF-8 above; a header naming another charset must not make
    # the compiled catalog encode it again in that one.
    catalog.charset = "utf-8"
    for message in catalog:
        for problem in _placeholder_problems(catalog, message):
            shown = message.id if isinstance(message.id, str) else message.id[0]
            diags.error(Location(display, _msgstr_line(lines, message.lineno)),
                        _("translation of {text}: {problem}; write the placeholders exactly as in the msgid").format(
                            text=repr(shown), problem=problem))
    return catalog


@lru_cache(maxsize=16)
def _compiled(data: bytes, display: str, lang: str) -> tuple[gettext.GNUTranslations | None, tuple[Diagnostic, ...]]:
    """The compiled catalog of these bytes, and the problems found in them."""
    diags = Diagnostics()
    catalog = read_catalog(data, display, lang, diags)
    if catalog is None or diags.errors:
        return None, tuple(diags.items)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    try:
        compiled = gettext.GNUTranslations(buffer)
    except (ValueError, SyntaxError, OSError) as exc:  # a Plural-Forms expression gettext cannot use
        diags.error(Location(display, _header_line(data.decode("utf-8-sig").splitlines())),
                    _("damaged catalog header: {problem}").format(problem=exc))
        return None, tuple(diags.items)
    return compiled, tuple(diags.items)


# One PO string: quotes around characters that are not quotes, or escaped ones.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEYWORD = re.compile(r"(msgid|msgid_plural|msgctxt|msgstr|msgstr\[\d+\])\s+(.*)")


def _unquoted(lines: list[str]) -> int:
    """The 1-based line of the first text that is not one whole quoted string, or 0.
    Babel takes `msgstr "Activid` (a file cut short) as "Activi": a silent loss."""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("#~"):  # an obsolete entry: the same syntax after the mark
            line = line[2:].strip()
        elif line.startswith("#"):
            continue
        if not line:
            continue
        keyword = _KEYWORD.fullmatch(line)
        string = keyword.group(2) if keyword else line
        if string.startswith('"') and not _QUOTED.fullmatch(string):
            return number
    return 0  # other garbage (an unknown keyword) is Babel's to report, with its line


def _header_line(lines: list[str]) -> int:
    """The line of the header entry (`msgid ""`), where Language and Plural-Forms are."""
    return next((n for n, line in enumerate(lines, start=1) if line.strip() == 'msgid ""'), 1)


def _msgstr_line(lines: list[str], msgid_line: int | None) -> int:
    """The line of the translation (`msgstr`) of the entry whose msgid is on `msgid_line`:
    the line the translator must edit."""
    if not msgid_line:
        return 0
    for number in range(msgid_line, len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return msgid_line


# `{name}` placeholders (`{{` is a literal brace); `%(name)s` ones are Babel's checker's.
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_PERCENT = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)")


def _placeholder_problems(catalog: Catalog, message: Message) -> list[str]:
    """What is wrong with the placeholders of `message`'s translation: Babel's checkers
    (`%(minutos)s` for `%(minutes)s`, plural forms), then what they do not look at: `{name}`
    placeholders, and a `%(name)s` in a translation whose msgid has none."""
    if not message.id or not message.string:
        return []
    problems = [str(error) for error in message.check(catalog)]
    if problems:
        return problems
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    for pattern, written in ((_BRACE, "{%s}"), (_PERCENT, "%%(%s)s")):
        known = {name for msgid in ids for name in pattern.findall(msgid)}
        for string in strings:
            unknown = sorted(set(pattern.findall(string)) - known)
            if unknown:
                problems.append(_("unknown placeholder {name}").format(name=written % unknown[0]))
    return problems


def new_catalog(content: Path, lang: str, source: str, diags: Diagnostics) -> Catalog | None:
    """A catalog for `lang` to translate, made from the source language's (its template: the
    same words, and each one's Spanish as a note for the translator), with the plural rules
    of `lang`, or of the source language when Babel does not know `lang`. None (and why, in
    `diags`) when the source language has no catalog to start from."""
    from babel.messages.plurals import get_plural

    template_path = catalog_path(content, source)
    shown = str(template_path)
    data = read_guarded(template_path, shown, diags, content, MAX_CATALOG_BYTES, what="catalog",
                        rule="a catalog must be a plain text file") if present(template_path) else None
    template = read_catalog(data, shown, source, diags) if data is not None else None
    if template is None:
        if data is None and not diags.errors:
            diags.error(Location(shown), _("no catalog of the source language '{source}' to start the new one "
                                           "from").format(source=source))
        return None
    plural = get_plural(rules_language(lang, source).replace("-", "_"))
    catalog = Catalog(locale=babel_locale(lang), charset="utf-8", fuzzy=False, project="taller",
                      version=template.version, last_translator=f"{lang} translators", language_team=lang,
                      creation_date=template.creation_date, revision_date=template.creation_date,
                      header_comment=_("# The interface words of the materials in '{lang}': headings and labels.\n"
                                       "# Each msgid is the English word; the note above it is the {source} one.\n"
                                       "# A msgstr left empty prints the {source} word.").format(lang=lang, source=source))
    catalog.mime_headers = [("Plural-Forms", f"nplurals={plural.num_plurals}; plural={plural.plural_expr};")]
    for message in list(template)[1:]:
        if not message.id:
            continue
        string = ("",) * plural.num_plurals if isinstance(message.id, (list, tuple)) else ""
        shown_source = message.string if isinstance(message.string, str) else " | ".join(message.string or ())
        notes = [f"{source}: {shown_source}"] if shown_source else []
        catalog.add(message.id, string, context=message.context, auto_comments=notes)
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    """A catalog's PO file, laid out as tools/update_catalog.py writes them."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)
    return buffer.getvalue()


def long_date(value: dt.date | None, lang: str, source: str | None = None) -> str:
    """A date as people write it in `lang` (27 de noviembre de 2026 / November 27, 2026); in
    a language Babel has no data for (Aymara), as the `source` language writes it."""
    if not value:
        return ""
    for rules in dict.fromkeys((lang, rules_language(lang, source))):
        try:
            return format_date(value, format="long", locale=rules.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    # No source language given, or one Babel does not know either (the pseudo-locale `qps`
    # as source): an ISO date reads the same in every language.
    return value.isoformat()


def pending_mark(content: Path, lang: str, source: str | None = None) -> str:
    """The pending mark in `lang` ("(traducción pendiente)" in Spanish), from its catalog, or
    the `source` language's while `lang` has none. Not cached by name: `translations` reads
    the file, and compiles only bytes it has not seen."""
    return translations(content, lang, source).gettext(PENDING_MARK)


def language_name(lang: str, names: dict[str, str] | None = None) -> str:
    """The language's name in itself (Español, English): the curriculum's `language_names`
    first, then Babel's data; its code for a language neither names (Aymara without a name:
    `check` warns about it)."""
    if names and names.get(lang):
        return names[lang]
    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")).capitalize()
    except (UnknownLocaleError, ValueError):
        return lang
