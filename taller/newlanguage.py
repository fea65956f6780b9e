"""`new-language CODE --name NAME`: everything a new language needs, in files only.

It declares the language in `curriculum.yaml` (in `languages`, as a language in progress,
with its name), gives every text unit a fresh translation file (`qu.yaml` with a comment
and no text: every text is *missing*, prints in Spanish with a notice, and is reported in
one note per file), makes the interface catalog from the source language's, and says what
to translate first. Nothing is written when the content has errors, and a language already
declared only gets what it lacks.
"""

from __future__ import annotations

import argparse
import sys

from .checking import check
from .content.load import ContentFolder
from .diagnostics import Diagnostics, Location
from .language.catalogs import babel_knows, catalog_bytes, catalog_rel, language_label, new_catalog
from .language.declare import DeclareError, declare
from .messages import _
from .options import Options
from .write import atomic_write, transaction, write_target

CURRICULUM = "curriculum/curriculum.yaml"


def fresh_file(name: str, lang: str, unit: str, source: str) -> str:
    """The text of a translation file with nothing translated yet."""
    return _("# {name} ({lang}) text of {unit}, translated from {source}.yaml beside it. A text that is not\n"
             "# here yet prints as in {source}.yaml, with a notice. Translate in a PO editor\n"
             "# (python build.py po export --lang {lang} --dir po-{lang}, then po import), or here, key by\n"
             "# key as in {source}.yaml: see content/README.md, \"Translating\".\n").format(
        name=name, lang=lang, unit=unit, source=source)


def main(args: argparse.Namespace, options: Options) -> int:
    """Run `new-language`; returns the exit code (2: bad usage)."""
    name = " ".join(args.name.split())
    if len(args.code) != 1 or not name or len(name) > 40 or not name.isprintable():
        print("build.py new-language: error: " + (_("give one language code, such as qu") if len(args.code) != 1 else
              _("--name needs the language's name, a short line of text (at most 40 characters)")), file=sys.stderr)
        return 2
    lang = args.code[0]
    diags = Diagnostics()
    cur = check(options, diags)
    folder = ContentFolder(options.content, options.content_display)
    if cur is None:
        return _failed(diags.errors)
    if lang == cur.source_language:
        return _failed([], _("'{lang}' is the source language: every other language is translated from it").format(
            lang=lang))
    texts = [unit for unit in cur.texts if not (folder.path(f"{unit}/{lang}.yaml").exists()
                                                  or folder.path(f"{unit}/{lang}.yaml").is_symlink())]
    catalog_missing = not folder.path(catalog_rel(lang)).exists()
    # Errors about the files this command makes (a declared language without them) are what it fixes.
    making = {folder.show(f"{unit}/{lang}.yaml") for unit in texts} | {folder.show(catalog_rel(lang))}
    blocking = [d for d in diags.errors if d.location is None or d.location.path not in making]
    if blocking:
        return _failed(blocking)
    files: dict[str, bytes] = {}
    declared = lang in cur.languages
    curriculum = folder.path(CURRICULUM)
    try:
        text = curriculum.read_text(encoding="utf-8")
        new = declare(text, lang, name if not cur.language_names.get(lang) else "", in_progress=not declared)
    except (OSError, UnicodeDecodeError, DeclareError) as exc:
        problem = Diagnostics()
        problem.error(Location(folder.show(CURRICULUM)), _(
            "{problem}; add it by hand: languages: [..., {lang}], languages_in_progress: [{lang}], "
            "language_names: {{{lang}: {name}}}").format(problem=exc, lang=lang, name=name))
        return _failed(problem.errors)
    if new != text:
        files[CURRICULUM] = new.encode("utf-8")
    for unit in texts:
        files[f"{unit}/{lang}.yaml"] = fresh_file(name, lang, unit, cur.source_language).encode("utf-8")
    words = 0
    if catalog_missing:
        problems = Diagnostics()
        catalog = new_catalog(options.content, lang, cur.source_language, problems)
        if catalog is None:
            return _failed(problems.errors)
        files[catalog_rel(lang)] = catalog_bytes(catalog)
        words = sum(1 for m in catalog if m.id)
    if not files:
        print(_("{lang}: already declared, with its text files and its catalog: nothing to make").format(lang=lang))
        return 0
    with transaction(folder.root):  # all of it or, on any failure, none of it
        for rel, data in files.items():
            atomic_write(write_target(folder.path(rel), folder.root), data)
    _report(cur, folder, lang, name, declared, CURRICULUM in files, texts, words if catalog_missing else None)
    return 0


def _report(cur, folder: ContentFolder, lang: str, name: str, declared: bool, edited: bool, texts: list[str],
            words: int | None) -> None:
    source = language_label(cur.source_language)
    if edited:
        print(_("{name} ({lang}) added to {path}, as a language in progress").format(
            name=name, lang=lang, path=folder.show(CURRICULUM)) if not declared else
            _("{name} ({lang}): its name added to {path}").format(name=name, lang=lang, path=folder.show(CURRICULUM)))
    if texts:
        print(_("made {count} text files ({lang}.yaml beside each {source_code}.yaml): nothing is translated yet, "
                "so every text prints in {source}, with a notice").format(
            count=len(texts), lang=lang, source_code=cur.source_language, source=source))
    if words is not None:
        print(_("made {path}: {count} interface words to translate, from the {source} catalog").format(
            path=folder.show(catalog_rel(lang)), count=words, source=source))
    if not babel_knows(lang):
        print(_("the program has no calendar or plural rules for '{lang}': its dates, plural forms and sorting follow "
                "{source}").format(lang=lang, source=source))
    print(_("Translate first:"))
    print("  1. " + _("the pocket card: {path}").format(path=folder.show(f"card/{lang}.yaml")))
    print("  2. " + _("the headings and labels: {path}").format(path=folder.show(catalog_rel(lang))))
    print("  3. " + _("the participants' handouts: `handout:` in {path}").format(
        path=folder.show(f"modules/*/{lang}.yaml")))
    print("  4. " + _("the glossary and the legal facts: {glossary}, {legal}").format(
        glossary=folder.show(f"glossary/{lang}.yaml"), legal=folder.show(f"legal/{lang}.yaml")))
    print("  " + _("then the facilitators' guides (`sessions:` in each module) and the rest."))
    print(_("In a PO editor (Poedit, Weblate, OmegaT): python build.py po export --lang {lang} --dir po-{lang}").format(
        lang=lang))
    print(_("How far it is: python build.py status --lang {lang}. Build it now: python build.py --lang {lang}").format(
        lang=lang))


def _failed(errors: list, message: str = "") -> int:
    for diagnostic in Diagnostics(list(errors)).sorted():
        print(diagnostic, file=sys.stderr)
    if message:
        print("error: " + message, file=sys.stderr)  # `error:` stays English, as in every diagnostic
    print(_("nothing added"), file=sys.stderr)
    return 1
