"""Sorting words the way each language's readers expect (no ICU needed).

Spanish: accents are ignored at the first level ("árbol" sorts with "arbol"), but ñ is a
letter of its own, after n. Ties are broken by the accented form, so the order is total.
"""

from __future__ import annotations

import unicodedata

# A private marker that sorts after every letter, so "ñ" lands after all of "n".
_AFTER_N = "n\U000f0000"


def sort_key(text: str, lang: str) -> tuple[str, str]:
    """A key for `sorted()` that follows `lang`'s alphabet."""
    folded = text.casefold()
    if lang == "es":
        folded = folded.replace("ñ", "\0")  # keep ñ out of the accent stripping below
    base = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    if lang == "es":
        base = base.replace("\0", _AFTER_N)
    return base, folded
