"""The handouts and the pocket card read aloud: their parts, in reading order, as the ear
gets them (the audio edition speaks them, the recording script prints them).

A part is one section of the material as printed: its heading and what follows it ("Lo
que debes saber" and its list). Made from the very views the templates print, never from
a PDF. What is said: every heading, announced; a list's items one by one, a pause after
each; numbered steps with their number ("Paso 2. …"); paragraphs one by one. What is not:
the edition line, the organisation's letterhead, facilitator notes (a handout has none),
and the small print of "The law says" (where its sources are, and the note about the
lawyer's review, which changes with `reviewed` and not with the text: a recording could
never keep up with it).

The contacts are a part of their own, read by the synthetic voice only: they come from the
organisation chosen at build time and vanish in the no-contacts edition, so a member's
recording of one group's numbers must never play in another's edition. Such a part keeps
its number even when it has nothing to say, so the numbers of the others never shift with
the edition (the recordings are named by them). A section the handout gains or loses
("Frases para decir") does shift the numbers after it: the recordings there then read
other texts than they were made from, which `recorded`'s fingerprints show, and the
synthetic voice reads those parts until they are recorded again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from ..content.recordings import part_name
from ..messages import N_
from . import markup
from .base import ModuleView, OrgView

# The headings, as the templates print them (handout.html.j2, card.html.j2): the same
# msgids, so the same words in every language.
WHAT_TO_KNOW, WHAT_TO_DO, PHRASES, CHECKLIST = N_("What to know"), N_("What to do"), N_("Phrases to say"), N_("Checklist")
WORDS, WORDS_MORE, LAW, WHERE, CONTACTS = (N_("Words to use"), N_("What they mean: the glossary."), N_("The law says"),
                                           N_("Where to go"), N_("Contacts"))
MODULE_NUMBER, FOR_PARTICIPANTS = N_("Module %(number)s"), N_("For participants")
STEP = N_("Step %(number)s")  # said before each numbered step
CARD_SECTIONS = (("id_check", N_("If they ask for your ID")), ("detained", N_("If you are detained")),
                 ("phrases", N_("Phrases to say")), ("do", N_("Do")), ("dont", N_("Do not")),
                 ("write_down", N_("Write down")), ("contacts", N_("Who to call")), ("afterwards", N_("Afterwards")))


@dataclass(frozen=True)
class Part:
    """One section, as it is read aloud."""

    number: int
    heading: str
    lines: tuple[str, ...] = ()  # each item or paragraph, a pause after each (steps start with their number)
    lead: str = ""               # said before the heading: what the material is (the first part only)
    # The content texts it reads, as `unit:key`: what a recording of it was made from.
    texts: tuple[str, ...] = ()
    recordable: bool = True      # False: the synthetic voice reads it (the contacts)

    @property
    def name(self) -> str:
        return part_name(self.number)

    @property
    def words(self) -> int:
        return sum(len(text.split()) for text in (self.lead, self.heading, *self.lines))


def handout_parts(module: ModuleView, org: OrgView | None, gettext: Callable[[str], str]) -> list[Part]:
    """The handout's parts, in the order handout.html.j2 prints its sections."""
    unit = f"modules/{module.id}"
    h = module.handout
    kicker = f"{gettext(MODULE_NUMBER) % {'number': module.number}}. {gettext(FOR_PARTICIPANTS)}."
    sections = [(module.title, paragraphs(h.intro), (f"{unit}:title", f"{unit}:handout.intro"), kicker),
                (gettext(WHAT_TO_KNOW), items(h.know), (f"{unit}:handout.know",), ""),
                (gettext(WHAT_TO_DO), steps(h.do, gettext), (f"{unit}:handout.do",), "")]
    if h.phrases:
        sections.append((gettext(PHRASES), items(h.phrases), (f"{unit}:handout.phrases",), ""))
    sections.append((gettext(CHECKLIST), items(h.checklist), (f"{unit}:handout.checklist",), ""))
    if h.terms:
        sections.append((gettext(WORDS), (*(plain(t.term) for t in h.terms), gettext(WORDS_MORE)),
                         tuple(f"glossary:{t.id}.term" for t in h.terms), ""))
    if h.facts:
        sections.append((gettext(LAW), tuple(plain(f.title) for f in h.facts), tuple(f"legal:{f.id}.title" for f in h.facts),
                         ""))
    sections.append((gettext(WHERE), items(h.where), (f"{unit}:handout.where",), ""))
    parts = [Part(number, heading, lines, lead, texts) for number, (heading, lines, texts, lead) in enumerate(sections, 1)]
    return [*parts, Part(len(parts) + 1, gettext(CONTACTS), contact_lines(org, with_org=True), recordable=False)]


def card_parts(card: dict, org: OrgView | None, gettext: Callable[[str], str]) -> list[Part]:
    """The pocket card's parts: its sections in the order card.html.j2 prints them, the
    card's title said before the first."""
    parts = []
    for number, (key, heading) in enumerate(CARD_SECTIONS, 1):
        if key == "contacts":
            parts.append(Part(number, gettext(heading), contact_lines(org, with_org=False, first=2), recordable=False))
            continue
        first = number == 1
        parts.append(Part(number, gettext(heading), items(card[key]), plain(card["title"]) if first else "",
                          (*(("card:title",) if first else ()), f"card:{key}")))
    return parts


def contact_lines(org: OrgView | None, with_org: bool, first: int | None = None) -> tuple[str, ...]:
    """What the contacts box says aloud: the organisation (the handout names it with its
    city; the card, short of room, by its short name) and each contact that has a value
    (the card prints its `first` two). A contact left blank, to fill in by hand on paper,
    is not read: there is nothing to hear."""
    if org is None or not org.name:  # no organisation, or the no-contacts edition
        return ()
    lines = [", ".join(x for x in (org.name, org.city) if x) if with_org else org.short_name]
    return (*lines, *(f"{plain(c.label)}: {c.value}" for c in org.contacts[:first] if c.value))


def items(values) -> tuple[str, ...]:
    """A list's items as plain text, one a line."""
    return tuple(text for text in (plain(value) for value in values or ()) if text)


def steps(values, gettext: Callable[[str], str]) -> tuple[str, ...]:
    """Numbered steps: each says its number first, as the printed list shows it."""
    return tuple(f"{gettext(STEP) % {'number': number}}. {text}" for number, text in enumerate(items(values), 1))


def paragraphs(text: str) -> tuple[str, ...]:
    """A Markdown text's paragraphs and list items, one a line, as plain text."""
    reader = _PlainText()
    reader.feed(str(markup.block(text)))
    reader.close()
    return tuple(" ".join(line.split()) for line in reader.lines if line.strip())


def plain(text: str) -> str:
    """One line of Markdown (bold, italics) as the words it says."""
    reader = _PlainText()
    reader.feed(str(markup.inline(text)))
    reader.close()
    return " ".join(" ".join(reader.lines).split())


class _PlainText(HTMLParser):
    """The text of rendered Markdown, a line for each paragraph or list item (entities
    decoded: `&amp;` is said as `&`)."""

    _BREAKS = {"p", "li", "br", "h1", "h2", "h3", "ul", "ol", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [""]

    def handle_starttag(self, tag, attrs):
        if tag in self._BREAKS:
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag in self._BREAKS:
            self.lines.append("")

    def handle_data(self, data):
        self.lines[-1] += data
