"""Sorting words the way each language's readers expect (no ICU needed).

Spanish: accents are ignored at the first level ("árbol" sorts with "arbol"), but ñ is a
letter of its own, after n. Ties are broken by the accented form, so the order is total.
English ignores accents. A language with no rules of its own here (Quechua, Aymara: their
alphabets have ñ after n too) sorts by the source language's rules.
"""

from __future__ import annotations

import unicodedata

# A private marker that sorts after every letter, so "ñ" lands after all of "n".
_AFTER_N = "n\U000f0000"


# The languages whose rules are written here; "es" is the only one with a letter of its own.
RULES = ("es", "en")


def sort_key(text: str, lang: str, source: str | None = None) -> tuple[str, str]:
    """A key for `sorted()` that follows `lang`'s alphabet (the `source` language's when
    there are no rules for `lang`)."""
    if lang not in RULES and source:
        lang = source
    folded = text.casefold()
    if lang == "es":
        folded = folded.replace("ñ", "\0")  # keep ñ out of the accent stripping below
    base = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    if lang == "es":
        base = base.replace("\0", _AFTER_N)
    return base, folded
