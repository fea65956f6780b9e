"""Prose: CommonMark with raw HTML disabled, so content can never inject markup or code.

What content may use: paragraphs, lists, `**bold**`, `*italics*`. Raw HTML (`<script>`),
images, links and template syntax (`{{ }}`, `{% %}`) are printed as the editor wrote them.

Text standing in for a missing or stale translation is a `PendingText`: it prints as
itself followed by a visible "(translation pending)" mark, in plain `{{ }}` output (Jinja's
autoescape calls `__html__`) and through the `md` and `mdi` filters alike.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# "commonmark" preset with html off: `<script>` in content is printed as text.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": False})
# Content needs no images, and links would become file:// annotations in the PDF: images,
# links and autolinks print literally, as written, and nothing they name is ever fetched.
# A link reference definition (`[r]: http://...`) would vanish from the page without a
# trace; it prints literally too, so no text an editor wrote is ever lost.
_MD.disable(["image", "link", "autolink", "reference"])


class PendingText(str):
    """Text whose translation is missing (source text shown) or stale (old translation shown)."""

    mark: str

    def __new__(cls, text: str, mark: str) -> PendingText:
        obj = super().__new__(cls, text)
        obj.mark = mark
        return obj

    def __html__(self) -> Markup:
        return escape(str(self)) + _mark_html(self.mark)


def _mark_html(mark: str) -> Markup:
    # A leading space keeps the mark a separate word in the PDF's text.
    return Markup(' <span class="pending">{}</span>').format(mark)


def block(text: str) -> Markup:
    """Render Markdown paragraphs and lists."""
    html = Markup(_MD.render(str(text or "")))
    if not isinstance(text, PendingText):
        return html
    # Put the mark at the end of the last paragraph, or in a paragraph of its own after a list.
    if html.endswith("</p>\n"):
        return Markup(html[: -len("</p>\n")]) + _mark_html(text.mark) + Markup("</p>\n")
    return html + Markup('<p>{}</p>\n').format(_mark_html(text.mark))


def inline(text: str) -> Markup:
    """Render one line of Markdown (bold, italics) without a wrapping paragraph."""
    html = Markup(_MD.renderInline(str(text or "")))
    return html + _mark_html(text.mark) if isinstance(text, PendingText) else html
