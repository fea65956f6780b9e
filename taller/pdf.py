"""PDF: HTML → PDF bytes with WeasyPrint 70, offline and deterministic.

WeasyPrint is imported lazily: `check` and no-op builds never pay its 1 s import.
"""

from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ContentError

FONT_SCHEME = "font:"
SUBSET_FALLBACK = ("fonts are subset with fontTools, several times slower than HarfBuzz: install the "
                   "system package libharfbuzz-subset0 (`make` does it when run as root with apt-get)")  # `url(font:AtkinsonHyperlegible-Regular.ttf)` in the CSS


def font_dir() -> Path:
    """The bundled font family's folder (a pinned Python package, not the machine's fonts)."""
    import fontpkg_atkinson_hyperlegible as fonts

    return Path(fonts.__file__).resolve().parent / "files"


def bundled_families() -> set[str]:
    """Family names of the bundled fonts (from their name tables), to compare with a PDF's."""
    from fontTools.ttLib import TTFont

    return {TTFont(p)["name"].getDebugName(1) for p in font_dir().glob("*.ttf")}


def make_fetcher(roots: list[Path]):
    """A URL fetcher that serves files under `roots` and bundled fonts, and refuses all else.

    The resource policy of every render, in one place (with `refuse_embedding` below):

    - `font:NAME`: a font file of the bundled family, never one of the machine's fonts;
    - `file:` URLs (no host, or `localhost`) of regular files that, with every symbolic
      link followed, lie under one of `roots` (templates/ and the content folder): a link
      inside them that points elsewhere is refused like any other outside file;
    - everything else is refused: http, https, ftp, `data:`, a `file:` URL naming another
      host. A build never uses the network and never reads other files of the machine.

    A refusal raises; WeasyPrint logs it as an error and the build fails, naming the output.
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [r.resolve() for r in roots]
    fonts = font_dir()

    def local_file(url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ContentError(None, f"refused to read '{url}': a file of another machine")
        path = Path(url2pathname(parts.path))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing, or a link loop
            real = None
        inside = real is not None and real.is_file() and any(real.is_relative_to(r) for r in allowed)
        if not path.is_absolute() or not inside:
            raise ContentError(None, f"refused to read '{_file_name(url)}': only files under templates/ and "
                                     "the content folder may be used")
        return real

    class LocalOnlyFetcher(URLFetcher):
        """No network, no other local files: only the project's own resources."""

        def fetch(self, url, headers=None):
            if url.startswith(FONT_SCHEME):
                path = (fonts / url[len(FONT_SCHEME):]).resolve()
                if path.parent != fonts or not path.is_file():
                    raise ContentError(None, f"unknown bundled font '{url}'")
            elif urlsplit(url).scheme.lower() == "file":
                path = local_file(url)
            else:
                shown = url if len(url) <= 80 else url[:80] + "…"  # a data: URL can be long
                raise ContentError(None, f"refused to fetch '{shown}': builds use no network and no embedded data")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalOnlyFetcher()


# Schemes a PDF link may point to: addresses that mean the same on every reader's phone.
LINK_SCHEMES = ("http", "https", "mailto", "tel")


def refuse_embedding(document) -> list[tuple[str, str]]:
    """Take out of a rendered document what must never reach a PDF; returns the errors.

    - attachments (`<link rel=attachment>`, `<a rel=attachment>`) would embed a file, with
      its name and dates, into the PDF;
    - links to anything but web, mail and phone addresses: WeasyPrint turns a relative
      `<a href>` into an absolute `file://` link, which prints the path of the machine (and
      the user name in it) into every copy of the PDF.
    """
    from urllib.parse import urlsplit

    problems: list[tuple[str, str]] = []
    if document.metadata.attachments:
        problems.append(("error", "refused an attachment (<link rel=attachment>): a PDF never embeds files"))
    document.metadata.attachments = []
    for page in document.pages:
        kept = []
        for link in page.links:
            link_type, target = link[0], link[1]
            if link_type == "attachment":
                problems.append(("error", f"refused an attachment ('{_file_name(target)}', rel=attachment): "
                                          "a PDF never embeds files"))
            elif link_type == "external" and urlsplit(target).scheme.lower() not in LINK_SCHEMES:
                problems.append(("error", f"refused a link to '{_file_name(target)}': a PDF links only to web, "
                                          "mail and phone addresses, never to a file of the machine that built it"))
            else:
                kept.append(link)
        page.links[:] = kept
    return list(dict.fromkeys(problems))  # one line per problem, however many pages repeat it


def _file_name(url: str) -> str:
    """The last part of a URL: enough to find the reference, without the machine's path."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return url if len(url) <= 80 else url[:80] + "…"
    return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or "/"


# A page with nothing on it, not even a page number: the back of a page before a part
# of the manual that starts on a right-hand page.
BLANK_PAGE = ('<!doctype html><html><head><link rel="stylesheet" href="css/print.css"><style>@page {{ size: {sheet}; '
              '@top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-left {{ content: none; }} '
              '@bottom-right {{ content: none; }} }}</style></head><body></body></html>')


class PdfWriter:
    """One per worker process: a FontConfiguration and an image cache shared by documents."""

    def __init__(self, roots: list[Path]):
        from weasyprint.text.fonts import FontConfiguration

        self.roots = roots
        self.font_config = FontConfiguration()
        self.cache: dict = {}
        self.fetcher = make_fetcher(roots)

    def pdf(self, html: str, base_dir: Path, forms: bool = False, fixed_faces: bool = False) -> Rendered:
        """Render HTML to PDF bytes. With `fixed_faces`, each `.face` must fill exactly one page:
        a face that spills onto a second page is reported by the key of the text that spilled."""
        with _collecting() as messages:
            document = self._layout(html, base_dir, forms)
            overflow = _spilled_key(document) if fixed_faces else None
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
        return document.write_pdf(pdf_tags=True, pdf_forms=forms, uncompressed_pdf=False)


# Worker processes cannot log into the parent's diagnostics: WeasyPrint's messages (refused
# resources, bad CSS) are collected and handed back with each result.
_COLLECTORS: list[list[tuple[str, str]]] = []


def _current() -> list[tuple[str, str]]:
    return _COLLECTORS[-1] if _COLLECTORS else []


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
