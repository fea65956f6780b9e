"""The one validation entry point: every command (build, check, status, translated, plan,
watch) reads and checks the content through `check`, so they all see the same problems."""

from __future__ import annotations

from .content.load import ContentFolder, load
from .content.model import Curriculum
from .content.validate import validate
from .diagnostics import Diagnostics, Location
from .language.catalogs import catalog_rel, check_catalog, language_name
from .language.freshness import check_all
from .options import Options


def check(options: Options, diags: Diagnostics) -> Curriculum | None:
    """Load and validate the content, and the options that name parts of it (--lang,
    --org); returns the curriculum when it could be read, even with errors (the caller
    decides: a build writes nothing then, `status` still counts)."""
    folder = ContentFolder(options.content, options.content_display)
    cur = load(folder, diags)
    if cur is None:
        return None
    validate(cur, diags, folder)  # a file that could not be read makes no "unknown"/"missing" noise
    check_all(cur, diags, folder.unreadable)
    for lang in cur.languages:
        if language_name(lang) == lang:
            diags.warning(cur.loc, f"no name known for language '{lang}': the language chooser shows its code")
        # Read, parsed and its placeholders checked here: the build never meets an unchecked one.
        check_catalog(options.content, folder.show(catalog_rel(lang)), lang, diags)
    for lang in options.langs or []:
        if lang not in cur.languages:
            diags.error(cur.loc, f"language '{lang}' is not declared in curriculum.yaml "
                                 f"(declared: {', '.join(cur.languages)})")
    if options.org and options.org not in cur.orgs and folder.show(f"orgs/{options.org}.yaml") not in folder.unreadable:
        orgs = f"{options.content_display.rstrip('/')}/orgs"
        diags.error(Location(orgs), f"unknown organisation '{options.org}' for --org: no file {orgs}/{options.org}.yaml "
                                    f"(known: {', '.join(sorted(cur.orgs)) or 'none'})")
    return cur
