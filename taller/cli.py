"""Command line: parse arguments, run the pipeline, print diagnostics, return an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostics

EXAMPLES = """examples:
  python build.py                         build everything into dist/
  python build.py check                   check the content, write nothing
  python build.py --lang es --only handout
  python build.py build --out /media/usb/materiales --paper letter
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
    p.add_argument("command", nargs="?", default="build", choices=["build", "check"],
                   help="build (default): write PDFs and manifest; check: validate only, write nothing")
    p.add_argument("--content", default="content", metavar="DIR", help="curriculum folder to read (default: content/)")
    p.add_argument("--out", default="dist", metavar="DIR", help="where outputs go (default: dist/)")
    p.add_argument("--lang", type=_lang_list, metavar="es,en", help="languages to build (default: all the curriculum declares)")
    p.add_argument("--only", type=_kind_list, metavar="KIND,...", help="artifact kinds to build, e.g. handout,guide (default: all)")
    p.add_argument("--org", metavar="ID", help="organisation profile from content/orgs/ (default: the curriculum's)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4, as printed in Peru)")
    p.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N", help="parallel workers (default: number of cores)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    p.add_argument("--keep-html", action="store_true", help="also write each artifact's HTML under OUT/_html/")
    p.add_argument("--start", type=_clock, default="09:00", metavar="HH:MM", help="start time for session clocks (default: 09:00)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("--traceback", action="store_true", help="show the Python traceback of an unexpected failure")
    p.add_argument("--version", action="version", version=f"taller {__version__}")
    return p


class _CountingHandler(logging.Handler):
    """Counts WeasyPrint warnings (bad CSS, missing images) so --strict can fail on them."""

    def __init__(self, diags: Diagnostics):
        super().__init__(logging.WARNING)
        self.diags = diags

    def emit(self, record: logging.LogRecord) -> None:
        self.diags.warning(None, f"weasyprint: {record.getMessage()}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 (success), 1 (content or build errors) or 2 (usage)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted: previous outputs are unchanged", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        if args.traceback:
            raise
        print(f"error: unexpected failure: {type(exc).__name__}: {exc} (rerun with --traceback for details)", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from .pipeline import Options, build, check

    started = time.monotonic()
    diags = Diagnostics()
    options = Options(content=Path(args.content), content_display=args.content, out=Path(args.out),
                      langs=args.lang, kinds=args.only, org=args.org, paper=args.paper, jobs=args.jobs,
                      keep_html=args.keep_html, start=args.start, strict=args.strict)
    logging.getLogger("weasyprint").addHandler(_CountingHandler(diags))
    logging.getLogger("weasyprint").propagate = False
    if args.command == "check":
        check(options, diags)
        report = None
    else:
        report = build(options, diags)
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    failed = bool(diags.errors) or (args.strict and bool(diags.warnings))
    if report is not None and not args.quiet:
        print(f"{report.outputs} outputs, {report.pages} pages, {report.rendered} rendered, "
              f"{time.monotonic() - started:.1f} s, {len(diags.warnings)} warnings, {len(diags.errors)} errors"
              f"{' (nothing written)' if failed and not report.outputs else ''}")
    elif args.command == "check" and not args.quiet:
        print(f"check: {len(diags.errors)} errors, {len(diags.warnings)} warnings", file=sys.stderr)
    return 1 if failed else 0
