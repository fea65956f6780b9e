"""Command line: argparse subcommands, each with its own options, help and examples; runs
the command, prints diagnostics, returns an exit code (0 success, 1 errors, 2 bad usage).

`python build.py` with no command, or with only options, means `build`. Every word it
prints is in the interface language (`--ui`, else the locale: messages.py), argparse's own
words too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path

from . import __version__, checkpoints, messages
from .arguments import YES_FLAG, clock, kind_list, lang_list, past_date, usage_problem, whole_number
from .diagnostics import Diagnostics
from .messages import _, ngettext
from .write import sigterm_interrupts

# argparse looks up its own words ("usage: ", "the following arguments are required: %s")
# through the `_` and `ngettext` it imported from gettext. Pointed at the interface catalog,
# which carries argparse's msgids (tools/update_catalog.py extracts them from argparse
# itself), they are translated with ours: no copy of argparse's code, no global domain.
argparse._ = _
argparse.ngettext = ngettext

COMMANDS = ("build", "check", "status", "translated", "reviewed", "plan", "watch", "new-language", "po", "recorded")


def _examples() -> str:
    """The top-level help's epilog, in the interface language."""
    return _("""`python build.py` alone means `python build.py build`; `python build.py COMMAND --help`
gives each command's options and examples.

examples:
  python build.py                         build everything into dist/
  python build.py check                   check the content, write nothing
  python build.py --lang es --only handout
  python build.py build --out /media/usb/materiales --paper letter
  python build.py status                  how much of each translation is up to date
  python build.py plan --track conoce-tus-derechos --participants 15
  python build.py translated --lang en modules/documenting:sessions.consent.title
  python build.py reviewed identity-check --by "abogada del grupo" --on 2026-12-01
""")


def _speaking(p) -> None:
    """How the program talks: the interface language and -q (every command, after its own options)."""
    p.add_argument("--ui", choices=messages.INTERFACES, type=str.lower, metavar="es|en",
                   help=_("language of the program's messages: es (español) or en (English) "
                          "(default: the computer's language)"))
    p.add_argument("-q", "--quiet", action="store_true", help=_("print only problems"))


def _advanced(p: argparse.ArgumentParser, content: bool = True) -> argparse._ArgumentGroup:
    """The options for whoever looks after the content or the program, listed after the
    facilitator's own (`content`: whether --content is among them)."""
    group = p.add_argument_group(_("more options"))
    if content:
        _content(group)
    return group


def _content(p) -> None:
    p.add_argument("--content", default="content", metavar=_("DIR"),
                   help=_("curriculum folder to read (default: content/)"))


def _traceback(p) -> None:
    p.add_argument("--traceback", action="store_true",
                   help=_("show the Python traceback of an unexpected failure"))


def _output(p: argparse.ArgumentParser, group) -> None:
    """What a build (or watch) writes: the facilitator's choices in `p`, the rest in `group`."""
    p.add_argument("--out", default="dist", metavar=_("DIR"), help=_("where the materials go (default: dist/)"))
    p.add_argument("--lang", type=lang_list, metavar="es,en",
                   help=_("languages to build (default: all the curriculum declares)"))
    p.add_argument("--only", type=kind_list, metavar=_("KIND,..."),
                   help=_("kinds of material to build, e.g. handout,guide (default: all)"))
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", type=str.lower,
                   help=_("paper size (default: a4, as printed in Peru)"))
    p.add_argument("--org", metavar="ID", help=_("organisation profile from content/orgs/ (default: the curriculum's)"))
    p.add_argument("--edition", choices=["full", "no-contacts"], default="full", type=str.lower,
                   help=_("full (default): the organisation's name, logo and contacts; no-contacts: for high-risk "
                          "distribution, no organisation name or logo on anything, every contact a line to fill in "
                          "by hand (also when the profile says edition: no-contacts)"))
    p.add_argument("--start", type=clock, default=None, metavar="HH:MM",
                   help=_("workshop start time for agendas and session clocks (default: the track's or the "
                          "curriculum's `start`, else 09:00)"))
    group.add_argument("--jobs", type=whole_number, default=os.cpu_count() or 1, metavar="N",
                       help=_("parallel workers (default: number of cores)"))
    group.add_argument("--keep-html", action="store_true",
                       help=_("also write each artifact's HTML under OUT/_html/"))
    group.add_argument("--cache", metavar=_("DIR"),
                       help=_("cache folder (default: .taller-cache/ beside the content folder)"))
    group.add_argument("--force", action="store_true",
                       help=_("overwrite files in OUT that this program did not make (by default they are left alone)"))


def _command(sub, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, prog=f"build.py {name}", help=summary, description=summary,
                       epilog=_("examples:") + f"\n{examples}", formatter_class=argparse.RawDescriptionHelpFormatter)
    return p


def parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each command's own (other tools rely on these names). Each
    command lists the facilitator's options first, then "more options"."""
    top = argparse.ArgumentParser(
        prog="build.py", description=_("Build print-ready rights-training materials from the content folder."),
        usage=_("build.py [COMMAND] [options]"), epilog=_examples(), formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"taller {__version__}",
                     help=_("show the program's version number and exit"))
    top.add_argument("--ui", choices=messages.INTERFACES, type=str.lower, metavar="es|en",
                     help=_("language of the program's messages: es (español) or en (English) "
                            "(default: the computer's language)"))
    sub = top.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))
    commands = {}

    p = commands["build"] = _command(sub, "build", _("write every material (PDFs, the offline edition, manifest.json)"), _("""\
  python build.py
  python build.py --lang es --only handout,card
  python build.py --paper letter --out /media/usb/materiales
  python build.py --participants nombres.csv --only certificate
  python build.py --org ejemplo-cusco --edition no-contacts"""))
    more = _advanced(p, content=False)
    _output(p, more)
    p.add_argument("--participants", metavar=_("FILE.csv"),
                   help=_("names for certificates (first column of a CSV); used for nothing else, never kept"))
    _speaking(p)
    _content(more)
    more.add_argument("--strict", action="store_true", help=_("treat warnings as errors (exit 1, nothing written)"))
    _traceback(more)

    p = commands["check"] = _command(sub, "check", _("check the content; writes nothing"), _("""\
  python build.py check
  python build.py check --strict --content content/"""))
    _content(p)
    p.add_argument("--lang", type=lang_list, metavar="es,en", help=_("also check that these languages are declared"))
    p.add_argument("--org", metavar="ID", help=_("also check that this organisation profile exists"))
    p.add_argument("--strict", action="store_true", help=_("treat warnings as errors (exit 1)"))
    p.add_argument("--verbose", action="store_true",
                   help=_("list every text a language in progress has still to translate, not one line per file"))
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["status"] = _command(sub, "status", _("how much of each translation is up to date"), _("""\
  python build.py status
  python build.py status --lang en"""))
    _content(p)
    p.add_argument("--lang", type=lang_list, metavar="es,en", help=_("languages to show (default: all)"))
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["translated"] = _command(
        sub, "translated", _("record that translated blocks match their current source text"), _("""\
  python build.py translated --lang en modules/documenting:sessions.consent.title
  python build.py translated --lang en modules/documenting:sessions.consent     (every block under it)
  python build.py translated --lang en --all modules/documenting                (a whole unit)
  python build.py translated --lang en --all {flag}          (first import)""").format(flag=YES_FLAG))
    p.add_argument("keys", nargs="*", metavar=_("KEY"),
                   help=_("unit:key or unit:key-prefix, e.g. modules/documenting:sessions.consent"))
    p.add_argument("--lang", type=lang_list, metavar="L", help=_("the language of the translation, e.g. en"))
    _content(p)
    p.add_argument("--all", action="store_true", help=_("mark every block of the named units"))
    p.add_argument(YES_FLAG, action="store_true", help=_("with --all and no KEY, mark every block of the curriculum"))
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["reviewed"] = _command(
        sub, "reviewed", _("record that the group's lawyer reviewed legal facts as they are written now"), _("""\
  python build.py reviewed told-why-and-lawyer --by "abogada del grupo" --on 2026-12-01
  python build.py reviewed identity-check no-incommunicado --by AB"""))
    p.add_argument("facts", nargs="+", metavar="FACT_ID",
                   help=_("the ids of the legal facts reviewed (see legal/legal.yaml)"))
    p.add_argument("--by", required=True, metavar=_("WHO"),
                   help=_("who reviewed them: a role or initials are enough (it is printed on the materials)"))
    p.add_argument("--on", type=past_date, default=None, metavar="YYYY-MM-DD",
                   help=_("the day of the review (default: today)"))
    _content(p)
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["plan"] = _command(sub, "plan", _("what to print for a workshop, and how many sheets"), _("""\
  python build.py plan --track conoce-tus-derechos --participants 15
  python build.py plan --track conoce-tus-derechos --participants 15 --facilitators 3 --lang en"""))
    p.add_argument("--track", required=True, metavar="ID", help=_("the workshop track, e.g. conoce-tus-derechos"))
    p.add_argument("--participants", required=True, type=whole_number, metavar="N", help=_("how many participants"))
    p.add_argument("--facilitators", type=whole_number, default=2, metavar="N",
                   help=_("facilitators, one guide each (default: 2)"))
    p.add_argument("--lang", type=lang_list, metavar="L",
                   help=_("the workshop's language (default: the source language)"))
    p.add_argument("--out", default="dist", metavar=_("DIR"),
                   help=_("where the print plan's PDF is written (default: dist/)"))
    _speaking(p)
    _traceback(_advanced(p))

    p = commands["watch"] = _command(sub, "watch", _("rebuild what each save changes, the handout first"), _("""\
  python build.py watch
  python build.py watch --lang es --only handout"""))
    more = _advanced(p, content=False)
    _output(p, more)
    _speaking(p)
    _content(more)
    _traceback(more)

    p = commands["new-language"] = _command(sub, "new-language", _("add a language: its files, nothing to program"), _("""\
  python build.py new-language qu --name Runasimi
  python build.py new-language ay --name 'Aymar aru'"""))
    p.add_argument("code", type=lang_list, metavar=_("CODE"), help=_("the language's ISO 639 code, e.g. qu"))
    p.add_argument("--name", required=True, metavar=_("NAME"), help=_("what the language is called in itself"))
    _content(p)
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["po"] = _command(sub, "po", _("translations as PO files (Poedit, Weblate, OmegaT), and back"), _("""\
  python build.py po export --lang qu --dir po-qu
  python build.py po import --lang qu --dir po-qu"""))
    p.add_argument("action", choices=["export", "import"], help=_("export: write the PO files; import: read them back"))
    p.add_argument("--lang", type=lang_list, required=True, metavar="L", help=_("the language of the translation"))
    p.add_argument("--dir", required=True, metavar=_("DIR"), help=_("the folder of the PO files"))
    _content(p)
    _speaking(p)
    _traceback(_advanced(p, content=False))

    p = commands["recorded"] = _command(
        sub, "recorded", _("record which text each recording of a handout's parts was made from"), _("""\
  python build.py recorded --lang es documenting 3
  python build.py recorded --lang es card 1 2 5"""))
    p.add_argument("module", metavar=_("MODULE"), help=_("the module whose handout was recorded, or card"))
    p.add_argument("parts", nargs="+", metavar=_("PART"), help=_("the parts recorded, numbered as the recording script "
                                                                 "numbers them"))
    p.add_argument("--lang", type=lang_list, required=True, metavar="L", help=_("the language of the recordings, e.g. es"))
    _content(p)
    _speaking(p)
    _traceback(_advanced(p, content=False))
    return top, commands


def parse(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command and its arguments; argparse exits 2 on bad usage, 0 on --help."""
    top, commands = parser()
    argv = _ui_after_command(argv, commands)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")
                    and not _top_level_ui(argv)):
        argv = ["build", *argv]
    if argv[0] not in commands:
        if not argv[0].startswith("-"):
            top.error(_("unknown command {command} (commands: {commands})").format(
                command=repr(argv[0]), commands=", ".join(COMMANDS)))
        top.parse_args(argv)  # --help or --version: prints and exits
    command = argv[0]
    # Intermixed: `translated --lang en KEY KEY` has positionals after an option. It cuts
    # "usage: " off the usage it shows by length, that of the English word: given its
    # usage already cut at the translated word's length, it keeps it whole.
    commands[command].usage = commands[command].format_usage()[len(_("usage: ")):]
    args = commands[command].parse_intermixed_args(argv[1:])
    problem = usage_problem(command, args)
    if problem:
        commands[command].error(problem)
    return command, args


def _ui_after_command(argv: list[str], commands: dict) -> list[str]:
    """`build.py --ui es check`: the language asked before the command, moved after it
    (each command's parser reads it there)."""
    taken = 2 if argv[:1] == ["--ui"] else 1 if argv[:1] and argv[0].startswith("--ui=") else 0
    if taken and len(argv) > taken and argv[taken] in commands:
        return [argv[taken], *argv[:taken], *argv[taken + 1:]]
    return argv


def _top_level_ui(argv: list[str]) -> bool:
    """`build.py --ui es --help` (or `--version`): the top-level help, in that language."""
    rest = argv[2:] if argv[0] == "--ui" else argv[1:] if argv[0].startswith("--ui=") else None
    return bool(rest) and rest[0] in ("-h", "--help", "--version")


def asked_interface(argv: list[str]) -> str | None:
    """The language `--ui` asks for, read before argparse builds the help it is to translate."""
    for number, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[number + 1] if arg == "--ui" and number + 1 < len(argv) else \
            arg.partition("=")[2] if arg.startswith("--ui=") else None
        if value is not None and value.lower() in messages.INTERFACES:
            return value.lower()
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 (success), 1 (content or build errors) or 2 (usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    messages.use_interface(asked_interface(argv) or messages.interface_from_environment())
    try:
        command, args = parse(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    finished: list[bool] = []  # becomes [True] once a build's new outputs are all in place
    try:
        # SIGTERM (`kill`) means Ctrl-C for the whole run, up to the last line printed: a
        # signal after the summary still ends with the message and exit 1, never -15.
        with sigterm_interrupts():
            return _run(command, args, finished)
    except KeyboardInterrupt as exc:
        from .write import InterruptedAfterCommit

        if finished or isinstance(exc, InterruptedAfterCommit):
            print(_("interrupted after the build had finished: the new outputs are complete"), file=sys.stderr)
        else:
            print(_("interrupted: previous outputs are unchanged"), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        if args.traceback:
            raise
        print("error: " + _("unexpected failure: {failure} (rerun with --traceback for details)").format(
            failure=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1


def _options(args: argparse.Namespace, progress=None):
    """The build options of any command (those it has no option for keep their defaults)."""
    from .options import Options

    get = lambda name, default=None: getattr(args, name, default)
    options = Options(content=Path(args.content), content_display=args.content, out=Path(get("out", "dist")),
                      langs=get("lang"), kinds=get("only"), org=get("org"), paper=get("paper", "a4"),
                      jobs=get("jobs", 1), keep_html=get("keep_html", False), start=get("start"),
                      strict=get("strict", False), edition=get("edition", "full"),
                      cache=Path(args.cache) if get("cache") else None, force=get("force", False),
                      participants=Path(args.participants) if _names_file(args) else None)
    if progress is not None:
        options.progress = progress
    return options


def _names_file(args: argparse.Namespace) -> bool:
    """`build --participants FILE.csv` (plan's --participants is a number)."""
    return isinstance(getattr(args, "participants", None), str)


def _plan(args: argparse.Namespace, options, diags: Diagnostics) -> int:
    """`plan --track T --participants N`: what the workshop prints, from the documents a build
    makes (rendered now, or taken from the render cache: no build needs to have run), shown
    here and written as the print plan PDF for the print shop (a build of that one output)."""
    import dataclasses

    from .checking import check
    from .content.suggest import hint
    from .kinds import KINDS, TRACK
    from .output.printplan import format_plan, plan
    from .pipeline import build
    from .views.base import LanguageView

    cur = check(options, diags)
    report, lang = None, None
    if cur is not None and not diags.errors:
        lang = (args.lang or [cur.source_language])[0]
        tracks = [t.id for t in cur.tracks]
        if args.track not in tracks:
            diags.error(None, _("unknown track '{track}' (known: {known})").format(
                track=args.track, known=", ".join(tracks)) + hint(args.track, tracks))
        else:
            listing = [kind.name for kind in KINDS.values() if kind.lists is not None and kind.scope == TRACK]
            options = dataclasses.replace(options, langs=[lang], kinds=listing, jobs=os.cpu_count() or 1,
                                          select=lambda artifact: artifact.track == args.track,
                                          workshop=(args.participants, args.facilitators))
            report = build(options, diags)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    if diags.errors or report is None:
        return 1
    track = next(t for t in cur.tracks if t.id == args.track)
    for artifact, listed in report.listed.items():
        print(format_plan(plan(LanguageView(cur, lang), track, listed, args.participants, args.facilitators)))
        print()
        print(_("For the print shop, on one page: {path}").format(path=options.out / artifact.path))
    return 0


def _run(command: str, args: argparse.Namespace, finished: list[bool]) -> int:
    started = time.monotonic()
    if getattr(args, "ui", None):  # an abbreviation (`--u es`) that the first look did not see
        messages.use_interface(args.ui)
    diags = Diagnostics()
    options = _options(args)
    if command == "plan":
        return _plan(args, options, diags)
    if command == "watch":
        from .watch import watch

        return watch(options, args.quiet)
    if command == "recorded":
        from . import recording

        return recording.main(args, options)
    if command == "reviewed":
        from . import reviewing

        return reviewing.main(args.facts, args.by, args.on or dt.date.today(), options)
    if command in ("status", "translated"):
        from . import translator

        return translator.main(command, args, options)
    if command == "new-language":
        from . import newlanguage

        return newlanguage.main(args, options)
    if command == "po":
        from . import po_exchange

        return po_exchange.main(args.action, args, options)
    # WeasyPrint's messages are collected per document (render/weasy.py) and reported as diagnostics.
    logging.getLogger("weasyprint").addHandler(logging.NullHandler())
    logging.getLogger("weasyprint").propagate = False
    if command == "check":
        from .checking import check

        check(options, diags, verbose=args.verbose)
        report = None
    else:
        from .pipeline import build
        from .progress import progress_for

        with progress_for(quiet=args.quiet) as progress:
            report = build(_options(args, progress), diags)
        if report.outputs:  # written and committed (a build with errors writes nothing)
            finished.append(True)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    failed = bool(diags.errors) or (args.strict and bool(diags.warnings))
    if report is not None and not args.quiet:
        from .summary import summary

        print(summary(report, diags, args.out, time.monotonic() - started, failed))
    if report is not None:
        sys.stdout.flush()
        checkpoints.reached(checkpoints.SUMMARY)
    elif command == "check" and not args.quiet:
        print("check: {errors}, {warnings}".format(
            errors=ngettext("{count} error", "{count} errors", len(diags.errors)).format(count=len(diags.errors)),
            warnings=ngettext("{count} warning", "{count} warnings", len(diags.warnings)).format(
                count=len(diags.warnings))), file=sys.stderr)
    return 1 if failed else 0
