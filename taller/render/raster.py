"""Pictures of PDF pages: PNGs of a fixed width, grey, the text sharp, small enough to pass
on by phone; the same PDF always gives the same bytes.

PDFium (pypdfium2) draws each page straight at the width asked for, in grey: nothing is
scaled after drawing, so glyph edges are PDFium's own anti-aliasing, not a resampler's blur.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

# Grey levels tried in turn until a picture fits its budget: all 256 first (a handout page
# of the real curriculum is about 75 KB at 1080 px), then fewer, which deflate packs
# tighter, for a page that is mostly pictures or shading.
LEVELS = (256, 16, 4)


def page_pictures(pdf: bytes, pages: Sequence[int], width: int, budget: int) -> list[bytes]:
    """PNGs (mode L) of the 0-based `pages` of `pdf`, `width` px wide, each at most
    `budget` bytes where fewer grey levels can make it so."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_fitted(_drawn(document[number], width), budget) for number in pages]
    finally:
        document.close()


def _drawn(page, width: int):
    """One page in grey, exactly `width` px wide."""
    # PDFium's bitmap is ceil(page width × scale) wide: a hair under the exact scale keeps a
    # rounding error in the last bit from making it one pixel wider.
    scale = width / page.get_width() * (1 - 1e-9)
    return page.render(scale=scale, grayscale=True).to_pil().convert("L")


def _fitted(image, budget: int) -> bytes:
    """The PNG with the most grey levels that fits `budget` (the fewest if none does)."""
    for levels in LEVELS:
        data = _png(image if levels == 256 else _posterised(image, levels))
        if len(data) <= budget:
            break
    return data


def _posterised(image, levels: int):
    """`image` with only `levels` evenly spaced greys (black and white kept exact)."""
    step = 255 / (levels - 1)
    return image.point([round(round(value / step) * step) for value in range(256)])


def _png(image) -> bytes:
    """PNG bytes without a time or any other metadata: the same pixels, the same bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
