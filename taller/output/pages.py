"""What a long page of the offline edition gets on a phone: an anchor on every section
heading, and a short contents at its top.

A guide is 28,000 px long on a phone, with 60 headings: without anchors nothing can link
to a session and nobody finds one. The HTML is ours (templates with autoescape: content
text never holds a tag), so its headings can be found by their tags.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from ..messages import N_

CONTENTS = N_("Contents")
LISTEN_ALL = N_("Listen to all of it")
LISTEN_PART = N_("Listen to this part")
NO_PLAYER = N_("Your browser cannot play it here: open the audio file")
# A page shorter than this (its text, in characters: a handout is about 4,000, a guide
# 30,000) or with fewer sections is short enough to scroll: a card needs no contents.
MIN_TEXT, MIN_SECTIONS = 8000, 4

_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""")
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<style.*?</style>", re.S)


def heading_text(inner: str) -> str:
    """The words of a heading, without its tags (its icon is hidden from readers)."""
    return " ".join(html.unescape(_TAG.sub(" ", inner)).split())


def with_contents(page: str, translations) -> str:
    """`page` with an id on each h2/h3 (kept where it has one) and, when it has enough
    h2 sections, a contents list of them after its first heading block."""
    used = set(_ID.findall(page))
    sections: list[tuple[str, str]] = []

    def anchor(match: re.Match) -> str:
        level, attrs, inner = match.groups()
        found = _ID.search(attrs)
        if found:
            ident = found.group(1)
        else:
            ident = _unique(f"s{len(used) + 1}", used)
            attrs = f' id="{ident}"' + attrs
        if level == "2":
            sections.append((ident, heading_text(inner)))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    page = _HEADING.sub(anchor, page)
    if len(sections) < MIN_SECTIONS or len(heading_text(_STYLE.sub("", page))) < MIN_TEXT:
        return page
    label = translations.gettext(CONTENTS)
    items = "".join(Markup('<li><a href="#{}">{}</a></li>').format(ident, text) for ident, text in sections)
    nav = Markup('<nav class="contents" aria-label="{}"><ul>{}</ul></nav>\n').format(label, Markup(items))
    # After the page's own head (its title and edition), before its first section.
    for marker in ("</header>", "</h1>"):
        at = page.find(marker)
        if at != -1:
            at += len(marker)
            return page[:at] + "\n" + str(nav) + page[at:]
    return page


def _unique(ident: str, used: set[str]) -> str:
    while ident in used:
        ident += "-"
    used.add(ident)
    return ident


def with_players(page: str, whole: str, parts: list[str], translations) -> str:
    """`page` with a player for its whole audio after its first heading block, and one for
    each part after the heading of its section (part N: the page's N-th h2, the order the
    audio reads them in: views/reading.py); parts beyond the headings (the contacts box,
    read last) after the last section. HTML `<audio>`: no script needed."""
    gettext = translations.gettext

    def player(src: str, label: str, cls: str) -> str:
        return str(Markup('<p class="listen {}"><span class="listen-label">{}</span> <audio controls preload="metadata" '
                          'src="{}"><a href="{}">{}</a></audio></p>').format(cls, label, src, src, gettext(NO_PLAYER)))

    heads = [m.end() for m in _HEADING.finditer(page) if m.group(1) == "2"]
    inserts = [(at, player(src, gettext(LISTEN_PART), "part")) for at, src in zip(heads, parts)]
    extra = "".join(player(src, gettext(LISTEN_PART), "part") for src in parts[len(heads):])
    end = page.rfind("</main>")
    if extra and end != -1:
        inserts.append((end, extra))
    for marker in ("</header>", "</h1>"):
        at = page.find(marker)
        if at != -1:
            inserts.append((at + len(marker), player(whole, gettext(LISTEN_ALL), "whole")))
            break
    for at, markup in sorted(inserts, reverse=True):
        page = page[:at] + "\n" + markup + page[at:]
    return page
