"""Legal reviews: has the group's lawyer checked this legal fact, as it is written now?

A review (`build.py reviewed`, recorded in `legal/reviews.yaml`, which the program owns)
holds the fingerprint of the fact's source-language text and source as they were
reviewed, the same fingerprints that track translations. When either changes, the review
no longer covers what is printed: the fact is pending again, with a warning naming the
line. A review older than the curriculum's `review_every_months` is due again too: laws
change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import Enum

from ..paths import REVIEWS
from .model import Curriculum, LegalFact, Review

__all__ = ["REVIEWS", "ReviewState", "fact_fingerprint", "review_state"]


class ReviewState(Enum):
    """Where a legal fact stands with its review."""

    REVIEWED = "reviewed"  # reviewed as it is written now, not too long ago
    PENDING = "pending"    # never reviewed
    CHANGED = "changed"    # its text or source changed since it was reviewed
    EXPIRED = "expired"    # reviewed longer ago than review_every_months


def fact_fingerprint(cur: Curriculum, fact: LegalFact) -> str:
    """The fingerprint of the fact's text and source in the source language."""
    blocks = cur.texts["legal"][cur.source_language].blocks
    parts = [blocks[f"{fact.id}.{k}"].fingerprint() if f"{fact.id}.{k}" in blocks else "" for k in ("text", "source")]
    return hashlib.sha256(" ".join(parts).encode("ascii")).hexdigest()[:12]


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (a month is complete on the same day number)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def review_state(cur: Curriculum, fact: LegalFact, today: dt.date | None = None) -> tuple[ReviewState, Review | None]:
    """The fact's state and its last review (None when it has none)."""
    review = cur.reviews.get(fact.id)
    if review is None:
        return ReviewState.PENDING, None
    if review.fingerprint != fact_fingerprint(cur, fact):
        return ReviewState.CHANGED, review
    if months_between(review.on, today or dt.date.today()) >= cur.review_every_months:
        return ReviewState.EXPIRED, review
    return ReviewState.REVIEWED, review
