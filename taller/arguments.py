"""The command line's option values: each type reads one option's value, or says in one
line (in the interface language) what the option needs. Case does not matter: a
facilitator who types `--lang ES` or `--only Card` means es and card."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from .messages import _

YES_FLAG = "--yes-i-checked-every-block"


def lang_list(value: str) -> list[str]:
    """`--lang es,en`: language codes."""
    langs = [v.strip().lower() for v in value.split(",") if v.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", v) for v in langs):
        raise argparse.ArgumentTypeError(_("not a list of language codes: {value} (example: es,en)").format(
            value=repr(value)))
    return langs


def kind_list(value: str) -> list[str]:
    """`--only handout,card`: kinds of material."""
    from .kinds import KINDS

    kinds = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(_("unknown kind {kinds}; known: {known}").format(
            kinds=", ".join(repr(k) for k in unknown) or repr(value), known=", ".join(KINDS)))
    return kinds


def whole_number(value: str) -> int:
    """`--jobs 2`, `--participants 15`: 1 or more."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(_("needs a whole number of 1 or more, not {value}").format(value=repr(value)))
    return int(value)


def past_date(value: str) -> dt.date:
    """`--on 2026-12-01`: a day that has been."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("needs a date as YYYY-MM-DD, such as 2026-12-01; not {value}").format(
            value=repr(value))) from None
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(
            _("{day} is in the future: give the day the review was done").format(day=value))
    return day


def clock(value: str) -> str:
    """`--start 09:00`: a time of day."""
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise argparse.ArgumentTypeError(
            _("needs a time as HH:MM, such as 09:00; not {value}").format(value=repr(value)))
    return value


def usage_problem(command: str, args: argparse.Namespace) -> str | None:
    """What argparse cannot say about a command's arguments (exit 2), or None."""
    if command == "plan" and len(args.lang or []) > 1:
        return _("plan is for one language: give one, e.g. --lang es")
    if command in ("build", "watch") and args.cache:
        cache = Path(args.cache).resolve()
        for option, folder in (("--content", args.content), ("--out", args.out)):
            if cache.is_relative_to(Path(folder).resolve()):
                return _("--cache {cache} is inside {option} {folder}: keep the cache out of the content folder "
                         "(it would change what is built) and out of OUT (it would travel on USB sticks)").format(
                    cache=args.cache, option=option, folder=folder)
    if command == "reviewed" and (not args.by.strip() or len(args.by) > 80 or not args.by.isprintable()):
        return _("--by needs a short line of text, such as a role or initials (at most 80 characters)")
    if command != "translated":
        return None
    if not args.lang or len(args.lang) != 1:
        return _("translated needs the language of the translation, e.g. --lang en")
    if not args.keys and not args.all:
        return _("name the blocks to mark as unit:key (e.g. modules/documenting:sessions.consent.title), or use --all")
    if not args.keys and not args.yes_i_checked_every_block:
        return _("--all without KEY marks every block of every unit: add {flag} if you really checked them all").format(
            flag=YES_FLAG)
    for key in args.keys:
        unit, _colon, prefix = key.partition(":")
        if not unit:
            return _("{key}: write the unit before the colon, e.g. modules/documenting:{prefix}").format(
                key=repr(key), prefix=prefix)
        if not prefix and not args.all:
            return _("{key} is a whole unit: add --all to mark every block of it, or name keys as {unit}:KEY").format(
                key=repr(key), unit=unit)
    return None
