"""How a document gets its stylesheets: linked for WeasyPrint (its base URL is templates/,
its fonts come through the `font:` scheme), or inside the page for the offline edition.

A page of the offline edition is forwarded alone on WhatsApp or copied alone to a phone:
everything it needs to look right must be inside it. Its stylesheets are inlined, and the
bundled fonts' @font-face rules are left out (a font file beside the page would not travel
with it): the page reads in the phone's own sans-serif (screen.css names the stack).
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..paths import TEMPLATES

_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")
_COMMENT = re.compile(r"/\*.*?\*/\s*", re.S)  # for whoever edits the stylesheets, not for every page


def linked(name: str) -> Markup:
    """`<link>` to a stylesheet of templates/css, for the PDF renderer."""
    return Markup('<link rel="stylesheet" href="css/{}">').format(name)


def inline(name: str) -> Markup:
    """The stylesheet inside a `<style>` element, for a page that must stand alone."""
    return Markup("<style>\n{}</style>").format(Markup(_screen_css(name)))


def _screen_css(name: str) -> str:
    text = (TEMPLATES / "css" / name).read_text(encoding="utf-8")
    # Stylesheets are ours (templates/css), never content: still, nothing may close the element.
    return _FONT_FACE.sub("", _COMMENT.sub("", text)).replace("</", "<\\/")
