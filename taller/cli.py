"""Command line: parse arguments, run the pipeline, print diagnostics, return an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__, checkpoints
from .diagnostics import Diagnostics

EXAMPLES = """examples:
  python build.py                         build everything into dist/
  python build.py check                   check the content, write nothing
  python build.py --lang es --only handout
  python build.py build --out /media/usb/materiales --paper letter
  python build.py status                  how much of each translation is up to date
  python build.py plan --track conoce-tus-derechos --participants 15
                                          what to print for a workshop, and how many sheets
  python build.py translated --lang en modules/documenting:sessions.consent.title
                                          record that this English block matches the Spanish again
"""


def _lang_list(value: str) -> list[str]:
    langs = [v.strip() for v in value.split(",") if v.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", v) for v in langs):
        raise argparse.ArgumentTypeError(f"not a list of language codes: {value!r} (example: es,en)")
    return langs


def _kind_list(value: str) -> list[str]:
    from .artifacts import KINDS

    kinds = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown kind {', '.join(unknown) or value!r}; known: {', '.join(KINDS)}")
    return kinds


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"--jobs needs a whole number of 1 or more, not {value!r}")
    return int(value)


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise argparse.ArgumentTypeError(f"--start needs a time as HH:MM, such as 09:00; not {value!r}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser (DESIGN.md fixes these names)."""
    p = argparse.ArgumentParser(
        prog="build.py", description="Build print-ready rights-training materials from the content folder.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", default="build", choices=["build", "check", "status", "translated", "plan", "watch"],
                   help="build (default): write PDFs and manifest; check: validate only, write nothing; "
                        "status: translation progress per language; translated: record that KEYs are translated "
                        "from the current source; plan: what to print for a workshop (--track, --participants N); watch: rebuild on every save")
    p.add_argument("keys", nargs="*", metavar="KEY",
                   help="translated: unit:key or unit:key-prefix, e.g. modules/documenting:sessions.consent")
    p.add_argument("--all", action="store_true", help="translated: mark every block of the named units")
    p.add_argument("--yes-i-checked-every-block", action="store_true",
                   help="translated: with --all and no KEY, mark every block of the curriculum (first import)")
    p.add_argument("--content", default="content", metavar="DIR", help="curriculum folder to read (default: content/)")
    p.add_argument("--out", default="dist", metavar="DIR", help="where outputs go (default: dist/)")
    p.add_argument("--lang", type=_lang_list, metavar="es,en", help="languages to build (default: all the curriculum declares); translated: the one language")
    p.add_argument("--only", type=_kind_list, metavar="KIND,...", help="artifact kinds to build, e.g. handout,guide (default: all)")
    p.add_argument("--org", metavar="ID", help="organisation profile from content/orgs/ (default: the curriculum's)")
    p.add_argument("--edition", choices=["full", "no-contacts"], default="full",
                   help="full (default): the organisation's name, logo and contacts; no-contacts: for high-risk "
                        "distribution, no organisation name or logo on anything, every contact a line to fill in "
                        "by hand (also when the profile says edition: no-contacts)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4, as printed in Peru)")
    p.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N", help="parallel workers (default: number of cores)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    p.add_argument("--keep-html", action="store_true", help="also write each artifact's HTML under OUT/_html/")
    p.add_argument("--start", type=_clock, default="09:00", metavar="HH:MM", help="workshop start time for agendas and session clocks (default: 09:00)")
    p.add_argument("--participants", metavar="FILE.csv|N",
                   help="build: names for certificates (first column of a CSV), used for nothing else; "
                        "plan: the number of participants")
    p.add_argument("--track", metavar="ID", help="plan: the workshop track, e.g. conoce-tus-derechos")
    p.add_argument("--facilitators", type=_jobs, default=2, metavar="N", help="plan: facilitators, one guide each (default: 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--traceback", action="store_true", help="show the Python traceback of an unexpected failure")
    p.add_argument("--version", action="version", version=f"taller {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 (success), 1 (content or build errors) or 2 (usage)."""
    p = parser()
    try:
        # Intermixed: `translated --lang en KEY KEY` has positionals after an option.
        args = p.parse_intermixed_args(argv)
        problem = _usage_error(args)
        if problem:
            p.error(problem)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    finished: list[bool] = []  # becomes [True] once a build's new outputs are all in place
    try:
        with _signals_interrupt():
            return _run(args, finished)
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


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM (`kill`) means Ctrl-C for the whole run, up to the last line printed: a
    signal that comes after the summary still ends with the message and exit 1, never
    with the process killed half-way through its last words."""
    if threading.current_thread() is not threading.main_thread():  # only it may set handlers
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _usage_error(args: argparse.Namespace) -> str | None:
    """Misuse of the translation options; the translator module (and the content loader it
    needs) is imported only when they are given, so a plain build starts fast."""
    if args.command != "translated" and not (args.keys or args.all or args.yes_i_checked_every_block):
        return None
    from .translator import usage_error

    return usage_error(args)


def _plan(args: argparse.Namespace, options, diags: Diagnostics) -> int:
    """`plan --track T --participants N`: the print list, from the last build's manifest."""
    from .pipeline import check
    from .printplan import format_plan, print_plan

    if not args.track or not (args.participants or "").isdigit() or int(args.participants) < 1:
        print("build.py plan: error: needs --track ID and --participants N (a number), "
              "e.g. plan --track conoce-tus-derechos --participants 15", file=sys.stderr)
        return 2
    cur = check(options, diags)
    lines = []
    if cur is not None:
        lang = (args.lang or [cur.source_language])[0]
        lines = print_plan(cur, options.out, args.track, lang, int(args.participants), args.facilitators, diags)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    if diags.errors:
        return 1
    print(format_plan(lines, args.track, int(args.participants)))
    return 0


def _run(args: argparse.Namespace, finished: list[bool]) -> int:
    from .pipeline import Options, build, check

    started = time.monotonic()
    diags = Diagnostics()
    options = Options(content=Path(args.content), content_display=args.content, out=Path(args.out),
                      langs=args.lang, kinds=args.only, org=args.org, paper=args.paper, jobs=args.jobs,
                      keep_html=args.keep_html, start=args.start, strict=args.strict, edition=args.edition,
                      participants=Path(args.participants) if args.participants and args.command != "plan" else None)
    if args.command == "plan":
        return _plan(args, options, diags)
    if args.command == "watch":
        from .watch import watch

        return watch(options, args.quiet)
    if args.command in ("status", "translated"):
        from . import translator

        return translator.main(args, options)
    # WeasyPrint's messages are collected per document (taller.pdf) and reported as diagnostics.
    logging.getLogger("weasyprint").addHandler(logging.NullHandler())
    logging.getLogger("weasyprint").propagate = False
    if args.command == "check":
        check(options, diags)
        report = None
    else:
        report = build(options, diags)
        if report.outputs:  # written and committed (a build with errors writes nothing)
            finished.append(True)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    failed = bool(diags.errors) or (args.strict and bool(diags.warnings))
    if report is not None and not args.quiet:
        print(f"{report.outputs} outputs, {report.pages} pages, {report.rendered} rendered, "
              f"{time.monotonic() - started:.1f} s, {len(diags.warnings)} warnings, {len(diags.errors)} errors"
              f"{' (nothing written)' if failed and not report.outputs else ''}")
        for name, size in report.zips:
            print(f"{name}: {size / 1_000_000:.1f} MB")
    if report is not None:
        sys.stdout.flush()
        checkpoints.reached(checkpoints.SUMMARY)
    elif args.command == "check" and not args.quiet:
        print(f"check: {len(diags.errors)} errors, {len(diags.warnings)} warnings", file=sys.stderr)
    return 1 if failed else 0
