"""Prose: CommonMark with raw HTML disabled, so content can never inject markup or code."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

# "commonmark" preset with html off: `<script>` in content is printed as text.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": False})
# Content needs no images, and links would become file:// annotations in the PDF.
_MD.disable(["image", "link", "autolink"])


def block(text: str) -> Markup:
    """Render Markdown paragraphs and lists."""
    return Markup(_MD.render(text or ""))


def inline(text: str) -> Markup:
    """Render one line of Markdown (bold, italics) without a wrapping paragraph."""
    return Markup(_MD.renderInline(text or ""))
