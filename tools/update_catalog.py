"""Extract interface strings from templates and merge them into a language's catalog.

Usage: python tools/update_catalog.py es   (keeps existing translations; new strings empty)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(lang: str) -> int:
    pot = ROOT / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location",
                                "--omit-header", "--sort-output", "-o", str(pot), str(ROOT)])
    template = read_po(pot.open("rb"))
    pot.unlink()
    path = ROOT / "content" / "locales" / lang / "LC_MESSAGES" / "messages.po"
    catalog = read_po(path.open("rb"), locale=lang) if path.exists() else Catalog(locale=lang)
    catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True, ignore_obsolete=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{path.relative_to(ROOT)}: {len(catalog)} strings, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
