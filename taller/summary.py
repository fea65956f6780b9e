"""The closing summary of a build, in plain words and the interface language: what was made
(counted by kind, in which languages), where it went and how long it took, what to open,
the zips to pass on, and the warnings as a count with the first few.

Each kind is counted by the words for its label below ("the pocket card", "11 handouts"):
the label is declared with the kind, but a count needs the plural forms and, for one, the
article ("la tarjeta", "el manual"), which only the interface catalog can say. A kind not
listed here is still counted, as "label: n": adding a kind needs no change here to work.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap

from .messages import _, decimal, interface, ngettext
from .progress import duration

FIRST_WARNINGS = 3


def _counted(label: str, count: int) -> str:
    """How many of a kind, in words: the kind's label as a counted noun."""
    words = {
        "Handout": lambda: ngettext("the handout", "{count} handouts", count),
        "What the law says": lambda: ngettext("the “What the law says” sheet",
                                              "{count} “What the law says” sheets", count),
        "Facilitator guide": lambda: ngettext("the facilitator guide", "{count} facilitator guides", count),
        "Session plan template": lambda: ngettext("the session plan template", "{count} session plan templates",
                                                      count),
        "Observer's form": lambda: ngettext("the observer's form", "{count} observer's forms", count),
        "Pocket card": lambda: ngettext("the pocket card", "{count} pocket cards", count),
        "Emergency contacts card": lambda: ngettext("the emergency contacts card", "{count} emergency contacts cards",
                                                        count),
        "Case follow-up card": lambda: ngettext("the case follow-up card", "{count} case follow-up cards", count),
        "Incident record": lambda: ngettext("the incident record", "{count} incident records", count),
        "Witness sheet": lambda: ngettext("the witness sheet", "{count} witness sheets", count),
        "Glossary": lambda: ngettext("the glossary", "{count} glossaries", count),
        "Facilitator manual": lambda: ngettext("the facilitator manual", "{count} facilitator manuals", count),
        "Legal review packet": lambda: ngettext("the legal review packet", "{count} legal review packets", count),
        "Agenda": lambda: ngettext("the agenda", "{count} agendas", count),
        "Sign-in sheet": lambda: ngettext("the sign-in sheet", "{count} sign-in sheets", count),
        "Evaluation": lambda: ngettext("the evaluation", "{count} evaluations", count),
        "Certificate": lambda: ngettext("the certificate", "{count} certificates", count),
        "Share image": lambda: ngettext("the image to share", "{count} images to share", count),
        "Print plan": lambda: ngettext("the print plan", "{count} print plans", count),
        "Audio": lambda: ngettext("the audio file", "{count} audio files", count),
        "Recording script": lambda: ngettext("the recording script", "{count} recording scripts", count),
    }.get(label)
    return words().format(count=count) if words else f"{label}: {count}"


def made(artifacts: list) -> tuple[list[str], list[str]]:
    """What a build made, counted by kind in the order of the work, and its languages. A
    kind's count is its plain-form files in one language (11 handouts, each also as a
    booklet and in large print, in Spanish and English: "11 handouts")."""
    plain: dict[str, dict[str, int]] = {}  # kind → language → plain-form files
    every: dict[str, dict[str, int]] = {}  # kind → language → files of any form
    labels: dict[str, str] = {}
    langs: list[str] = []
    for artifact in artifacts:
        if artifact.lang not in langs:
            langs.append(artifact.lang)
        labels.setdefault(artifact.kind.name, artifact.kind.label)
        for counts, counted in ((every, True), (plain, artifact.variant.name is None)):
            if counted:
                per_lang = counts.setdefault(artifact.kind.name, {})
                per_lang[artifact.lang] = per_lang.get(artifact.lang, 0) + 1
    # A kind made only in a variant (`--only` cannot ask for that today, a later option may) counts that.
    return [_counted(labels[kind], max((plain.get(kind) or every[kind]).values())) for kind in every], langs


def _listed(items: list[str]) -> str:
    """"a, b and c" in the interface language; Spanish writes "e" before an i- sound
    ("español e inglés"), which the list patterns of Babel's data do not know."""
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    if interface() == "es" and re.match(r"h?i(?!e)", last, re.IGNORECASE):
        return _("{items} e {last}").format(items=", ".join(items[:-1]), last=last)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=last)


def _language_names(langs: list[str]) -> list[str]:
    """Each language's name in the interface language ("inglés"), or its code."""
    from babel import Locale

    names = Locale.parse(interface()).languages
    return [names.get(lang.replace("-", "_"), names.get(lang.split("-")[0], lang)) for lang in langs]


def _files(count: int) -> str:
    """"170 files"."""
    return ngettext("{count} file", "{count} files", count).format(count=count)


def _shown_folder(out: str) -> str:
    """OUT as the facilitator typed it, as a folder: "dist/"."""
    return out.rstrip("/") + "/"


def summary(report, diags, out: str, seconds: float, failed: bool) -> str:
    """The summary's lines, for stdout."""
    folder, took = _shown_folder(out), duration(seconds)
    errors = ngettext("{count} error", "{count} errors", len(diags.errors)).format(count=len(diags.errors))
    warnings = ngettext("{count} warning", "{count} warnings", len(diags.warnings)).format(count=len(diags.warnings))
    if failed and not report.outputs:
        if diags.errors:
            return ngettext("Nothing was written: {errors} (above). What was in {out} is as it was: fix it and build "
                            "again.", "Nothing was written: {errors} (above). What was in {out} is as it was: fix them "
                            "and build again.", len(diags.errors)).format(errors=errors, out=folder)
        return _("Nothing was written: --strict counts the {warnings} (above) as errors. What was in {out} is as it "
                 "was.").format(warnings=warnings, out=folder)
    lines = []
    if report.unchanged:
        lines.append(_("Nothing had changed since the last build: the {files} in {out} are up to date "
                       "({time}).").format(files=_files(report.outputs), out=folder, time=took))
    elif report.outputs:
        things, langs = made(report.artifacts)
        lines += _wrapped(_("Done: {things}, in {languages}.").format(
            things=_listed(things), languages=_listed(_language_names(langs))))
        pages = ngettext("{count} page", "{count} pages", report.pages).format(count=report.pages)
        anew = ngettext("{count} made anew", "{count} made anew", len(report.rendered)).format(
            count=len(report.rendered))
        lines.append(_("{files}, {pages} ({anew}), in {out} ({time}).").format(
            files=_files(report.outputs), pages=pages, anew=anew, out=folder, time=took))
    else:
        lines.append(_("Nothing to make ({time}).").format(time=took))
    index = os.path.join(out, "index.html")
    if "index.html" in report.paths or (report.unchanged and os.path.isfile(index)):
        lines.append(_("Open {index} to see them all.").format(index=index))
    if report.zips:
        zips = [_("{name} ({size} MB)").format(name=name, size=decimal(size / 1_000_000)) for name, size in report.zips]
        lines.append(_("To pass on by USB stick or phone: {zips}.").format(zips=", ".join(zips)))
    lines += _warnings(diags, warnings)
    return "\n".join(lines)


def _wrapped(line: str) -> list[str]:
    """The list of what was made is long: on a terminal, wrapped at its width so that no
    word is cut; in a log or a pipe, one line."""
    if not sys.stdout.isatty():
        return [line]
    return textwrap.wrap(line, shutil.get_terminal_size().columns - 1, subsequent_indent="  ")


def _warnings(diags, counted: str) -> list[str]:
    """"No warnings.", or their count and the first few (all are printed above, on stderr)."""
    if not diags.warnings:
        return [_("No warnings.")]
    shown = [f"  {d}" for d in diags.sorted() if d.level == "warning"]
    more = len(shown) - FIRST_WARNINGS
    return [_("{warnings} (above):").format(warnings=counted), *shown[:FIRST_WARNINGS]] + \
        ([_("  … and {count} more").format(count=more)] if more > 0 else [])
