"""Interface strings: the program's own words (help, diagnostics, summaries, progress) in
the facilitator's language, and marks for the materials' words.

Two catalogs, two jobs:
- `_()` and `ngettext()` translate the program's messages into the *interface* language,
  chosen once at start (`use_interface`: from `--ui`, else the locale). The catalog is
  `taller/locales/<lang>/LC_MESSAGES/taller.po` (domain `taller`); English is the msgids
  themselves. Wrap the literal, then fill it in: `_("unknown term '{term}'").format(term=term)`,
  so extraction (tools/update_catalog.py) sees the msgid.
- `N_` marks a string for the *materials'* catalogs under content/locales/ (the kind labels,
  the pending mark); it is translated where it is shown, in the output's language.

The catalog is read straight from its PO file by the small reader below, not through
Babel or a compiled .mo: importing Babel costs about a tenth of a second, which a no-op
build must not pay, and a .mo would go stale each time someone appends an entry to the PO.
"""

from __future__ import annotations

import errno
import gettext
import os
import re
from functools import lru_cache
from pathlib import Path

DOMAIN = "taller"
LOCALES = Path(__file__).resolve().parent / "locales"
SOURCE = "en"  # the msgids' language: needs no catalog
INTERFACES = ("es", "en")
# gettext's order: the first of these that is set and not empty names the language.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_SPANISH = re.compile(r"es([_.@-]|$)", re.IGNORECASE)
_ENGLISH = re.compile(r"(en([_.@-]|$)|c$|c\.|posix$)", re.IGNORECASE)


class _Catalog:
    """One language's messages: msgid → msgstr, and msgid → plural forms."""

    def __init__(self, singular: dict[str, str], plurals: dict[str, list[str]], plural_form):
        self.singular, self.plurals, self.plural_form = singular, plurals, plural_form


_NONE = _Catalog({}, {}, lambda n: int(n != 1))
_current = {"lang": SOURCE, "catalog": _NONE}


def N_(message: str) -> str:
    """Mark `message` for the materials' catalog; returns it unchanged (translated later)."""
    return message


def _(message: str) -> str:
    """Translate an interface message into the interface language (see the module's doc)."""
    return _current["catalog"].singular.get(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for `n`, in the interface language (Spanish and
    English both have two forms; the catalog's Plural-Forms says which is which)."""
    catalog = _current["catalog"]
    forms = catalog.plurals.get(singular)
    if forms and all(forms):
        return forms[min(catalog.plural_form(n), len(forms) - 1)]
    return singular if n == 1 else plural


def interface() -> str:
    """The interface language in use (`es` or `en`)."""
    return _current["lang"]


def interface_from_environment(environ: dict[str, str] | None = None) -> str:
    """`es` for a Spanish locale, else `en`, from the first locale variable set, in
    gettext's order. LANGUAGE may list several (`fr:es`): the first we speak wins."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if not value:
            continue
        for entry in value.split(":"):
            if _SPANISH.match(entry):
                return "es"
            if _ENGLISH.match(entry):
                return "en"
        return SOURCE
    return SOURCE


def use_interface(lang: str) -> None:
    """Speak `lang` from now on (the command line calls this once, before building its help)."""
    lang = lang.lower()
    _current["lang"] = lang if lang in INTERFACES else SOURCE
    _current["catalog"] = _NONE if _current["lang"] == SOURCE else _catalog(_current["lang"])


def catalog_path(lang: str) -> Path:
    """The program's catalog for `lang`."""
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> _Catalog:
    try:
        text = catalog_path(lang).read_text(encoding="utf-8")
    except OSError:  # an installation without the catalog still works, in English
        return _NONE
    return read_po(text)


def read_po(text: str) -> _Catalog:
    """The translated, non-fuzzy entries of a PO file (our own, from the package: a file
    that breaks the format loses only the entries it breaks)."""
    singular: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    header = ""
    for entry in _entries(text):
        msgid = entry.get("msgid")
        if msgid is None or "msgctxt" in entry:
            continue
        if msgid == "":
            header = entry.get("msgstr", "")
            continue
        if entry.get("fuzzy"):
            continue
        if "msgid_plural" in entry:
            forms = [entry[key] for key in sorted(k for k in entry if k.startswith("msgstr["))]
            plurals[msgid] = forms
        elif entry.get("msgstr"):
            singular[msgid] = entry["msgstr"]
    return _Catalog(singular, plurals, _plural_form(header))


def _entries(text: str):
    """Each entry of a PO file as {keyword: text, "fuzzy": bool}; obsolete (#~) ones skipped."""
    entry: dict = {}
    keyword = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if any(k.startswith("msgstr") for k in entry):
                yield entry
                entry, keyword = {}, None
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        if line.startswith('"'):
            if keyword is not None:
                entry[keyword] += _unquote(line)
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry):
            yield entry
            entry = {}
        entry[keyword] = _unquote(rest)
    if entry:
        yield entry


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    inner = quoted.strip()[1:-1] if len(quoted.strip()) >= 2 else ""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), inner)


def _plural_form(header: str):
    match = re.search(r"plural\s*=\s*([^;\n]+)", header)
    try:
        return gettext.c2py(match.group(1)) if match else _NONE.plural_form
    except (ValueError, SyntaxError):
        return _NONE.plural_form


def decimal(value: float, places: int = 1) -> str:
    """A number with decimals as the interface language writes it ("4.2" / "4,2")."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if _current["lang"] == "es" else text


def reason(exc: OSError) -> str:
    """Why a file or folder could not be read, made or written, in the interface language
    (Python gives the system's English words; these msgids are those words, as glibc says them)."""
    words = {
        errno.ENOENT: _("No such file or directory"),
        errno.EACCES: _("Permission denied"),
        errno.EPERM: _("Operation not permitted"),
        errno.EROFS: _("Read-only file system"),
        errno.ENOTDIR: _("Not a directory"),
        errno.EISDIR: _("Is a directory"),
        errno.EEXIST: _("File exists"),
        errno.ENOSPC: _("No space left on device"),
        errno.EDQUOT: _("Disk quota exceeded"),
        errno.ENAMETOOLONG: _("File name too long"),
        errno.EIO: _("Input/output error"),
    }
    if _current["lang"] == SOURCE or exc.errno not in words:
        return exc.strerror or str(exc)
    return words[exc.errno]
