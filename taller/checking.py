"""The one validation entry point: every command (build, check, status, translated, plan,
watch) reads and checks the content through `check`, so they all see the same problems."""

from __future__ import annotations

from .content.load import ContentFolder, load
from .content.model import Curriculum
from .content.suggest import hint
from .content.validate import validate
from .diagnostics import Diagnostics, Location
from .language.catalogs import catalog_rel, check_catalog, check_locale
from .language.freshness import check_all
from .messages import _
from .options import Options


def check(options: Options, diags: Diagnostics, verbose: bool = False) -> Curriculum | None:
    """Load and validate the content, and the options that name parts of it (--lang,
    --org); returns the curriculum when it could be read, even with errors (the caller
    decides: a build writes nothing then, `status` still counts). `verbose`: every block
    a language in progress has still to translate, not one line per file."""
    folder = ContentFolder(options.content, options.content_display)
    cur = load(folder, diags)
    if cur is None:
        return None
    validate(cur, diags, folder)  # a file that could not be read makes no "unknown"/"missing" noise
    check_all(cur, diags, folder.unreadable, verbose)
    for lang in cur.languages:
        check_locale(lang, cur.source_language, cur.language_names, cur.loc, diags)
        # Read, parsed and its placeholders checked here: the build never meets an unchecked one.
        check_catalog(options.content, folder.show(catalog_rel(lang)), lang, diags, cur.source_language,
                      cur.in_progress(lang))
    for lang in options.langs or []:
        if lang not in cur.languages:
            diags.error(cur.loc, _("language '{lang}' is not declared in curriculum.yaml (declared: {declared})").format(
                lang=lang, declared=", ".join(cur.languages)))
    if options.org and options.org not in cur.orgs and folder.show(f"orgs/{options.org}.yaml") not in folder.unreadable:
        orgs = f"{options.content_display.rstrip('/')}/orgs"
        diags.error(Location(orgs), _("unknown organisation '{org}' for --org: no file {orgs}/{org}.yaml "
                                      "(known: {known})").format(org=options.org, orgs=orgs,
                                                                 known=", ".join(sorted(cur.orgs)) or _("none"))
                    + hint(options.org, cur.orgs))
    return cur
