"""The curriculum as typed objects: language-neutral structure plus per-language text.

Structure (modules, sessions, activities, minutes, references) lives in one file per
unit; text lives in one file per language, as blocks addressed by stable keys such as
`sessions.stops.activities.role-play.steps`. A translation can so record, per key, which
source text it was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from ..diagnostics import Location

ACTIVITY_TYPES = (
    "opening", "experience", "mapping", "case-discussion", "role-play", "input",
    "drafting", "small-groups", "plenary", "practice", "game", "closing",
)
# The popular-education arc, in the order a session walks it.
ARC = ("experience", "patterns", "information", "practice", "action")
CONFIDENCE = ("high", "medium-high", "medium", "low")
STANDING = ("law", "history")  # a legal fact's standing: see LegalFact
FIELD_TYPES = ("text", "lines", "choice", "yesno")


@dataclass(frozen=True)
class TextBlock:
    """One translatable block in one language: a string, or a list of strings."""

    key: str
    value: str | tuple[str, ...]
    loc: Location

    def fingerprint(self) -> str:
        """Short hash of the text; a translation records the source's fingerprint."""
        text = self.value if isinstance(self.value, str) else "\n".join(self.value)
        return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


@dataclass
class TextSet:
    """All blocks of one language file, by key."""

    lang: str
    path: str
    blocks: dict[str, TextBlock] = field(default_factory=dict)
    parent_lines: dict[str, int] = field(default_factory=dict)  # key prefix → line
    translated_from: dict[str, TextBlock] = field(default_factory=dict)

    def line_for(self, key: str) -> Location:
        """Where a missing key should go: the line of its nearest existing parent."""
        parts = key.split(".")
        while parts:
            parts.pop()
            prefix = ".".join(parts)
            if prefix in self.parent_lines:
                return Location(self.path, self.parent_lines[prefix])
        return Location(self.path, 1)


@dataclass
class Activity:
    """One step of a session: a role play, a case discussion, a mapping."""

    id: str
    type: str
    arc: str
    minutes: int
    loc: Location


@dataclass
class Session:
    """One teaching session of a module, with its plan of activities."""

    id: str
    minutes: int
    group_min: int
    group_max: int
    materials: list[tuple[str, Location]]
    glossary: list[tuple[str, Location]]
    legal_facts: list[tuple[str, Location]]
    activities: list[Activity]
    loc: Location
    # Set when an activity had no id (or was not a mapping): its texts cannot be matched.
    unidentified_activities: bool = False


@dataclass
class Module:
    """A module of the curriculum: sessions plus a participant handout."""

    id: str
    number: int
    sessions: list[Session]
    handout_glossary: list[tuple[str, Location]]
    handout_legal_facts: list[tuple[str, Location]]
    loc: Location
    # Text keys that cannot be matched because module.yaml lost the id they hang on (already
    # an error there): "sessions." when a session has no id, else one session's activities.
    unmatched: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        return f"modules/{self.id}"


@dataclass
class GlossaryTerm:
    """A word of the law or of rights; its term and meaning are text blocks."""

    id: str
    loc: Location


@dataclass
class LegalFact:
    """A statement about the law, written once; its title, text and source are text blocks.

    `standing` is "law", or "history" for something the group tells as its story but that
    no lawyer has confirmed as law (the Arequipa directive): a guide may tell it, a
    participant handout never prints it as what the law says."""

    id: str
    law: str  # the law it rests on: one of `Curriculum.laws`, the groups of the review packet
    confidence: str
    gathered_on: dt.date
    loc: Location
    standing: str = "law"


@dataclass(frozen=True)
class Review:
    """The group's lawyer (or whoever the group names) checked a legal fact: who, when, and
    the fingerprint of the fact's source-language text and source as they reviewed them."""

    fact: str
    by: str
    on: dt.date
    fingerprint: str
    loc: Location


@dataclass
class Material:
    """Something a session needs on the day (paper, markers, printed cards)."""

    id: str
    loc: Location


@dataclass
class Track:
    """A workshop: an ordered list of modules over some days."""

    id: str
    days: int
    modules: list[tuple[str, Location]]
    sessions: list[tuple[str, Location]]  # "module/session"; empty: every session
    loc: Location
    start: str = ""  # "HH:MM" the workshop starts; empty: the curriculum's start
    # Materials every participant takes home (the pocket card), printed on the agenda.
    materials: list[tuple[str, Location]] = field(default_factory=list)


@dataclass
class Contact:
    """A contact of an organisation; an unknown value stays empty, printed as a blank line."""

    id: str
    label: dict[str, str]
    value: str
    verified_on: dt.date | None
    loc: Location | None = None


@dataclass
class Organisation:
    """The group whose name and contacts appear on the materials."""

    id: str
    name: str
    short_name: str
    city: str
    contacts: list[Contact]
    loc: Location
    logo_svg: str = ""  # the logo file's SVG, checked by `editions.read_logo`; empty: no logo
    edition: str = "full"  # "no-contacts": never print its name, logo or contact values


@dataclass
class FormField:
    """One field of a print form: a line, several lines, tick boxes, or yes/no."""

    id: str
    type: str
    lines: int
    options: list[tuple[str, Location]]
    loc: Location


@dataclass
class FormSection:
    """A group of form fields under one heading."""

    id: str
    fields: list[FormField]
    loc: Location


@dataclass
class Curriculum:
    """Everything read from the content folder."""

    version: str
    edition_date: dt.date
    source_language: str
    languages: list[str]
    default_org: str
    modules: list[Module]
    glossary: list[GlossaryTerm]
    legal_facts: list[LegalFact]
    materials: list[Material]
    tracks: list[Track]
    orgs: dict[str, Organisation]
    incident_form: list[FormSection]
    # unit ("curriculum", "glossary", "modules/<id>", ...) → language → text
    texts: dict[str, dict[str, TextSet]]
    loc: Location
    laws: list[str] = field(default_factory=list)  # the laws legal facts rest on, in packet order
    reviews: dict[str, Review] = field(default_factory=dict)  # legal fact id → its last review
    review_every_months: int = 12  # a review older than this is due again
    default_org_loc: Location | None = None  # the line of `default_org:`, for its errors
    start: str = ""  # "HH:MM" the plans and agendas start at; empty: schedule.DEFAULT_START
    # Languages still being translated (`languages_in_progress:`): what is not translated
    # yet is summed up as notes, never warnings, so `--strict` does not fail on them.
    languages_in_progress: list[str] = field(default_factory=list)
    # What each language is called in itself (`language_names:`), for the language chooser;
    # Babel's name where none is given.
    language_names: dict[str, str] = field(default_factory=dict)

    def in_progress(self, lang: str) -> bool:
        """Whether `lang` is declared as still being translated."""
        return lang in self.languages_in_progress

    def text(self, unit: str, lang: str, key: str) -> str | tuple[str, ...]:
        """The text of `key` in `lang`; validation guarantees it exists."""
        return self.texts[unit][lang].blocks[key].value

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)
