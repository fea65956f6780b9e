"""The translator's commands: `status` (how far each translation is) and `translated`
(record that some blocks were brought up to date with their source).

`translated` never marks in bulk by accident: a whole unit needs `--all`, the whole
curriculum `--all --yes-i-checked-every-block`, and a block with no translation is never
marked.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from .checking import check
from .content.load import ContentFolder
from .content.model import Curriculum
from .content.texts import SIDECAR_SUFFIX
from .diagnostics import Diagnostics, Location
from .language import provenance
from .language.freshness import State, state
from .language.status import status_table
from .messages import _, ngettext
from .options import Options


def main(command: str, args: argparse.Namespace, options: Options) -> int:
    """Run `status` or `translated` (arguments checked by the command line); returns the exit code."""
    diags = Diagnostics()
    cur = check(options, diags)  # also: each --lang is a declared language
    if command == "status":
        return _status(cur, args.lang, diags, options)
    return _translated(cur, options, args.lang[0], args.keys, diags)


def _status(cur: Curriculum | None, langs: list[str] | None, diags: Diagnostics, options: Options | None = None) -> int:
    # Stale and missing blocks are what the table counts; `check` lists them one by one.
    unknown = [lang for lang in langs or [] if cur is not None and lang not in cur.languages]
    _print_errors(diags.errors)
    if cur is None or unknown:
        return 1
    from .reviewing import review_table

    print(status_table(cur, langs or cur.languages), end="")
    print()
    if options is not None:  # the audio edition's recordings in our own voices (recording.py)
        from .recording import recording_table

        print(recording_table(cur, options, langs or cur.languages), end="")
        print()
    print(review_table(cur), end="")
    return 1 if diags.errors else 0


@dataclass(frozen=True)
class _Selection:
    """The blocks one KEY argument names."""

    unit: str
    keys: list[str]
    exact: bool  # named one block: refuse rather than skip it when it has no translation


def _translated(cur: Curriculum | None, options: Options, lang: str, keys: list[str], diags: Diagnostics) -> int:
    if cur is None:
        _print_errors(diags.errors)
        return 1
    problems = Diagnostics()
    if lang not in cur.languages:  # `check` said so
        _print_errors([d for d in diags.errors if "is not declared in curriculum.yaml" in d.message])
        return 1
    if lang == cur.source_language:
        problems.error(None, _("'{lang}' is the source language: only translations record what they were translated "
                               "from").format(lang=lang))
        _print_errors(problems.errors)
        return 1
    folder = ContentFolder(options.content, options.content_display)
    selections = _select(cur, keys, problems)
    files = {folder.show(f"{sel.unit}/{code}.yaml") for sel in selections for code in (cur.source_language, lang)}
    files |= {folder.show(f"{sel.unit}/{lang}{SIDECAR_SUFFIX}") for sel in selections}  # its record: rewritten whole
    # An error in a file being marked (bad YAML, an emptied file, a wrong list) must be fixed
    # first: a fingerprint says "this translation is right", so it needs a readable one.
    blocking = [d for d in diags.errors if d.location is not None and d.location.path in files]
    to_mark: dict[str, dict[str, str]] = {}
    skipped: list[str] = []
    for sel in selections:
        source, translation = cur.texts[sel.unit][cur.source_language], cur.texts[sel.unit].get(lang)
        for key in sel.keys:
            if translation is None or key not in translation.blocks:
                if sel.exact:
                    where = translation.line_for(key) if translation else Location(folder.show(f"{sel.unit}/{lang}.yaml"))
                    problems.error(where, _("cannot mark {key}: it has no translation yet").format(key=key))
                else:
                    skipped.append(f"{sel.unit}:{key}")
                continue
            to_mark.setdefault(sel.unit, {})[key] = source.blocks[key].fingerprint()
    if blocking or problems.errors:
        _print_errors(blocking + problems.errors)
        print(_("nothing marked"), file=sys.stderr)
        return 1
    stale = 0
    for unit, new in sorted(to_mark.items()):
        translation = cur.texts[unit][lang]
        # A block removed from the translation takes its record with it: a record of a key
        # that no longer exists would be an "unknown key" warning for ever.
        entries = {key: fp.value for key, fp in translation.translated_from.items() if key in translation.blocks}
        for key in sorted(new):
            was_stale = state(cur.texts[unit][cur.source_language], translation, key) is State.STALE
            print((_("marked {name}") if was_stale else _("marked {name} (was already up to date)")).format(
                name=f"{unit}:{key}"))
            stale += was_stale
        entries.update(new)
        try:
            provenance.record(folder.path(f"{unit}/{lang}.yaml"), entries, folder.root)
        except provenance.RecordError as exc:
            print(f"{folder.show(f'{unit}/{lang}.yaml')}: error: {exc}", file=sys.stderr)  # exc: in the interface language
            return 1
    for name in skipped:
        print(_("skipped {name}: it has no translation yet").format(name=name))
    total = sum(len(new) for new in to_mark.values())
    print(_("{lang}: {blocks} marked as translated from the current source ({stale} stale before), {skipped} "
            "skipped, in {files}").format(
        lang=lang, blocks=ngettext("{count} block", "{count} blocks", total).format(count=total), stale=stale,
        skipped=len(skipped), files=ngettext("{count} file", "{count} files", len(to_mark)).format(count=len(to_mark))))
    return 0


def _select(cur: Curriculum, args: list[str], problems: Diagnostics) -> list[_Selection]:
    """Turn KEY arguments (none: the whole curriculum) into blocks of the source language."""
    if not args:
        return [_Selection(unit, list(by_lang[cur.source_language].blocks), False)
                for unit, by_lang in sorted(cur.texts.items()) if cur.source_language in by_lang]
    selections = []
    for arg in args:
        unit, _colon, prefix = arg.partition(":")
        if unit not in cur.texts:
            problems.error(None, _("unknown unit '{unit}' in {arg} (known: {known})").format(
                unit=unit, arg=repr(arg), known=", ".join(sorted(cur.texts))))
            continue
        source = cur.texts[unit].get(cur.source_language)
        if source is None:  # unreadable: load reported why
            problems.error(None, _("the {lang} text of {unit} could not be read; fix it first").format(
                lang=cur.source_language, unit=unit))
            continue
        keys = [k for k in source.blocks if not prefix or k == prefix or k.startswith(prefix + ".")]
        if not keys:
            problems.error(None, _("no text {prefix} in {unit} (it is not a key, nor the start of one, in {path})").format(
                prefix=repr(prefix), unit=unit, path=source.path))
            continue
        selections.append(_Selection(unit, keys, exact=bool(prefix) and keys == [prefix]))
    return selections


def _print_errors(errors: list) -> None:
    for diagnostic in Diagnostics(list(errors)).sorted():
        print(diagnostic, file=sys.stderr)
