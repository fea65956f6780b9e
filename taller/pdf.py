"""PDF: HTML → PDF bytes with WeasyPrint 70, offline and deterministic.

WeasyPrint is imported lazily: `check` and no-op builds never pay its 1 s import.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from .diagnostics import ContentError

FONT_SCHEME = "font:"  # `url(font:AtkinsonHyperlegible-Regular.ttf)` in the CSS


def font_dir() -> Path:
    """The bundled font family's folder (a pinned Python package, not the machine's fonts)."""
    import fontpkg_atkinson_hyperlegible as fonts

    return Path(fonts.__file__).resolve().parent / "files"


def bundled_families() -> set[str]:
    """Family names of the bundled fonts (from their name tables), to compare with a PDF's."""
    from fontTools.ttLib import TTFont

    return {TTFont(p)["name"].getDebugName(1) for p in font_dir().glob("*.ttf")}


def make_fetcher(roots: list[Path]):
    """A URL fetcher that serves files under `roots` and bundled fonts, and refuses all else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [r.resolve() for r in roots]
    fonts = font_dir()

    class LocalOnlyFetcher(URLFetcher):
        """No network, no other local files: only the project's own resources."""

        def fetch(self, url, headers=None):
            if url.startswith(FONT_SCHEME):
                path = (fonts / url[len(FONT_SCHEME):]).resolve()
                if path.parent != fonts or not path.is_file():
                    raise ContentError(None, f"unknown bundled font '{url}'")
            elif url.startswith("file://"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url[len("file://"):].split("?")[0].split("#")[0])).resolve()
                if not any(path.is_relative_to(root) for root in allowed) or not path.is_file():
                    raise ContentError(None, f"refused to read '{url}': only files under templates/ and the content folder may be used")
            else:
                raise ContentError(None, f"refused to fetch '{url}': builds never use the network")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalOnlyFetcher()


class PdfWriter:
    """One per worker process: a FontConfiguration and an image cache shared by documents."""

    def __init__(self, roots: list[Path]):
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.cache: dict = {}
        self.fetcher = make_fetcher(roots)

    def pdf(self, html: str, base_dir: Path, forms: bool = False) -> tuple[bytes, int]:
        """Render HTML to PDF bytes; returns the bytes and the page count."""
        from weasyprint import HTML

        document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=self.fetcher).render(
            font_config=self.font_config, cache=self.cache, pdf_tags=True, pdf_forms=forms)
        data = document.write_pdf(pdf_tags=True, pdf_forms=forms, uncompressed_pdf=False)
        return data, len(document.pages)
