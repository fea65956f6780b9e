"""PDF: HTML → PDF bytes with WeasyPrint 70, offline and deterministic.

WeasyPrint is imported lazily: `check` and no-op builds never pay its 1 s import.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .fonts import SUBSET_FALLBACK, use_bundled_fonts_only
from .policy import make_fetcher, refuse_embedding

# A page with nothing on it, not even a page number: the back of a page before a part
# of the manual that starts on a right-hand page.
BLANK_PAGE = ('<!doctype html><html><head><link rel="stylesheet" href="css/print.css"><style>@page {{ size: {sheet}; '
              '@top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-left {{ content: none; }} '
              '@bottom-right {{ content: none; }} }}</style></head><body></body></html>')


class PdfWriter:
    """One per worker process: a FontConfiguration and an image cache shared by documents."""

    def __init__(self, roots: list[Path]):
        use_bundled_fonts_only()  # before WeasyPrint loads fontconfig: never the machine's fonts
        from weasyprint.text.fonts import FontConfiguration

        self.roots = roots
        self.font_config = FontConfiguration()
        self.cache: dict = {}
        self.fetcher = make_fetcher(roots)

    def pdf(self, html: str, base_dir: Path, forms: bool = False, fixed_faces: bool = False) -> Rendered:
        """Render HTML to PDF bytes. With `fixed_faces`, each `.face` must fill exactly one page:
        a face that spills onto a second page, or a text that runs past its right edge (a
        word too long for the line), is reported by the key of that text."""
        with _collecting() as messages:
            document = self._layout(html, base_dir, forms)
            overflow = (_spilled_key(document) or _wide_key(document)) if fixed_faces else None
            data = self._write(document, forms)
        return Rendered(data, len(document.pages), overflow, tuple(dict.fromkeys(messages)))

    def book(self, front: str, guides: tuple[str, ...], back: str, base_dir: Path, sheet: str,
             wanted: tuple[bool, ...]) -> tuple[Rendered, list[Rendered | None]]:
        """The manual and the `wanted` guides (None for the others), each guide laid out
        once for both: the manual is the front, the guides' pages and the appendices joined
        after layout, each part starting on a right-hand page (a blank page before it if
        needed). A guide not wanted (its PDF is cached, or not asked for) is laid out for the
        manual but not written on its own."""
        guide_docs, guide_pdfs = [], []
        for html, write in zip(guides, wanted):
            with _collecting() as messages:
                document = self._layout(html, base_dir)
                data = self._write(document) if write else None
            guide_docs.append(document)
            guide_pdfs.append(Rendered(data, len(document.pages), None, tuple(dict.fromkeys(messages))) if write else None)
        with _collecting() as messages:
            front_doc, back_doc = self._layout(front, base_dir), self._layout(back, base_dir)
            blank = self._layout(BLANK_PAGE.format(sheet=sheet), base_dir).pages[0]
            pages = []
            for document in (front_doc, *guide_docs, back_doc):
                if len(pages) % 2:  # the part would start on a left-hand page
                    pages.append(blank)
                pages.extend(document.pages)
            data = self._write(front_doc.copy(pages))  # the manual's title and language: the front's
        every = [*messages, *(m for g in guide_pdfs if g for m in g.messages)]
        return Rendered(data, len(pages), None, tuple(dict.fromkeys(every))), guide_pdfs

    def _layout(self, html: str, base_dir: Path, forms: bool = False):
        """A laid-out WeasyPrint document, cleared of what must never reach a PDF."""
        from weasyprint import HTML

        document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=self.fetcher).render(
            font_config=self.font_config, cache=self.cache, pdf_tags=True, pdf_forms=forms)
        _current().extend(refuse_embedding(document))  # before write_pdf, which would fetch attachments
        return document

    @staticmethod
    def _write(document, forms: bool = False) -> bytes:
        """The finished PDF, compacted (every PDF the program writes passes here or
        through the imposition, which compacts its own)."""
        from .compact import compact

        return compact(document.write_pdf(pdf_tags=True, pdf_forms=forms, uncompressed_pdf=False))


# Worker processes cannot log into the parent's diagnostics: WeasyPrint's messages (refused
# resources, bad CSS) are collected and handed back with each result.
_COLLECTORS: list[list[tuple[str, str]]] = []


def _current() -> list[tuple[str, str]]:
    if not _COLLECTORS:  # a refusal recorded here would vanish and the build would pass
        raise RuntimeError("a document was laid out outside _collecting(): its messages would be lost")
    return _COLLECTORS[-1]


@contextmanager
def _collecting():
    """Collect WeasyPrint's warnings and errors, and our refusals, as (level, message) pairs."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    _COLLECTORS.append(collector.messages)
    try:
        yield collector.messages
    finally:
        _COLLECTORS.pop()
        logger.removeHandler(collector)


class _Collector(logging.Handler):
    """Keeps WeasyPrint warnings and errors as (level, message) pairs."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Using fontTools instead of HarfBuzz-Subset"):
            # The machine lacks a system library: one note per build, not one per document.
            message = SUBSET_FALLBACK
        level = "error" if record.levelno >= logging.ERROR else "warning"
        if (level, message) not in self.messages:
            self.messages.append((level, message))


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF, its page count, and the key of a text that did not fit its box."""

    pdf: bytes
    pages: int
    overflow: str | None = None
    messages: tuple[tuple[str, str], ...] = ()


def _spilled_key(document) -> str | None:
    """The text that spilled: the first `data-key` on a page that continues the previous
    page's face, or the last one of the previous page when only unkeyed text spilled."""
    previous_face, previous_last = None, None
    for page in document.pages:
        face, keys = None, []
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            face = face or element.get("data-face")
            key = element.get("data-key")
            if key and key not in keys:
                keys.append(key)
        if face and face == previous_face:
            return keys[0] if keys else previous_last
        previous_face, previous_last = face, keys[-1] if keys else None
    return None


# Layout rounding leaves a box a hair past its edge; a text that runs past by more (CSS px,
# a tenth of a millimetre) shows on the cut card, or is cut off with it.
_PAST_EDGE = 0.4


def _wide_key(document) -> str | None:
    """The text that runs past its face's right edge sideways (one word too long for the
    line: a long URL or name), by the nearest `data-key` around it. The card is cut at
    its edge, so what passes it is lost without this error."""
    for page in document.pages:
        stack = [(page._page_box, None, None)]  # (box, right edge of its face, its key)
        while stack:
            box, right, key = stack.pop()
            element = getattr(box, "element", None)
            if element is not None:
                key = element.get("data-key") or key
                if element.get("data-face") and right is None:
                    right = box.content_box_x() + box.width
            if right is not None and key and box.border_box_x() + box.border_width() > right + _PAST_EDGE:
                return key
            stack.extend((child, right, key) for child in reversed(getattr(box, "children", ())))
    return None
