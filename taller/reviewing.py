"""`reviewed`: record that the group's lawyer checked legal facts as they are written now.

The record is `legal/reviews.yaml` in the content folder: the program writes it whole
(never the text files), one entry per fact with who reviewed it, when, and the fingerprint
of the fact's source-language text and source as reviewed (content/reviews.py). `--by` is
whatever the group chooses to write: a role or initials are enough, a name is never needed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from .checking import check
from .content.guard import present
from .content.model import Curriculum, Review
from .content.reviews import REVIEWS, ReviewState, fact_fingerprint, review_state
from .diagnostics import Diagnostics, Location
from .messages import _
from .options import Options
from .write import atomic_write

HEADER = ("# Who reviewed which legal fact, when, and the text they reviewed (its fingerprint).\n"
          "# Written by `python build.py reviewed FACT_ID --by WHO --on YYYY-MM-DD`: do not edit by hand.\n")


def main(facts: list[str], by: str, on: dt.date, options: Options) -> int:
    """Record the review of `facts`; returns the exit code."""
    diags = Diagnostics()
    cur = check(options, diags)
    record = f"{options.content_display.rstrip('/')}/{REVIEWS}"
    if cur is not None and not diags.errors:
        known = {f.id: f for f in cur.legal_facts}
        for fact_id in facts:
            if fact_id not in known:
                diags.error(Location(f"{options.content_display.rstrip('/')}/legal/legal.yaml"),
                            _("no legal fact '{fact}' (known: {known})").format(fact=fact_id, known=", ".join(sorted(known))))
        path = options.content / REVIEWS
        if path.is_symlink() or (path.exists() and not present(path)):
            diags.error(Location(record), _("the review record is not a plain file in the content folder; not written"))
    for diagnostic in diags.sorted():
        print(diagnostic, file=sys.stderr)
    if cur is None or diags.errors:
        print("reviewed: " + _("nothing recorded (fix the errors first)"), file=sys.stderr)
        return 1
    reviews = dict(cur.reviews)
    for fact_id in dict.fromkeys(facts):
        fact = next(f for f in cur.legal_facts if f.id == fact_id)
        reviews[fact_id] = Review(fact_id, by, on, fact_fingerprint(cur, fact), cur.loc)
        print("reviewed: " + _("{fact} (by {by}, on {day})").format(fact=fact_id, by=by, day=on.isoformat()))
    atomic_write(options.content / REVIEWS, render(reviews).encode("utf-8"))
    return 0


def render(reviews: dict[str, Review]) -> str:
    """The record's text: sorted by fact, every value quoted as JSON (valid YAML), so
    whatever `--by` says cannot change the file's structure."""
    lines = [HEADER, "reviews:\n"]
    for fact_id in sorted(reviews):
        r = reviews[fact_id]
        lines.append(f"  - fact: {json.dumps(fact_id)}\n    by: {json.dumps(r.by, ensure_ascii=False)}\n"
                     f"    on: {r.on.isoformat()}\n    fingerprint: {json.dumps(r.fingerprint)}\n")
    return "".join(lines)


def review_table(cur: Curriculum) -> str:
    """`status`: the legal facts by review state."""
    by_state: dict[ReviewState, list[str]] = {s: [] for s in ReviewState}
    for fact in cur.legal_facts:
        state, review = review_state(cur, fact)
        when = f" ({review.by}, {review.on.isoformat()})" if review else ""
        by_state[state].append(f"{fact.id}{when}")
    titles = {ReviewState.REVIEWED: "reviewed", ReviewState.CHANGED: "changed since review",
              ReviewState.EXPIRED: f"review older than {cur.review_every_months} months",
              ReviewState.PENDING: "not yet reviewed"}
    out = [f"legal facts: {len(by_state[ReviewState.REVIEWED])} of {len(cur.legal_facts)} reviewed\n"]
    for state in (ReviewState.CHANGED, ReviewState.EXPIRED, ReviewState.PENDING, ReviewState.REVIEWED):
        if by_state[state]:
            out.append(f"  {titles[state]} ({len(by_state[state])}):\n")
            out.extend(f"    {line}\n" for line in by_state[state])
    return "".join(out)
