"""`po export|import --lang L --dir DIR`: the translations as PO files, and back.

Export writes one PO file per text unit (`DIR/modules/documenting.po`, `DIR/card.po`, ...)
and the interface catalog (`DIR/interface.po`); exporting into the same folder again keeps
each stale text's previous source (`#| msgid`). Import reads every PO file of DIR, checks
all of them (a broken file, a placeholder mismatch, an unknown key: `path:line: error:`),
and only then writes the translation files, their records and the catalog, all together
or not at all. See language/po.py for the format.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .checking import check
from .content.guard import present
from .content.load import ContentFolder
from .content.model import Curriculum
from .diagnostics import Diagnostics, Location
from .language import po, provenance
from .language.catalogs import (
    MSGID_LANGUAGE,
    catalog_bytes,
    catalog_path,
    catalog_rel,
    language_name,
    new_catalog,
    read_catalog,
)
from .language.textfile import key_paths, render
from .messages import _
from .newlanguage import fresh_file
from .options import Options
from .write import atomic_write, transaction, write_target

MAX_PO_BYTES = 4_000_000  # the largest unit (a module) exports to about 100 KB


def main(action: str, args: argparse.Namespace, options: Options) -> int:
    """Run `po export` or `po import`; returns the exit code (2: bad usage)."""
    if len(args.lang) != 1:
        print("build.py po: error: " + _("give the one language of the PO files, e.g. --lang qu"), file=sys.stderr)
        return 2
    lang, folder_out = args.lang[0], Path(args.dir)
    diags = Diagnostics()
    cur = check(options, diags)
    content = ContentFolder(options.content, options.content_display)
    if cur is None:
        return _failed(diags.errors, action)
    # A unit with no file in this language yet is what these commands are for: not in the way.
    absent = {content.show(f"{unit}/{lang}.yaml") for unit, by_lang in cur.texts.items() if lang not in by_lang}
    blocking = [d for d in diags.errors if d.location is None or d.location.path not in absent]
    if lang == cur.source_language:
        return _failed(blocking, action, _(
            "'{lang}' is the source language: PO files carry translations of it").format(lang=lang))
    if blocking:
        return _failed(blocking, action)
    if action == "export":
        return _export(cur, content, lang, folder_out, options)
    return _import(cur, content, lang, folder_out, options)


def _export(cur: Curriculum, content: ContentFolder, lang: str, out: Path, options: Options) -> int:
    if out.resolve().is_relative_to(content.root.resolve()):
        return _failed([], "export", _("--dir {dir} is inside the content folder: export to a folder of its own").format(
            dir=out))
    files: dict[Path, bytes] = {}
    lines = []
    for unit in sorted(cur.texts, key=_unit_order):
        if cur.source_language not in cur.texts[unit]:
            continue
        path = out / po.unit_file(unit)
        catalog = po.export_unit(cur, unit, lang, _previous(path))
        files[path] = po.po_bytes(catalog)
        entries = [m for m in catalog if m.id]
        todo = sum(1 for m in entries if not m.string)
        fuzzy = sum(1 for m in entries if m.fuzzy)
        lines.append(_("{path}: {count} texts, {todo} to translate, {fuzzy} fuzzy").format(
            path=path, count=len(entries), todo=todo, fuzzy=fuzzy))
    interface = catalog_path(options.content, lang)
    problems = Diagnostics()
    if lang == MSGID_LANGUAGE:
        pass  # the interface words are English already: no catalog to translate
    elif present(interface):
        files[out / po.INTERFACE] = interface.read_bytes()
    else:
        catalog = new_catalog(options.content, lang, cur.source_language, problems)
        if catalog is not None:
            files[out / po.INTERFACE] = catalog_bytes(catalog)
    if problems.errors:
        return _failed(problems.errors, "export")
    if out / po.INTERFACE in files:
        lines.append(_("{path}: the interface words ({catalog})").format(
            path=out / po.INTERFACE, catalog=content.show(catalog_rel(lang))))
    try:
        with transaction(out):
            for path, data in files.items():
                atomic_write(path, data)
    except OSError as exc:
        return _failed([], "export", _("cannot write into {dir}: {problem}").format(dir=out, problem=exc.strerror or exc))
    print("\n".join(lines))
    print(_("{lang}: {count} PO files in {dir}; translate them, then: python build.py po import --lang {lang} "
            "--dir {dir}").format(lang=lang, count=len(files), dir=out))
    return 0


def _previous(path: Path):
    """The earlier export in the folder, if it reads: it knows the old source texts."""
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return po.parse_po(data, str(path), Diagnostics())


def _import(cur: Curriculum, content: ContentFolder, lang: str, folder: Path, options: Options) -> int:
    diags = Diagnostics()
    if not folder.is_dir():
        return _failed([], "import", _("no folder {dir}").format(dir=folder))
    units = {po.unit_file(unit): unit for unit in cur.texts}
    found = sorted(p for p in folder.rglob("*.po") if p.is_file())
    if not found:
        return _failed([], "import", _("no PO files in {dir}: export them with `python build.py po export --lang {lang} "
                                       "--dir {dir}`").format(dir=folder, lang=lang))
    imports: list[po.UnitImport] = []
    interface = None
    for path in found:
        rel = path.relative_to(folder).as_posix()
        shown = str(path)
        data = _read(path, shown, diags)
        if data is None:
            continue
        if rel == po.INTERFACE:
            if lang != MSGID_LANGUAGE:  # English is the interface words themselves: nothing to bring in
                interface = (read_catalog(data, shown, lang, diags), shown)
            continue
        if rel not in units:
            diags.error(Location(shown), _("not the PO file of a text unit of this curriculum (their names: "
                                           "card.po, glossary.po, modules/<module>.po, ...)"))
            continue
        catalog = po.parse_po(data, shown, diags)
        if catalog is not None and cur.source_language in cur.texts[units[rel]]:
            imports.append(po.read_unit(cur, units[rel], lang, catalog, data, shown, diags))
    catalog_file = None
    if interface is not None and interface[0] is not None:
        catalog_file = _merged_catalog(options, cur, lang, *interface, diags)
    if diags.errors:
        return _failed(diags.errors, "import")
    writes: dict[Path, bytes] = {}
    records: dict[Path, dict[str, str]] = {}
    lines = []
    imported = 0
    for found_unit in imports:
        unit = found_unit.unit
        translation = cur.texts[unit].get(lang)
        new = po.changed(translation, found_unit)
        if new:
            text_file = content.path(f"{unit}/{lang}.yaml")
            source_file = content.path(f"{unit}/{cur.source_language}.yaml")
            values = {key: block.value for key, block in (translation.blocks.items() if translation else ())}
            values.update(found_unit.values)
            old = text_file.read_text(encoding="utf-8") if translation is not None else ""
            header = fresh_file(language_name(lang, cur.language_names), lang, unit, cur.source_language) if not old else ""
            writes[text_file] = render(key_paths(source_file.read_text(encoding="utf-8")), values, old,
                                       header).encode("utf-8")
            entries = {key: fp.value for key, fp in (translation.translated_from.items() if translation else ())
                       if key in values}
            entries.update(found_unit.made_from)
            records[text_file] = entries
        if new or found_unit.skipped_fuzzy:
            lines.append(_("{unit}: {count} new or changed, {fuzzy} fuzzy left out, {todo} not translated yet").format(
                unit=unit, count=len(new), fuzzy=found_unit.skipped_fuzzy, todo=found_unit.untranslated))
        imported += len(new)
    if catalog_file is not None:
        writes[catalog_path(options.content, lang)] = catalog_file
        lines.append(_("{path}: the interface words").format(path=content.show(catalog_rel(lang))))
    try:
        with transaction(content.root):  # every file, or (on any failure) none
            for path, data in writes.items():
                atomic_write(write_target(path, content.root), data)
            for text_file, entries in records.items():
                provenance.record(text_file, entries, content.root)
    except (OSError, provenance.RecordError) as exc:
        return _failed([], "import", str(exc))
    for line in lines:
        print(line)
    changed = len(records) + (catalog_file is not None)
    print(_("{lang}: {texts} texts imported from {files} PO files, {changed} content files changed; run "
            "`python build.py check`, then build").format(lang=lang, texts=imported, files=len(found), changed=changed))
    return 0


def _merged_catalog(options: Options, cur: Curriculum, lang: str, imported, shown: str,
                    diags: Diagnostics) -> bytes | None:
    """The language's interface catalog with the translations of `imported` (not fuzzy, not
    empty); None when nothing changes. A word the catalog does not have is an error."""
    path = catalog_path(options.content, lang)
    if present(path):
        base = read_catalog(path.read_bytes(), str(path), lang, diags)
    else:
        base = new_catalog(options.content, lang, cur.source_language, diags)
    if base is None:
        return None
    changed = False
    for message in list(imported)[1:]:
        if not message.id or message.fuzzy or not message.string or (
                isinstance(message.string, tuple) and not all(message.string)):
            continue
        target = base.get(message.id, message.context)
        if target is None:
            diags.error(Location(shown, message.lineno or 0),
                        _("'{word}' is not an interface word of this version of the program").format(
                            word=message.id if isinstance(message.id, str) else message.id[0]))
            continue
        if target.string != message.string or target.fuzzy:
            target.string = message.string
            target.flags.discard("fuzzy")
            changed = True
    return catalog_bytes(base) if changed or not present(path) else None


def _read(path: Path, shown: str, diags: Diagnostics) -> bytes | None:
    try:
        if path.stat().st_size > MAX_PO_BYTES or path.is_symlink():
            diags.error(Location(shown), _("not a PO file this program reads (a link, or larger than {size} MB)").format(
                size=MAX_PO_BYTES // 1_000_000))
            return None
        return path.read_bytes()
    except OSError as exc:
        diags.error(Location(shown), _("cannot read it: {problem}").format(problem=exc.strerror or exc))
        return None


def _unit_order(unit: str) -> tuple[int, str]:
    return (1 if unit.startswith("modules/") else 0, unit)


def _failed(errors: list, action: str, message: str = "") -> int:
    for diagnostic in Diagnostics(list(errors)).sorted():
        print(diagnostic, file=sys.stderr)
    if message:
        print("error: " + message, file=sys.stderr)  # `error:` stays English, as in every diagnostic
    print(_("nothing imported") if action == "import" else _("nothing exported"), file=sys.stderr)
    return 1
