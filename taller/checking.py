"""The one validation entry point: every command (build, check, status, translated, plan,
watch) reads and checks the content through `check`, so they all see the same problems."""

from __future__ import annotations

from .content.load import ContentFolder, load
from .content.model import Curriculum
from .content.validate import validate
from .diagnostics import Diagnostics, Location
from .language.catalogs import MSGID_LANGUAGE, catalog_path, language_name
from .language.freshness import check_all
from .options import Options


def check(options: Options, diags: Diagnostics) -> Curriculum | None:
    """Load and validate the content, and the options that name parts of it (--lang,
    --org); returns the curriculum when it could be read, even with errors (the caller
    decides: a build writes nothing then, `status` still counts)."""
    cur = load(ContentFolder(options.content, options.content_display), diags)
    if cur is None:
        return None
    validate(cur, diags)
    check_all(cur, diags)
    for lang in cur.languages:
        if language_name(lang) == lang:
            diags.warning(cur.loc, f"no name known for language '{lang}': the language chooser shows its code")
        if lang != MSGID_LANGUAGE and not catalog_path(options.content, lang).is_file():
            shown = f"{options.content_display.rstrip('/')}/locales/{lang}/LC_MESSAGES/messages.po"
            diags.warning(Location(shown), f"no interface catalog for '{lang}': headings and labels print in "
                                           f"English; make it with `python tools/update_catalog.py {lang}`")
    for lang in options.langs or []:
        if lang not in cur.languages:
            diags.error(cur.loc, f"language '{lang}' is not declared in curriculum.yaml "
                                 f"(declared: {', '.join(cur.languages)})")
    if options.org and options.org not in cur.orgs:
        orgs = f"{options.content_display.rstrip('/')}/orgs"
        diags.error(Location(orgs), f"unknown organisation '{options.org}' for --org: no file {orgs}/{options.org}.yaml "
                                    f"(known: {', '.join(sorted(cur.orgs)) or 'none'})")
    return cur
