"""Extract interface strings and merge them into a language's two catalogs.

Usage: python tools/update_catalog.py es   (keeps existing translations; new strings empty)

The two catalogs never mix:
- the materials' words (domain `messages`, `content/locales/<lang>/LC_MESSAGES/messages.po`,
  read by the renderer in the output's language): the templates' gettext calls and the
  program's `N_()` marks, as babel.cfg maps them;
- the program's own words (domain `taller`, `taller/locales/<lang>/LC_MESSAGES/taller.po`,
  read by taller/messages.py in the interface language): `_()` and `ngettext()` in
  taller/**.py, and argparse's own strings ("usage: ", "the following arguments are
  required: %s"), extracted from the argparse this Python runs. Made only for a language
  the interface speaks (a folder under taller/locales/).

An existing content catalog is read the way `check` reads it (guarded, strict, placeholders
checked): a damaged one is reported with its line and left as it is, never rewritten with
the entries Babel could not read dropped. The program's catalog keeps entries no code uses
any more as obsolete (`#~`) lines, so a translation appended before its code lands is not lost.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir, extract_from_file  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from taller import __version__  # noqa: E402
from taller.content.fields import ID_RE  # noqa: E402
from taller.content.guard import present, read_guarded  # noqa: E402
from taller.diagnostics import Diagnostics, Location  # noqa: E402
from taller.language.catalogs import MAX_CATALOG_BYTES, babel_locale, catalog_path, read_catalog  # noqa: E402

PROGRAM_KEYWORDS = {"_": None, "ngettext": (1, 2)}


def main(lang: str) -> int:
    content = ROOT / "content"
    path = catalog_path(content, lang)
    shown = str(path.relative_to(ROOT))
    diags = Diagnostics()
    if not ID_RE.match(lang):  # it names a folder: no '/', no '..'
        diags.error(Location(shown), f"'{lang}' is not a language code (such as es, en, ay)")
        return _failed(diags)
    catalog = Catalog(locale=babel_locale(lang))
    if present(path):
        data = read_guarded(path, shown, diags, content, MAX_CATALOG_BYTES, what="catalog",
                            rule="a catalog must be a plain text file")
        catalog = read_catalog(data, shown, lang, diags) if data is not None else None
        if catalog is None or diags.errors:
            return _failed(diags)
    _merge(catalog, _materials_template(), path, keep_obsolete=False)
    program = ROOT / "taller" / "locales" / lang
    if program.is_dir():
        _update_program_catalog(lang, program / "LC_MESSAGES" / "taller.po")
    return 0


def _materials_template() -> Catalog:
    """The materials' msgids: babel.cfg's mapping, with only the keywords each section names
    (no default keywords, which would pull the program's `_()` messages in)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(ROOT, method_map, options_map, keywords={}):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _program_template() -> Catalog:
    """The program's msgids: its `_()` and `ngettext()` calls, and argparse's."""
    template = Catalog()
    found = extract_from_dir(ROOT / "taller", [("**.py", "python")], keywords=PROGRAM_KEYWORDS)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(f"taller/{filename}", lineno)], auto_comments=comments, context=context)
    for lineno, message, comments, context in extract_from_file("python", argparse.__file__, keywords=PROGRAM_KEYWORDS):
        template.add(message, None, [("argparse.py", lineno)], auto_comments=comments, context=context)
    return template


def _update_program_catalog(lang: str, path: Path) -> None:
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=babel_locale(lang))
        catalog.project, catalog.version = "taller", __version__  # Babel read "taller" as the version
    else:
        catalog = Catalog(locale=babel_locale(lang), project="taller", version=__version__)
    _merge(catalog, _program_template(), path, keep_obsolete=True)


def _merge(catalog: Catalog, template: Catalog, path: Path, keep_obsolete: bool) -> None:
    catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True,
                 ignore_obsolete=not keep_obsolete)
    missing = [m.id for m in catalog
               if m.id and not (m.string if isinstance(m.string, str) else all(m.string or [None]))]
    print(f"{path.relative_to(ROOT)}: {len(catalog)} strings, {len(missing)} untranslated")


def _failed(diags: Diagnostics) -> int:
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    print(f"{len(diags.errors)} errors: the catalog is left as it is; fix them and run this again", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
