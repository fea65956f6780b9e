"""Share images: the pocket card's two faces and every page of each handout as PNGs to pass
on by phone (WhatsApp chats and status): 1080 px wide, grey, at most 300 KB each.

Files, under `<lang>/share/`: `card-front.png`, `card-back.png`, and `<module>-1.png`,
`<module>-2.png`, … one a page of the module's handout (as many as its PDF has). Each is
its own manifest entry (kind `image`; `module` the handout's, null for the card).

An image is a picture of the very layout that is printed. A handout's renders the
handout's own HTML with the handout's render options, so the render cache gives the
handout's PDF and it is laid out once for both. The card's renders the plain card's HTML
without the imposition: its front and back, one face a page (its third page, the sheet of
crop marks, is not shared); a text too long for its face is the card's error here too.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from typing import TYPE_CHECKING

from ..messages import N_
from ..render.raster import page_pictures
from .base import LANGUAGE, Artifact, File, Kind, Variant
from .card import KIND as CARD
from .handout import KIND as HANDOUT

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..incremental.folder import CacheFolder
    from ..render.html import Renderer
    from ..render.weasy import Rendered

WIDTH = 1080         # px
BUDGET = 300 * 1024  # bytes a file
FACES = ("front", "back")  # the plain card's first two pages
CARD_NAME = "card"

# The plain card's layout, not imposed: a face a page. Checked like the card's own.
_FACES = Variant(fixed_faces=True)


def artifacts(cur: Curriculum, lang: str) -> list[Artifact]:
    """The card's images, then each module's handout's (the module set, so that an edit to
    a module rebuilds its images in `watch`)."""
    return [Artifact(KIND, lang, name=CARD_NAME, variant=_FACES),
            *(Artifact(KIND, lang, module=m.id, name=m.id) for m in cur.modules)]


def shown(image: Artifact) -> Artifact:
    """The material an image is a picture of: the plain card, or the module's plain handout."""
    if image.module is None:
        return Artifact(CARD, image.lang, variant=CARD.variants[0])
    return Artifact(HANDOUT, image.lang, module=image.module)


def source(renderer: Renderer, image: Artifact, keep_html: bool):
    """The shown material's own source: the same HTML, so the same render cache entry."""
    return renderer.source(shown(image), keep_html)


def files(image: Artifact, rendered: Rendered, cache: CacheFolder, used: set[str]) -> list[File]:
    """A PNG of each face of the card, or of each page of the handout."""
    if image.module is None:
        names = [f"{image.stem}-{face}.png" for face in FACES]
    else:
        names = [f"{image.stem}-{number}.png" for number in range(1, rendered.pages + 1)]
    pictures = _pictures(rendered.pdf, len(names), cache, used)
    return [File(path, data, fresh=fresh) for path, (data, fresh) in zip(names, pictures)]


def _pictures(pdf: bytes, count: int, cache: CacheFolder, used: set[str]) -> list[tuple[bytes, bool]]:
    """The first `count` pages of `pdf` as PNGs, and whether each was drawn now: from the
    cache folder's `pages/` when this PDF was drawn the same way before."""
    # Same PDF, same drawing, same pixels: the key is the PDF and what draws it.
    how = f"{WIDTH} {BUDGET} pypdfium2 {metadata.version('pypdfium2')} pillow {metadata.version('pillow')}\0"
    digest = hashlib.sha256(how.encode() + pdf).hexdigest()
    names = [f"{digest}-{number}.png" for number in range(1, count + 1)]
    used.update(names)
    cached = [cache.read(cache.pages / name) for name in names]
    if all(data is not None for data in cached):
        return [(data, False) for data in cached]
    drawn = page_pictures(pdf, range(count), WIDTH, BUDGET)
    for name, data in zip(names, drawn):
        cache.write(cache.pages / name, data)
    return [(data, True) for data in drawn]


# No template of its own (its source is the card's or the handout's HTML); never printed
# for a workshop; no names in it.
KIND = Kind(
    "image", "", LANGUAGE, label=N_("Share image"), folder="share", suffix=".png",
    artifacts=artifacts, source=source, files=files, for_participants=True, of=shown,
    personal=False, print_rule=None,
)
