"""What to say after "unknown id": the known ids closest to the one written, and that ids
have no accents (people write `seudónimo` for the id `seudonimo`)."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from ..messages import _

# How alike two ids must be to be suggested (difflib's ratio): `pruebaa` → `prueba` is
# 0.92, `plaka` → `placa` 0.8; below this the "suggestion" is any id at all.
CUTOFF = 0.6


def without_accents(word: str) -> str:
    """`seudónimo` → `seudonimo`, `niñez` → `ninez`."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def closest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known ids most like `word` (accents aside), best first."""
    plain = without_accents(word)
    known = sorted(set(known))
    if plain != word and plain in known:
        return [plain]
    matches = difflib.get_close_matches(plain, known, n=n, cutoff=CUTOFF)
    # `pruebaa` is `prueba` (0.92), not also `redada` (0.62): only those nearly as close as the best.
    ratio = lambda other: difflib.SequenceMatcher(None, plain, other).ratio()
    return [m for m in matches if ratio(m) >= ratio(matches[0]) - 0.1]


def hint(word: str, known: Iterable[str]) -> str:
    """What to add after a message about the unknown id `word`, starting with ": "; ""
    when there is nothing useful to say."""
    parts = []
    if without_accents(word) != word:
        parts.append(_("ids have no accents or ñ"))
    matches = closest(word, known)
    if len(matches) == 1:
        parts.append(_("did you mean '{id}'?").format(id=matches[0]))
    elif matches:
        parts.append(_("did you mean one of {ids}?").format(ids=", ".join(f"'{m}'" for m in matches)))
    return ": " + "; ".join(parts) if parts else ""


def accents(word: str) -> str:
    """What to add after "is not a valid id" when `word` has accents: ": ids have no
    accents or ñ; write 'seudonimo'"; "" otherwise."""
    plain = without_accents(word)
    if plain == word:
        return ""
    return ": " + _("ids have no accents or ñ; write '{id}'").format(id=plain)
