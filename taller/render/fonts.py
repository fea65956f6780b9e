"""The bundled fonts: the only fonts any output may embed (never the machine's)."""

from __future__ import annotations

from pathlib import Path

FONT_SCHEME = "font:"  # `url(font:AtkinsonHyperlegible-Regular.ttf)` in the CSS
SUBSET_FALLBACK = ("fonts are subset with fontTools, several times slower than HarfBuzz: install the "
                   "system package libharfbuzz-subset0 (`make` does it when run as root with apt-get)")


def font_dir() -> Path:
    """The bundled font family's folder (a pinned Python package, not the machine's fonts)."""
    import fontpkg_atkinson_hyperlegible as fonts

    return Path(fonts.__file__).resolve().parent / "files"


def bundled_families() -> set[str]:
    """Family names of the bundled fonts (from their name tables), to compare with a PDF's."""
    from fontTools.ttLib import TTFont

    return {TTFont(p)["name"].getDebugName(1) for p in font_dir().glob("*.ttf")}
