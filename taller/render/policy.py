"""The resource policy of every render: what a document may fetch and what a PDF may hold.

No network, no files outside templates/ and the content folder, no embedded files, no
links to files of the machine that built it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from ..diagnostics import ContentError
from ..messages import _
from .fonts import FONT_SCHEME, font_dir


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
            raise ContentError(None, _("refused to read '{url}': a file of another machine").format(url=url))
        path = Path(url2pathname(parts.path))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing, or a link loop
            real = None
        inside = real is not None and real.is_file() and any(real.is_relative_to(r) for r in allowed)
        if not path.is_absolute() or not inside:
            raise ContentError(None, _("refused to read '{name}': only files under templates/ and the content "
                                       "folder may be used").format(name=_file_name(url)))
        return real

    class LocalOnlyFetcher(URLFetcher):
        """No network, no other local files: only the project's own resources."""

        def fetch(self, url, headers=None):
            if url.startswith(FONT_SCHEME):
                path = (fonts / url[len(FONT_SCHEME):]).resolve()
                if path.parent != fonts or not path.is_file():
                    raise ContentError(None, _("unknown bundled font '{url}'").format(url=url))
            elif urlsplit(url).scheme.lower() == "file":
                path = local_file(url)
            else:
                shown = url if len(url) <= 80 else url[:80] + "…"  # a data: URL can be long
                raise ContentError(None, _("refused to fetch '{url}': builds use no network and no embedded "
                                           "data").format(url=shown))
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
