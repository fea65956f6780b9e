"""Load: read the content folder into a `Curriculum`, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .fields import ID_RE, Fields
from .guard import present
from .model import (
    ACTIVITY_TYPES,
    ARC,
    CONFIDENCE,
    FIELD_TYPES,
    STANDING,
    Activity,
    Curriculum,
    FormField,
    FormSection,
    GlossaryTerm,
    LegalFact,
    Material,
    Module,
    Review,
    Session,
    Track,
)
from .orgs import read_orgs
from .reviews import REVIEWS
from .suggest import accents, closest, hint
from .texts import SHARED_UNITS, load_textset
from .yamlsrc import YNode, load_yaml


class ContentFolder:
    """The content folder, with paths shown as the user gave them (`content/...`)."""

    def __init__(self, root: Path, display: str):
        self.root = root
        self.display = display.rstrip("/") or "."
        # Files (as shown) that could not be read at all: one error each, already reported.
        # What needs them is not checked (validate.py), so the error is not buried under
        # "unknown module" or "unknown key" lines that only follow from it.
        self.unreadable: set[str] = set()

    def path(self, rel: str) -> Path:
        return self.root / rel

    def show(self, rel: str) -> str:
        return f"{self.display}/{rel}"

    def yaml(self, rel: str, diags: Diagnostics) -> YNode | None:
        node = load_yaml(self.path(rel), self.show(rel), diags, self.root)  # no link out of the folder
        if node is None:
            self.unreadable.add(self.show(rel))
        return node

    def unread(self, rel: str) -> bool:
        """Whether the file `rel` was there but could not be read."""
        return self.show(rel) in self.unreadable


def _missing_folder(folder: ContentFolder) -> str:
    """Where a content folder that is not there was looked for: a relative --content (the
    default `content`) is read from the folder the command runs in, which may not be the
    project's."""
    if Path(folder.display).is_absolute():
        return _("content folder not found; give the curriculum's folder with --content DIR")
    return _("content folder not found: looked in {path} (from the folder this command runs in); run it in the "
             "project's folder, or give the curriculum's folder with --content DIR").format(
        path=os.path.abspath(folder.display))


def load(folder: ContentFolder, diags: Diagnostics) -> Curriculum | None:
    """Read everything; return None only when the curriculum file itself is unreadable."""
    if not folder.root.is_dir():
        diags.error(Location(folder.display), _missing_folder(folder))
        return None
    root = folder.yaml("curriculum/curriculum.yaml", diags)
    if root is None:
        return None
    f = Fields(root, diags, "curriculum")
    version = f.str("version")
    if version and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}", version):
        # It names the zips (taller-<version>-es.zip): no folders, no way out of OUT.
        diags.error(f.map["version"].where, _("curriculum: 'version' must be letters, digits, '.', '-' or '_' "
                                              "(such as 1.0), not {value}").format(value=repr(version)))
        version = ""
    edition_date = f.date("edition_date") or dt.date(1970, 1, 1)
    source_language = f.str("source_language")
    languages = [lang for lang, _ in f.ids("languages", required=True)]
    default_org = f.str("default_org")
    default_org_loc = f.map["default_org"].where if "default_org" in f.map else f.loc
    review_every = f.int("review_every_months", required=False, minimum=1) if "review_every_months" in f.map else 12
    start = _clock(f, "start", "curriculum")
    in_progress, names = _language_status(f, languages, source_language)
    module_refs = f.ids("modules", required=True)
    f.done()
    if source_language and source_language not in languages:
        diags.error(f.map["source_language"].where, _("source_language '{lang}' is not in languages").format(
            lang=source_language))

    modules = []
    modules_dir = folder.path("modules")
    folders = sorted(p.name for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []
    meant = set()  # folders a mistyped module id was probably meant to name
    for number, (module_id, loc) in enumerate(module_refs, start=1):
        rel = f"modules/{module_id}/module.yaml"
        if not present(folder.path(rel)):  # a pipe or a folder there: the guard says what it is
            diags.error(loc, _("module '{module}' has no file {path}").format(module=module_id, path=folder.show(rel))
                        + hint(module_id, [f for f in folders if f != module_id]))
            folder.unreadable.add(folder.show(rel))  # the tracks naming it: no "unknown module" too
            # `documentig` for `documenting`: the folder is not "not listed", and the tracks
            # that name it rightly are not "unknown module" either (one error, this one).
            for other in closest(module_id, [f for f in folders if f not in {m for m, _loc in module_refs}], n=1):
                meant.add(other)
                folder.unreadable.add(folder.show(f"modules/{other}/module.yaml"))
            continue
        module = _module(folder.yaml(rel, diags), number, module_id, diags)
        if module is not None:
            modules.append(module)
    listed = {m for m, _ in module_refs} | meant
    if modules_dir.is_dir():
        for extra in sorted(p.name for p in modules_dir.iterdir() if p.is_dir() and p.name not in listed):
            diags.warning(Location(folder.show(f"modules/{extra}")), _("module folder '{folder}' is not listed in "
                                                                       "curriculum.yaml and is not built").format(
                folder=extra))

    laws, facts = _legal_facts(folder, diags)
    cur = Curriculum(
        version=version, edition_date=edition_date, source_language=source_language,
        languages=languages, default_org=default_org, modules=modules,
        glossary=_listed(folder, "glossary", "terms", GlossaryTerm, diags),
        legal_facts=facts,
        materials=_listed(folder, "materials", "materials", Material, diags),
        tracks=_tracks(folder, diags), orgs=read_orgs(folder, diags), incident_form=_form(folder, diags),
        texts={}, loc=f.loc, laws=laws, reviews=_reviews(folder, diags), review_every_months=review_every or 12,
        default_org_loc=default_org_loc,
        start=start, languages_in_progress=in_progress, language_names=names,
    )
    units = list(SHARED_UNITS) + [m.unit for m in modules]
    for unit in units:
        cur.texts[unit] = {}
        for lang in languages:
            rel = f"{unit}/{lang}.yaml"
            if not present(folder.path(rel)):
                diags.error(Location(folder.show(rel)), _("missing {lang} text file for {unit}").format(lang=lang, unit=unit))
                continue
            textset = load_textset(folder.path(rel), folder.show(rel), lang, diags, folder.root, folder.unreadable)
            if textset is not None:  # an unreadable file was reported once; no key-by-key noise
                cur.texts[unit][lang] = textset
    return cur


def _language_status(f: Fields, languages: list[str], source: str) -> tuple[list[str], dict[str, str]]:
    """`languages_in_progress: [qu]` (translations still being made) and `language_names:
    {qu: Runasimi}` (how the language chooser names them); both optional, both about
    declared translations only."""
    in_progress = []
    for lang, loc in f.ids("languages_in_progress"):
        if lang not in languages or lang == source:
            f.diags.error(loc, _("curriculum: '{lang}' in languages_in_progress must be one of the translations "
                                 "in languages ({known})").format(
                lang=lang, known=", ".join(x for x in languages if x != source) or "none"))
        else:
            in_progress.append(lang)
    names = {}
    node = f.node("language_names", required=False)
    if node is not None and not node.is_map:
        f.diags.error(node.where, _("curriculum: 'language_names' must map language codes to names, "
                                    "such as {{qu: Runasimi}}"))
    elif node is not None:
        for lang, name in node.value.items():
            text = (name.text() or "").strip() if not (name.is_map or name.is_list) else ""
            if lang not in languages:
                f.diags.error(name.where, _("curriculum: language_names names '{lang}', which is not in languages")
                              .format(lang=lang))
            elif not text or len(text) > 40:
                f.diags.error(name.where, _("curriculum: the name of '{lang}' must be a short line of text").format(lang=lang))
            else:
                names[lang] = text
    return in_progress, names


def _module(node: YNode | None, number: int, folder_id: str, diags: Diagnostics) -> Module | None:
    if node is None:
        return None
    f = Fields(node, diags, "module")
    module_id = f.id()
    if module_id and module_id != folder_id:
        diags.error(f.map["id"].where, _("module id '{module}' differs from its folder name '{folder}'").format(
            module=module_id, folder=folder_id))
    handout = Fields(f.node("handout"), diags, "handout")
    h_glossary, h_facts = handout.ids("glossary"), handout.ids("legal_facts")
    handout.done()
    read = [_session(n, diags) for n in f.list("sessions")]
    sessions = [s for s in read if s]
    f.done()
    unmatched = {"sessions."} if any(s is None or not s.id for s in read) else set()
    unmatched |= {f"sessions.{s.id}.activities." for s in sessions if s.id and s.unidentified_activities}
    return Module(folder_id, number, sessions, h_glossary, h_facts, f.loc, tuple(sorted(unmatched)))


def _session(node: YNode, diags: Diagnostics) -> Session | None:
    f = Fields(node, diags, "session")
    if not f.ok:
        return None
    session_id = f.id()
    minutes = f.int("minutes", minimum=1)
    group = Fields(f.node("group_size"), diags, "group_size")
    group_min, group_max = group.int("min", minimum=1), group.int("max", minimum=1)
    group.done()
    read = [_activity(n, diags) for n in f.list("activities")]
    activities = [a for a in read if a]
    session = Session(session_id, minutes, group_min, group_max, f.ids("materials"), f.ids("glossary"),
                      f.ids("legal_facts"), activities, f.loc, any(a is None or not a.id for a in read))
    f.done()
    return session


def _activity(node: YNode, diags: Diagnostics) -> Activity | None:
    f = Fields(node, diags, "activity")
    if not f.ok:
        return None
    activity = Activity(f.id(), f.choice("type", ACTIVITY_TYPES), f.choice("arc", ARC),
                        f.int("minutes", minimum=1), f.loc)
    f.done()
    return activity


def _listed(folder: ContentFolder, unit: str, key: str, cls, diags: Diagnostics) -> list:
    """A unit whose structure is only a list of ids (glossary terms, materials)."""
    rel = f"{unit}/{SHARED_UNITS[unit].structure}"
    f = Fields(folder.yaml(rel, diags), diags, unit)
    items = []
    for item_id, loc in f.ids(key, required=True):
        if not ID_RE.match(item_id):
            # Mostly a line indented further than the one above: YAML joins it to that item
            # ("a - b"), so two ids are lost. Their texts and references are not checked
            # either (the file counts as unread): one error, not one per text of them.
            joined = _("; a line indented further than the one above joins it") if " - " in item_id else ""
            diags.error(loc, _("{unit}: '{id}' is not a valid id (use lower case letters, digits and '-'{joined})").format(
                unit=unit, id=item_id, joined=joined) + accents(item_id))
            folder.unreadable.add(folder.show(rel))
            continue
        items.append(cls(item_id, loc))
    f.done()
    return items


def _legal_facts(folder: ContentFolder, diags: Diagnostics) -> tuple[list[str], list[LegalFact]]:
    """The laws (in the review packet's order) and the legal facts resting on them."""
    f = Fields(folder.yaml("legal/legal.yaml", diags), diags, "legal facts")
    laws = [law for law, _ in f.ids("laws", required=True)]
    facts = []
    for g in f.each("facts", "legal fact"):
        if "reviewed_by" in g.map or "reviewed_on" in g.map:
            where = (g.map.get("reviewed_by") or g.map["reviewed_on"]).where
            diags.error(where, _("legal fact: reviews are no longer written here; record one with "
                                 "`python build.py reviewed FACT_ID --by WHO --on YYYY-MM-DD` and delete these lines"))
            g.map.pop("reviewed_by", None), g.map.pop("reviewed_on", None)
        facts.append(LegalFact(g.id(), g.str("law"), g.choice("confidence", CONFIDENCE),
                               g.date("gathered_on") or dt.date(1970, 1, 1), g.loc,
                               g.choice("standing", STANDING, required=False, default="law")))
    f.done()
    return laws, facts


def _reviews(folder: ContentFolder, diags: Diagnostics) -> dict[str, Review]:
    """The review record `legal/reviews.yaml` (written by `build.py reviewed`), if any."""
    if not present(folder.path(REVIEWS)):
        return {}
    node = folder.yaml(REVIEWS, diags)
    if node is None:
        return {}
    f = Fields(node, diags, "review record")
    reviews = {}
    for g in f.each("reviews", "review", required=False):
        fact = g.id("fact")
        reviews[fact] = Review(fact, g.str("by"), g.date("on") or dt.date(1970, 1, 1), g.str("fingerprint"), g.loc)
    f.done()
    return reviews


def _tracks(folder: ContentFolder, diags: Diagnostics) -> list[Track]:
    f = Fields(folder.yaml("tracks/tracks.yaml", diags), diags, "tracks")
    tracks = [Track(g.id(), g.int("days", minimum=1), g.ids("modules", required=True), g.ids("sessions"), g.loc,
                    _clock(g, "start", "track"), g.ids("materials"))
              for g in f.each("tracks", "track")]
    f.done()
    return tracks


CLOCK_RE = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def _clock(f: Fields, key: str, what: str) -> str:
    """An optional start time, "HH:MM" (empty when not given). Facilitators write it; say
    how to write it, and keep 9:00 and 09:00 the same."""
    if key not in f.map:
        return ""
    text = f.str(key, required=False)
    match = CLOCK_RE.fullmatch(text.strip())
    if not match:
        f.diags.error(f.map[key].where, _("{what}: '{key}' must be a time written HH:MM in quotes, such as \"09:00\"; "
                                          "not {value}").format(what=what, key=key, value=repr(text)))
        return ""
    return f"{int(match[1]):02d}:{match[2]}"


def _form(folder: ContentFolder, diags: Diagnostics) -> list[FormSection]:
    """The incident record's structure: sections of typed fields (texts are per language)."""
    f = Fields(folder.yaml("incident-form/form.yaml", diags), diags, "form")
    sections = []
    for g in f.each("sections", "form section"):
        fields = []
        for h in g.each("fields", "form field"):
            field_type = h.choice("type", FIELD_TYPES)
            lines = h.int("lines", required=field_type == "lines", minimum=1) or 1
            options = h.ids("options", required=field_type == "choice")
            fields.append(FormField(h.id(), field_type, lines, options, h.loc))
        sections.append(FormSection(g.id(), fields, g.loc))
    f.done()
    return sections
