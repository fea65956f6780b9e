"""Command line: argparse subcommands, each with its own options, help and examples; runs
the command, prints diagnostics, returns an exit code (0 success, 1 errors, 2 bad usage).

`python build.py` with no command, or with only options, means `build`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
import time
from pathlib import Path

from . import __version__, checkpoints
from .diagnostics import Diagnostics
from .write import sigterm_interrupts

EXAMPLES = """`python build.py` alone means `python build.py build`; `python build.py COMMAND --help`
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
"""

COMMANDS = ("build", "check", "status", "translated", "reviewed", "plan", "watch")
YES_FLAG = "--yes-i-checked-every-block"


def _lang_list(value: str) -> list[str]:
    langs = [v.strip() for v in value.split(",") if v.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", v) for v in langs):
        raise argparse.ArgumentTypeError(f"not a list of language codes: {value!r} (example: es,en)")
    return langs


def _kind_list(value: str) -> list[str]:
    from .kinds import KINDS

    kinds = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown kind {', '.join(unknown) or value!r}; known: {', '.join(KINDS)}")
    return kinds


def _whole_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"needs a whole number of 1 or more, not {value!r}")
    return int(value)


def _past_date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a date as YYYY-MM-DD, such as 2026-12-01; not {value!r}") from None
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"{value} is in the future: give the day the review was done")
    return day


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise argparse.ArgumentTypeError(f"needs a time as HH:MM, such as 09:00; not {value!r}")
    return value


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", metavar="DIR", help="curriculum folder to read (default: content/)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--traceback", action="store_true", help="show the Python traceback of an unexpected failure")


def _output(p: argparse.ArgumentParser) -> None:
    """What a build (or watch) writes and how."""
    p.add_argument("--out", default="dist", metavar="DIR", help="where outputs go (default: dist/)")
    p.add_argument("--lang", type=_lang_list, metavar="es,en", help="languages to build (default: all the curriculum declares)")
    p.add_argument("--only", type=_kind_list, metavar="KIND,...", help="kinds of material to build, e.g. handout,guide (default: all)")
    p.add_argument("--org", metavar="ID", help="organisation profile from content/orgs/ (default: the curriculum's)")
    p.add_argument("--edition", choices=["full", "no-contacts"], default="full", type=str.lower,
                   help="full (default): the organisation's name, logo and contacts; no-contacts: for high-risk "
                        "distribution, no organisation name or logo on anything, every contact a line to fill in "
                        "by hand (also when the profile says edition: no-contacts)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", type=str.lower,
                   help="paper size (default: a4, as printed in Peru)")
    p.add_argument("--jobs", type=_whole_number, default=os.cpu_count() or 1, metavar="N",
                   help="parallel workers (default: number of cores)")
    p.add_argument("--keep-html", action="store_true", help="also write each artifact's HTML under OUT/_html/")
    p.add_argument("--start", type=_clock, default=None, metavar="HH:MM",
                   help="workshop start time for agendas and session clocks (default: the track's or the "
                        "curriculum's `start`, else 09:00)")
    p.add_argument("--cache", metavar="DIR", help="cache folder (default: .taller-cache/ beside the content folder)")
    p.add_argument("--force", action="store_true",
                   help="overwrite files in OUT that this program did not make (by default they are left alone)")


def _command(sub, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, prog=f"build.py {name}", help=summary, description=summary,
                       epilog=f"examples:\n{examples}", formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(p)
    return p


def parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each command's own (other tools rely on these names)."""
    top = argparse.ArgumentParser(
        prog="build.py", description="Build print-ready rights-training materials from the content folder.",
        usage="build.py [COMMAND] [options]", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"taller {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands = {}

    p = commands["build"] = _command(sub, "build", "write every material (PDFs, the offline edition, manifest.json)", """\
  python build.py
  python build.py --lang es --only handout,card
  python build.py --paper letter --out /media/usb/materiales
  python build.py --participants nombres.csv --only certificate
  python build.py --org ejemplo-cusco --edition no-contacts""")
    _output(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1, nothing written)")
    p.add_argument("--participants", metavar="FILE.csv",
                   help="names for certificates (first column of a CSV); used for nothing else, never kept")

    p = commands["check"] = _command(sub, "check", "check the content; writes nothing", """\
  python build.py check
  python build.py check --strict --content content/""")
    p.add_argument("--lang", type=_lang_list, metavar="es,en", help="also check that these languages are declared")
    p.add_argument("--org", metavar="ID", help="also check that this organisation profile exists")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")

    p = commands["status"] = _command(sub, "status", "how much of each translation is up to date", """\
  python build.py status
  python build.py status --lang en""")
    p.add_argument("--lang", type=_lang_list, metavar="es,en", help="languages to show (default: all)")

    p = commands["translated"] = _command(
        sub, "translated", "record that translated blocks match their current source text", f"""\
  python build.py translated --lang en modules/documenting:sessions.consent.title
  python build.py translated --lang en modules/documenting:sessions.consent     (every block under it)
  python build.py translated --lang en --all modules/documenting                (a whole unit)
  python build.py translated --lang en --all {YES_FLAG}          (first import)""")
    p.add_argument("keys", nargs="*", metavar="KEY",
                   help="unit:key or unit:key-prefix, e.g. modules/documenting:sessions.consent")
    p.add_argument("--lang", type=_lang_list, metavar="L", help="the language of the translation, e.g. en")
    p.add_argument("--all", action="store_true", help="mark every block of the named units")
    p.add_argument(YES_FLAG, action="store_true", help="with --all and no KEY, mark every block of the curriculum")

    p = commands["reviewed"] = _command(
        sub, "reviewed", "record that the group's lawyer reviewed legal facts as they are written now", """\
  python build.py reviewed told-why-and-lawyer --by "abogada del grupo" --on 2026-12-01
  python build.py reviewed identity-check no-incommunicado --by AB""")
    p.add_argument("facts", nargs="+", metavar="FACT_ID", help="the ids of the legal facts reviewed (see legal/legal.yaml)")
    p.add_argument("--by", required=True, metavar="WHO",
                   help="who reviewed them: a role or initials are enough (it is printed on the materials)")
    p.add_argument("--on", type=_past_date, default=None, metavar="YYYY-MM-DD", help="the day of the review (default: today)")

    p = commands["plan"] = _command(sub, "plan", "what to print for a workshop, and how many sheets", """\
  python build.py plan --track conoce-tus-derechos --participants 15
  python build.py plan --track conoce-tus-derechos --participants 15 --facilitators 3 --lang en""")
    p.add_argument("--track", required=True, metavar="ID", help="the workshop track, e.g. conoce-tus-derechos")
    p.add_argument("--participants", required=True, type=_whole_number, metavar="N", help="how many participants")
    p.add_argument("--facilitators", type=_whole_number, default=2, metavar="N",
                   help="facilitators, one guide each (default: 2)")
    p.add_argument("--lang", type=_lang_list, metavar="L", help="the workshop's language (default: the source language)")
    p.add_argument("--out", default="dist", metavar="DIR", help="the build to count pages from (default: dist/)")

    p = commands["watch"] = _command(sub, "watch", "rebuild what each save changes, the handout first", """\
  python build.py watch
  python build.py watch --lang es --only handout""")
    _output(p)
    return top, commands


def _usage_error(command: str, args: argparse.Namespace) -> str | None:
    """What argparse cannot say about a command's arguments (exit 2), or None."""
    if command == "plan" and len(args.lang or []) > 1:
        return "plan is for one language: give one, e.g. --lang es"
    if command in ("build", "watch") and args.cache:
        cache = Path(args.cache).resolve()
        for option, folder in (("--content", args.content), ("--out", args.out)):
            if cache.is_relative_to(Path(folder).resolve()):
                return (f"--cache {args.cache} is inside {option} {folder}: keep the cache out of the content folder "
                        "(it would change what is built) and out of OUT (it would travel on USB sticks)")
    if command == "reviewed" and (not args.by.strip() or len(args.by) > 80 or not args.by.isprintable()):
        return "--by needs a short line of text, such as a role or initials (at most 80 characters)"
    if command != "translated":
        return None
    if not args.lang or len(args.lang) != 1:
        return "translated needs the language of the translation, e.g. --lang en"
    if not args.keys and not args.all:
        return "name the blocks to mark as unit:key (e.g. modules/documenting:sessions.consent.title), or use --all"
    if not args.keys and not args.yes_i_checked_every_block:
        return f"--all without KEY marks every block of every unit: add {YES_FLAG} if you really checked them all"
    for key in args.keys:
        unit, _, prefix = key.partition(":")
        if not unit:
            return f"{key!r}: write the unit before the colon, e.g. modules/documenting:{prefix}"
        if not prefix and not args.all:
            return f"{key!r} is a whole unit: add --all to mark every block of it, or name keys as {unit}:KEY"
    return None


def parse(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command and its arguments; argparse exits 2 on bad usage, 0 on --help."""
    top, commands = parser()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["build", *argv]
    if argv[0] not in commands:
        if not argv[0].startswith("-"):
            top.error(f"unknown command {argv[0]!r} (commands: {', '.join(COMMANDS)})")
        top.parse_args(argv)  # --help or --version: prints and exits
    command = argv[0]
    # Intermixed: `translated --lang en KEY KEY` has positionals after an option.
    args = commands[command].parse_intermixed_args(argv[1:])
    problem = _usage_error(command, args)
    if problem:
        commands[command].error(problem)
    return command, args


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 (success), 1 (content or build errors) or 2 (usage)."""
    try:
        command, args = parse(list(sys.argv[1:] if argv is None else argv))
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
            print("interrupted after the build had finished: the new outputs are complete", file=sys.stderr)
        else:
            print("interrupted: previous outputs are unchanged", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        if args.traceback:
            raise
        print(f"error: unexpected failure: {type(exc).__name__}: {exc} (rerun with --traceback for details)", file=sys.stderr)
        return 1


def _options(args: argparse.Namespace):
    """The build options of any command (those it has no option for keep their defaults)."""
    from .options import Options

    get = lambda name, default=None: getattr(args, name, default)
    return Options(content=Path(args.content), content_display=args.content, out=Path(get("out", "dist")),
                   langs=get("lang"), kinds=get("only"), org=get("org"), paper=get("paper", "a4"), jobs=get("jobs", 1),
                   keep_html=get("keep_html", False), start=get("start"), strict=get("strict", False),
                   edition=get("edition", "full"), cache=Path(args.cache) if get("cache") else None,
                   force=get("force", False),
                   participants=Path(args.participants) if _names_file(args) else None)


def _names_file(args: argparse.Namespace) -> bool:
    """`build --participants FILE.csv` (plan's --participants is a number)."""
    return isinstance(getattr(args, "participants", None), str)


def _plan(args: argparse.Namespace, options, diags: Diagnostics) -> int:
    """`plan --track T --participants N`: the print list, from the last build's manifest."""
    from .checking import check
    from .kinds import KINDS
    from .kinds.base import printed_for
    from .output.printplan import format_plan, print_plan

    cur = check(options, diags)
    lines = []
    if cur is not None and not diags.errors:
        lang = (args.lang or [cur.source_language])[0]
        if args.track not in {t.id for t in cur.tracks}:
            diags.error(None, f"unknown track '{args.track}' (known: {', '.join(t.id for t in cur.tracks)})")
        else:
            printed = printed_for(cur, args.track, lang, list(KINDS.values()))
            lines = print_plan(printed, options.out, lang, args.participants, args.facilitators, diags)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    if diags.errors:
        return 1
    print(format_plan(lines, args.track, args.participants))
    return 0


def _run(command: str, args: argparse.Namespace, finished: list[bool]) -> int:
    started = time.monotonic()
    diags = Diagnostics()
    options = _options(args)
    if command == "plan":
        return _plan(args, options, diags)
    if command == "watch":
        from .watch import watch

        return watch(options, args.quiet)
    if command == "reviewed":
        from . import reviewing

        return reviewing.main(args.facts, args.by, args.on or dt.date.today(), options)
    if command in ("status", "translated"):
        from . import translator

        return translator.main(command, args, options)
    # WeasyPrint's messages are collected per document (render/weasy.py) and reported as diagnostics.
    logging.getLogger("weasyprint").addHandler(logging.NullHandler())
    logging.getLogger("weasyprint").propagate = False
    if command == "check":
        from .checking import check

        check(options, diags)
        report = None
    else:
        from .pipeline import build

        report = build(options, diags)
        if report.outputs:  # written and committed (a build with errors writes nothing)
            finished.append(True)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    failed = bool(diags.errors) or (args.strict and bool(diags.warnings))
    if report is not None and not args.quiet:
        print(f"{report.outputs} outputs, {report.pages} pages, {len(report.rendered)} rendered, "
              f"{time.monotonic() - started:.1f} s, {len(diags.warnings)} warnings, {len(diags.errors)} errors"
              f"{' (nothing written)' if failed and not report.outputs else ''}")
        for name, size in report.zips:
            print(f"{name}: {size / 1_000_000:.1f} MB")
    if report is not None:
        sys.stdout.flush()
        checkpoints.reached(checkpoints.SUMMARY)
    elif command == "check" and not args.quiet:
        print(f"check: {len(diags.errors)} errors, {len(diags.warnings)} warnings", file=sys.stderr)
    return 1 if failed else 0
