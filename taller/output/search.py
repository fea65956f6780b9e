"""The search of the offline edition: an index made at build time, inside the search page.

A phone opening the edition from file:// has no server and often no network, so the index
travels inside the page (a JSON block) and a few lines of script search it there, accents
and capitals ignored. Each entry is one section of a page: its heading, its link (the
section's anchor, pages.py) and its words.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from markupsafe import Markup

# Never indexed: navigation, the page's own styles and scripts, lines to write on.
_SKIP = {"nav", "style", "script", "head", "title"}
_HEADINGS = {"h1", "h2", "h3"}


class _Sections(HTMLParser):
    """Splits a page into (anchor, heading, text) at each h1–h3."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[dict] = []
        self.skipping = 0
        self.heading: list[str] | None = None
        self.anchor = ""

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _HEADINGS and not self.skipping:
            self.anchor = dict(attrs).get("id") or ""
            self.heading = []

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HEADINGS and self.heading is not None:
            self.sections.append({"a": self.anchor, "h": " ".join("".join(self.heading).split()), "x": []})
            self.heading = None

    def handle_data(self, data):
        if self.skipping:
            return
        if self.heading is not None:
            self.heading.append(data)
        elif self.sections:
            self.sections[-1]["x"].append(data)


def search_entries(pages: list[tuple[str, bytes]]) -> Markup:
    """The index of `pages` (path in OUT, HTML) as JSON, safe inside a <script> element."""
    entries = []
    for path, data in pages:
        parser = _Sections()
        parser.feed(data.decode("utf-8"))
        if not parser.sections:
            continue
        title = parser.sections[0]["h"]
        for section in parser.sections:
            text = " ".join(" ".join(section["x"]).split())
            link = path + (f"#{section['a']}" if section["a"] else "")
            entries.append({"p": title, "h": section["h"], "u": link, "x": text})
    # "<" escaped: no text can close the script element it travels in.
    return Markup(json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))
