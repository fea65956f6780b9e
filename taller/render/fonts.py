"""The bundled fonts: the only fonts any output may embed (never the machine's).

Atkinson Hyperlegible is loaded by the print CSS (`url(font:…)`, served by the resource
policy). Noto Sans, for the few letters Atkinson lacks, reaches the renderer through a
private fontconfig configuration that names its folder and nothing else: WeasyPrint
(Pango) would otherwise fall back to any font installed on the machine, and the same
content would give other bytes on another computer.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..content.glyphs import fallback_font_dir, font_files, primary_font_dir

FONT_SCHEME = "font:"  # `url(font:AtkinsonHyperlegible-Regular.ttf)` in the CSS
SUBSET_FALLBACK = ("fonts are subset with fontTools, several times slower than HarfBuzz: install the "
                   "system package libharfbuzz-subset0 (`make` does it when run as root with apt-get)")


def font_dir() -> Path:
    """Atkinson Hyperlegible's folder: the fonts `font:` URLs name."""
    return primary_font_dir()


def bundled_font_files() -> list[Path]:
    """Every font file any output may embed (both families): what the render cache key and
    the no-op stamp must hash."""
    return font_files()


def bundled_families() -> set[str]:
    """Family names of the bundled fonts (from their name tables), to compare with a PDF's."""
    from fontTools.ttLib import TTFont

    families = set()
    for path in bundled_font_files():
        with TTFont(path, lazy=True) as font:
            families.add(font["name"].getDebugName(1))
    return families


# fontconfig reads the file FONTCONFIG_FILE names each time a configuration is loaded
# (WeasyPrint loads one on import and one per FontConfiguration): this one lists only
# the fallback's folder. No <include>: none of the machine's folders, user fonts or rules.
_CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{folder}</dir>
</fontconfig>
"""
_written: Path | None = None
FONT_TIMESTAMP = "0"  # seconds since 1970: what every static font made from a variable one says it was made


def use_bundled_fonts_only() -> Path:
    """Make every fontconfig configuration this process (and the workers it forks) loads
    see the bundled fallback folder and nothing else, and the fonts made from it carry no
    time of the build; returns the configuration file. Call it before WeasyPrint is imported."""
    global _written
    if _written is None or not _written.is_file():
        _written = _config_file(_CONFIG.format(folder=_xml_text(str(fallback_font_dir()))))
    os.environ["FONTCONFIG_FILE"] = str(_written)
    # Noto Sans is variable: the renderer makes each weight it uses a static font with
    # fontTools, which stamps the font's `head.modified` with the time of the build unless
    # this is set. A fixed stamp keeps the bytes the same (only fontTools reads it here).
    os.environ["SOURCE_DATE_EPOCH"] = FONT_TIMESTAMP
    return _written


def _config_file(text: str) -> Path:
    """The configuration, written once per user and installation into the temporary folder
    and reused by every later build (named by its own hash; a killed build leaves nothing
    behind). A file of that name that is not ours, or says something else, is never used:
    then this process writes its own, removed when it exits."""
    import hashlib
    import stat
    import tempfile

    data = text.encode("utf-8")
    uid = getattr(os, "getuid", lambda: 0)()
    shared = Path(tempfile.gettempdir()) / f"taller-fonts-{uid}-{hashlib.sha256(data).hexdigest()[:16]}.conf"
    try:
        info = os.lstat(shared)
        if stat.S_ISREG(info.st_mode) and info.st_uid == uid and shared.read_bytes() == data:
            return shared
    except OSError:
        pass  # not there yet (or unreadable): written below
    handle, name = tempfile.mkstemp(prefix="taller-fonts-", suffix=".conf")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    try:
        os.replace(name, shared)  # atomic: a build running at the same time reads all of it or none
        return shared
    except OSError:  # another user's file has that name (sticky /tmp): keep our own
        import atexit

        atexit.register(_remove, Path(name), os.getpid())
        return Path(name)


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _remove(path: Path, owner: int) -> None:
    """At exit, this process's own configuration goes; a forked worker inherits this
    handler but must leave the parent's file alone."""
    if os.getpid() == owner:
        path.unlink(missing_ok=True)
