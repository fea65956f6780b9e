"""`recorded`: record which text each recording of a handout (or of the card) was made from,
and `status`'s table of how much of each is recorded.

`python build.py recorded --lang es documenting 3 4` writes, beside the recordings, the
fingerprint of every text parts 3 and 4 read now (`content/audio/es/documenting/recorded.yaml`,
content/recordings.py): the same fingerprints translations record. From then on the build
uses those recordings in place of the synthetic voice, until a text they read changes: then
it warns, names the line that changed, and the synthetic voice reads that part until it is
recorded again and marked again. Only a part whose recording is there, and is a recording
the build would accept, can be marked.
"""

from __future__ import annotations

import re
import sys

from .checking import check
from .content.guard import present
from .content.recordings import CARD, RECORD, Standing, folder_rel, read_record, read_recordings, render_record, standing
from .diagnostics import Diagnostics, Location
from .messages import _
from .options import Options
from .write import atomic_write


def main(args, options: Options) -> int:
    """Record the parts `args.parts` of `args.module` in `args.lang`; returns the exit code."""
    from .kinds.audio import parts, texts_of

    if len(args.lang) != 1:
        print("recorded: " + _("error: give the one language of the recordings, e.g. --lang es"), file=sys.stderr)
        return 2
    lang, name = args.lang[0], args.module
    diags = Diagnostics()
    cur = check(options, diags)
    display = options.content_display.rstrip("/")
    shown_folder = f"{display}/{folder_rel(lang, name)}"
    chosen = {}
    if cur is not None and not diags.errors:
        known = [CARD, *(m.id for m in cur.modules)]
        if name not in known:
            diags.error(None, _("no module '{name}' (known: {known})").format(name=name, known=", ".join(known)))
        else:
            spoken = {p.number: p for p in parts(_renderer(cur, options), lang, None if name == CARD else name)}
            recordings = read_recordings(options.content, display, lang, name, diags)
            for arg in args.parts:
                number = _number(arg)
                part = spoken.get(number) if number is not None else None
                if part is None:
                    diags.error(None, _("no part {part} in {name} (its parts: 1 to {count}; see its recording "
                                        "script)").format(part=arg, name=name, count=len(spoken)))
                elif not part.recordable:
                    diags.error(None, _("part {number} ({heading}) is always read by the synthetic voice: it is not "
                                        "recorded").format(number=number, heading=part.heading))
                elif number not in recordings:
                    diags.error(Location(shown_folder), _("no usable recording of part {number}: put it here as "
                                                          "part-{number:02d}.ogg (or .opus, .m4a, .wav, .mp3)").format(
                        number=number))
                else:
                    chosen[number] = (recordings[number], part)
            record_file = options.content / folder_rel(lang, name) / RECORD
            if record_file.is_symlink() or (present(record_file) and not record_file.is_file()):
                diags.error(Location(f"{shown_folder}/{RECORD}"),
                            _("the record is not a plain file in the content folder; not written"))
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    if cur is None or diags.errors:
        print("recorded: " + _("nothing recorded (fix the errors first)"), file=sys.stderr)
        return 1
    # A record of a recording no longer there goes with it (a new file is marked anew).
    entries = {n: e.fingerprints for n, e in read_record(options.content, display, lang, name, Diagnostics()).items()
               if n in recordings}
    for number, (recording, part) in sorted(chosen.items()):
        entries[number] = {key: block.fingerprint() for key, block in texts_of(cur, lang, part).items()}
        print("recorded: " + _("{path} ({heading}), made from its text as it is now").format(
            path=recording.shown, heading=part.heading))
    atomic_write(options.content / folder_rel(lang, name) / RECORD, render_record(entries).encode("utf-8"))
    return 0


def _number(arg: str) -> int | None:
    """A part as the command line names it: `3`, `03` or `part-03`."""
    match = re.fullmatch(r"(?:part-)?0*(\d{1,2})", arg.strip())
    return int(match[1]) if match and int(match[1]) else None


def _renderer(cur, options: Options):
    from .render.html import Renderer, RenderOptions

    return Renderer(cur, RenderOptions(options.content, options.org or cur.default_org))


def recording_table(cur, options: Options, langs: list[str]) -> str:
    """`status`: for each language, each handout (and the card) with recordings, how many of
    its parts are recorded and current, older than their text, or not yet marked; the
    others are counted in one line, read by the synthetic voice."""
    from .kinds.audio import parts, texts_of

    renderer = _renderer(cur, options)
    display = options.content_display.rstrip("/")
    out = []
    for lang in langs:
        rows, silent = [], 0
        for name in (CARD, *(m.id for m in cur.modules)):
            quiet = Diagnostics()  # the build and `check` report bad files; this only counts
            recordings = read_recordings(options.content, display, lang, name, quiet)
            spoken = [p for p in parts(renderer, lang, None if name == CARD else name) if p.recordable]
            if not recordings:
                silent += 1
                continue
            record = read_record(options.content, display, lang, name, quiet)
            counts = {state: 0 for state in Standing}
            for part in spoken:
                if part.number in recordings:
                    counts[standing(record.get(part.number), texts_of(cur, lang, part))[0]] += 1
            rows.append((name, len(spoken), counts))
        out.append(_("recordings ({lang}): {count} of {total} handouts and cards have parts in our own voices").format(
            lang=lang, count=len(rows), total=len(rows) + silent) + "\n")
        for name, total, counts in rows:
            out.append("  " + _("{name}: {current} of {total} parts in our own voices, {stale} older than their text, "
                                "{unmarked} not marked with `recorded`").format(
                name=name, current=counts[Standing.CURRENT], total=total, stale=counts[Standing.STALE],
                unmarked=counts[Standing.UNMARKED]) + "\n")
    return "".join(out)
