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
from babel.messages.pofile import PoFileError, read_po

from ..content.guard import present, read_guarded
from ..diagnostics import ContentError, Diagnostic, Diagnostics, Location
from ..messages import N_

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


def check_catalog(content: Path, display: str, lang: str, diags: Diagnostics) -> None:
    """Record every problem of `lang`'s catalog (`display`: how its path is shown); warn when a
    language other than English has none."""
    path = catalog_path(content, lang)
    if present(path):
        load_catalog(path, display, lang, diags, content)
    elif lang != MSGID_LANGUAGE:
        diags.warning(Location(display), f"no interface catalog for '{lang}': headings and labels print in "
                                         f"English; make it with `python tools/update_catalog.py {lang}`")


def translations(content: Path, lang: str) -> gettext.NullTranslations:
    """Compiled translations for `lang`; English msgids need none. A catalog `check` would
    refuse raises `ContentError` (the build checks first, so only an edit made since meets it)."""
    path = catalog_path(content, lang)
    if not present(path):
        return gettext.NullTranslations()
    diags = Diagnostics()
    compiled = load_catalog(path, str(path), lang, diags, content)
    if compiled is None:
        first = diags.errors[0]
        raise ContentError(first.location, first.message)
    return compiled


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
        diags.error(Location(display, line), f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                             "save the file as UTF-8")
        return None
    lines = text.splitlines()
    damaged = _unquoted(lines)
    if damaged:
        diags.error(Location(display, damaged), "damaged catalog: a text must be one quoted string "
                                                "(\"...\") on its line; is the file cut short?")
        return None
    try:
        catalog = read_po(lines, locale=babel_locale(lang), abort_invalid=True)
    except PoFileError as exc:  # Babel's line numbers count from 0
        problem = str(exc).rpartition(" on ")[0] or str(exc)
        diags.error(Location(display, exc.lineno + 1), f"damaged catalog: {problem}")
        return None
    except (ValueError, TypeError) as exc:  # a header Babel cannot read (Plural-Forms, Language)
        diags.error(Location(display, _header_line(lines)), f"damaged catalog header: {exc}")
        return None
    # The text was decoded as UTF-8 above; a header naming another charset must not make
    # the compiled catalog encode it again in that one.
    catalog.charset = "utf-8"
    for message in catalog:
        for problem in _placeholder_problems(catalog, message):
            shown = message.id if isinstance(message.id, str) else message.id[0]
            diags.error(Location(display, _msgstr_line(lines, message.lineno)),
                        f"translation of {shown!r}: {problem}; write the placeholders exactly as in the msgid")
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
        diags.error(Location(display, _header_line(data.decode("utf-8-sig").splitlines())), f"damaged catalog header: {exc}")
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
                problems.append(f"unknown placeholder {written % unknown[0]}")
    return problems


def long_date(value: dt.date | None, lang: str) -> str:
    """A date as people write it in `lang` (27 de noviembre de 2026 / November 27, 2026)."""
    if not value:
        return ""
    try:
        return format_date(value, format="long", locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        # A language Babel has no data for (Aymara, the test pseudo-locale `qps`): adding a
        # language needs no code change, and an ISO date reads the same in every language.
        return value.isoformat()


def pending_mark(content: Path, lang: str) -> str:
    """The pending mark in `lang` ("(traducción pendiente)" in Spanish), from its catalog.
    Not cached by name: `translations` reads the file, and compiles only bytes it has not seen."""
    return translations(content, lang).gettext(PENDING_MARK)


def language_name(lang: str) -> str:
    """The language's name in itself (Español, English), from Babel's data; its code for a
    language Babel has no data for (Aymara, the pseudo-locale: `check` warns about it)."""
    from babel import Locale

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")).capitalize()
    except (UnknownLocaleError, ValueError):
        return lang
