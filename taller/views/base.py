"""Views: the curriculum seen in one language, shaped for templates (no logic in templates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup

from ..content.model import Curriculum, LegalFact, Module, Organisation, Session, Track
from ..content.reviews import ReviewState, review_state
from ..content.schedule import DEFAULT_START, module_sessions, schedule
from ..language.catalogs import PENDING_MARK
from ..language.freshness import State, state
from .markup import PendingText


@dataclass
class TermView:
    id: str
    term: str
    definition: str


@dataclass
class FactView:
    id: str
    title: str
    text: str
    source: str
    confidence: str
    gathered_on: dt.date
    reviewed: bool  # reviewed as written now, and not due again: "Reviewed by … on …"
    reviewed_by: str
    reviewed_on: dt.date | None
    law: str = ""  # the law's name, in this language
    state: str = "pending"  # ReviewState's value: reviewed, pending, changed, expired
    standing: str = "law"


@dataclass
class ActivityView:
    id: str
    type: str
    arc: str
    minutes: int
    start: str
    end: str
    title: str
    steps: tuple[str, ...]
    material: str


@dataclass
class SessionView:
    id: str
    number: str
    title: str
    minutes: int
    start: str
    end: str
    group_min: int
    group_max: int
    objectives: dict[str, tuple[str, ...]]
    materials: list[str]
    preparation: tuple[str, ...]
    key_messages: tuple[str, ...]
    facilitator_notes: tuple[str, ...]
    safety_notes: tuple[str, ...]
    debrief: tuple[str, ...]
    evaluation: tuple[str, ...]
    terms: list[TermView]
    facts: list[FactView]
    activities: list[ActivityView]
    day: int = 1  # the day of the module's plan it falls on


@dataclass
class SlotView:
    """A line of a guide's plan: a session, a break or lunch, with clock times."""

    kind: str  # "session", "break" or "lunch" (schedule.Slot.what)
    start: str
    end: str
    session: SessionView | None = None


@dataclass
class PlanDayView:
    number: int
    slots: list[SlotView]


@dataclass
class HandoutView:
    intro: str
    know: tuple[str, ...]
    do: tuple[str, ...]
    checklist: tuple[str, ...]
    phrases: tuple[str, ...]
    where: tuple[str, ...]
    terms: list[TermView]
    facts: list[FactView]


@dataclass
class ModuleView:
    id: str
    number: int
    title: str
    summary: str
    minutes: int
    sessions: list[SessionView]
    handout: HandoutView
    materials: list[str] = field(default_factory=list)  # every session's, once each
    facts: list[FactView] = field(default_factory=list)  # every legal fact the module cites
    days: list[PlanDayView] = field(default_factory=list)  # the plan, as the agendas place sessions
    start: str = DEFAULT_START  # the clock the plan starts at


@dataclass
class ContactView:
    label: str
    value: str  # empty: printed as a line to fill in by hand


@dataclass
class OrgView:
    name: str  # empty in the no-contacts edition: nothing prints the group's name
    city: str
    contacts: list[ContactView]
    short_name: str = ""  # for tight places (the pocket card); the name when there is none
    logo: str = ""  # checked inline SVG (Markup), or empty
    edition: str = "full"  # "full" or "no-contacts" (taller/editions.py)


class LanguageView:
    """Builds views of the curriculum in one language."""

    def __init__(self, cur: Curriculum, lang: str, start: str = "", pending_mark: str = PENDING_MARK):
        self.cur = cur
        self.lang = lang
        self.start = start  # the command line's --start; empty or the default: not given
        self.pending_mark = pending_mark  # the notice, once, on a document that prints a pending text
        self._facts = {f.id: f for f in cur.legal_facts}

    def text(self, unit: str, key: str, default: str | tuple = "") -> str | tuple[str, ...]:
        """The text of `key`; a missing or stale translation comes back as a `PendingText`."""
        return display_text(self.cur, unit, self.lang, key, default)

    def term(self, term_id: str) -> TermView:
        return TermView(term_id, self.text("glossary", f"{term_id}.term"), self.text("glossary", f"{term_id}.definition"))

    def fact(self, fact_id: str) -> FactView:
        fact: LegalFact = self._facts[fact_id]
        state, review = review_state(self.cur, fact)
        reviewed = state is ReviewState.REVIEWED
        return FactView(fact.id, self.text("legal", f"{fact.id}.title"), self.text("legal", f"{fact.id}.text"),
                        self.text("legal", f"{fact.id}.source"), fact.confidence, fact.gathered_on, reviewed,
                        review.by if reviewed else "", review.on if reviewed else None,
                        self.text("legal", f"laws.{fact.law}.title") if fact.law in self.cur.laws else "",
                        state.value, fact.standing)

    def material(self, material_id: str) -> str:
        return self.text("materials", material_id)

    def curriculum(self) -> dict[str, object]:
        return {key: self.text("curriculum", key) for key in ("title", "subtitle", "introduction", "how_to_use")}

    def start_for(self, track: Track | None = None) -> str:
        """The clock a plan or agenda starts at: the command line's --start, else the
        track's `start`, else the curriculum's, else 09:00."""
        return self.start or (track.start if track else "") or self.cur.start or DEFAULT_START

    def module(self, module: Module) -> ModuleView:
        unit = module.unit
        start = self.start_for()
        # The guide's plan is placed by the agendas' rule: lunch, and a new day when one is full.
        sessions, days = [], []
        for day in schedule(module_sessions(module), minutes(start)):
            slots = []
            for slot in day.slots:
                view = None
                if slot.session is not None:
                    index = module.sessions.index(slot.session) + 1
                    view = self._session(module, slot.session, index, slot.start)
                    view.day = day.number
                    sessions.append(view)
                slots.append(SlotView(slot.what, clock(slot.start), clock(slot.end), view))
            days.append(PlanDayView(day.number, slots))
        h = lambda key, default="": self.text(unit, f"handout.{key}", default)  # noqa: E731
        handout = HandoutView(h("intro"), h("know"), h("do"), h("checklist"), h("phrases", ()), h("where"),
                              [self.term(t) for t, _ in module.handout_glossary],
                              [self.fact(f) for f, _ in module.handout_legal_facts])
        materials = _once(m for s in sessions for m in s.materials)
        fact_ids = _once([f for f, _ in module.handout_legal_facts] + [f for s in module.sessions for f, _ in s.legal_facts])
        return ModuleView(module.id, module.number, self.text(unit, "title"), self.text(unit, "summary"),
                          sum(s.minutes for s in module.sessions), sessions, handout, materials,
                          [self.fact(f) for f in fact_ids], days, start)

    def _session(self, module: Module, session: Session, index: int, starts: int) -> SessionView:
        unit, base = module.unit, f"sessions.{session.id}"
        t = lambda key, default="": self.text(unit, f"{base}.{key}", default)  # noqa: E731
        activities = []
        at = starts
        for activity in session.activities:
            akey = f"activities.{activity.id}"
            activities.append(ActivityView(activity.id, activity.type, activity.arc, activity.minutes,
                                           clock(at), clock(at + activity.minutes), t(f"{akey}.title"),
                                           t(f"{akey}.steps", ()), t(f"{akey}.material")))
            at += activity.minutes
        return SessionView(
            session.id, f"{module.number}.{index}", t("title"), session.minutes, clock(starts), clock(at),
            session.group_min, session.group_max,
            {kind: t(f"objectives.{kind}", ()) for kind in ("knowledge", "skills", "attitudes")},
            [self.material(m) for m, _ in session.materials],
            t("preparation", ()), t("key_messages", ()), t("facilitator_notes", ()), t("safety_notes", ()),
            t("debrief", ()), t("evaluation", ()),
            [self.term(g) for g, _ in session.glossary], [self.fact(f) for f, _ in session.legal_facts], activities)

    def org(self, org: Organisation) -> OrgView:
        # A label not yet in this language prints in the source language, as a pending text.
        contacts = [ContactView(c.label.get(self.lang) or PendingText(c.label.get(self.cur.source_language, c.id)),
                                c.value) for c in org.contacts]
        logo = Markup(org.logo_svg) if org.logo_svg else ""  # checked when loaded (editions.read_logo)
        return OrgView(org.name, org.city, contacts, org.short_name or org.name, logo)


def display_text(cur: Curriculum, unit: str, lang: str, key: str, default: str | tuple) -> str | tuple[str, ...]:
    """The text to print for `key`: the translation, or a `PendingText` stand-in when it is
    not current.

    A missing block prints the source text and a stale one the old translation, and the
    document says once that translations are pending (markup.with_pending_notice), so a
    build never stops for a translation that is behind.
    """
    by_lang = cur.texts.get(unit, {})
    translation, source = by_lang.get(lang), by_lang.get(cur.source_language)
    block = translation.blocks.get(key) if translation else None
    if lang == cur.source_language or source is None or key not in source.blocks:
        return block.value if block else default
    found = state(source, translation, key)
    if found is State.CURRENT:
        return block.value
    value = source.blocks[key].value if found is State.MISSING else block.value
    if isinstance(value, tuple):
        return tuple(PendingText(item) for item in value)
    return PendingText(value)


def minutes(hhmm: str) -> int:
    """`HH:MM` as minutes after midnight."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def clock(at: int) -> str:
    """Minutes after midnight as `HH:MM`."""
    return f"{at // 60 % 24:02d}:{at % 60:02d}"


def _once(items) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
