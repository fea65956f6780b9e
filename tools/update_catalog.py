"""Extract interface strings from templates and merge them into a language's catalog.

Usage: python tools/update_catalog.py es   (keeps existing translations; new strings empty)

The existing catalog is read the way `check` reads it (guarded, strict, placeholders
checked): a damaged one is reported with its line and left as it is, never rewritten with
the entries Babel could not read dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.frontend import CommandLineInterface  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from taller.content.fields import ID_RE  # noqa: E402
from taller.content.guard import present, read_guarded  # noqa: E402
from taller.diagnostics import Diagnostics, Location  # noqa: E402
from taller.language.catalogs import MAX_CATALOG_BYTES, babel_locale, catalog_path, read_catalog  # noqa: E402


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
    pot = ROOT / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location",
                                "--omit-header", "--sort-output", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        template = read_po(handle)
    pot.unlink()
    catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{shown}: {len(catalog)} strings, {len(missing)} untranslated")
    return 0


def _failed(diags: Diagnostics) -> int:
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    print(f"{len(diags.errors)} errors: the catalog is left as it is; fix them and run this again", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
