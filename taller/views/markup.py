"""Prose: CommonMark with raw HTML disabled, so content can never inject markup or code.

What content may use: paragraphs, lists, `**bold**`, `*italics*`. Raw HTML (`<script>`),
images, links and template syntax (`{{ }}`, `{% %}`) are printed as the editor wrote them.

Text standing in for a missing or stale translation is a `PendingText`: it prints as
itself, and a document that printed any (in plain `{{ }}` output, where Jinja's autoescape
calls `__html__`, or through the `md` and `mdi` filters) says so once, in its own language:
`with_pending_notice` puts "(translation pending)" where the edition line leaves room for
it (`PENDING_SLOT`), never after each item, so a Spanish handout in Quechua reads as Spanish
with one notice, and a card face is no fuller than in Spanish.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# "commonmark" preset with html off: `<script>` in content is printed as text.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": False})
# Content needs no images, and links would become file:// annotations in the PDF: images,
# links and autolinks print literally, as written, and nothing they name is ever fetched.
# A link reference definition (`[r]: http://...`) would vanish from the page without a
# trace; it prints literally too, so no text an editor wrote is ever lost.
_MD.disable(["image", "link", "autolink", "reference"])


# Where a template leaves room for the notice: the edition line (partials/macros.html.j2).
PENDING_SLOT = "<!--pending-notice-->"
# Whether the document being rendered printed a pending text (None: no render is watching).
_printed: ContextVar[list[bool] | None] = ContextVar("pending_printed", default=None)


class PendingText(str):
    """Text whose translation is missing (source text shown) or stale (old translation shown)."""

    def __html__(self) -> Markup:
        _seen()
        return escape(str(self))


def _seen() -> None:
    printed = _printed.get()
    if printed is not None:
        printed.append(True)


def with_pending_notice(render: Callable[[], str], notice: str) -> str:
    """The HTML `render()` makes, with `notice` in its first `PENDING_SLOT` when it printed a
    pending text, and the slots gone otherwise (what is translated prints no notice)."""
    printed: list[bool] = []
    token = _printed.set(printed)
    try:
        html = render()
    finally:
        _printed.reset(token)
    if printed and PENDING_SLOT in html:
        html = html.replace(PENDING_SLOT, str(Markup(' <span class="pending-notice">{}</span>').format(notice)), 1)
    return html.replace(PENDING_SLOT, "")


def block(text: str) -> Markup:
    """Render Markdown paragraphs and lists."""
    if isinstance(text, PendingText):
        _seen()
    return Markup(_MD.render(str(text or "")))


def inline(text: str) -> Markup:
    """Render one line of Markdown (bold, italics) without a wrapping paragraph."""
    if isinstance(text, PendingText):
        _seen()
    return Markup(_MD.renderInline(str(text or "")))
