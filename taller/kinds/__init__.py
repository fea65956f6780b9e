"""The kind registry: every kind of material, each declared once in its own module.

Adding a kind is one module here (a `KIND` and, if it needs its own data, a view), one
template in `templates/`, and its line below; content/README.md walks through the card.
The order is the order of `plan` and of a build's work.
"""

from __future__ import annotations

from . import (
    agenda,
    audio,
    book,
    card,
    certificate,
    contacts,
    evaluation,
    follow_up_card,
    glossary,
    guide,
    handout,
    image,
    incident_form,
    legal_review,
    legal_sheet,
    observer_form,
    print_plan,
    recording_script,
    session_plan,
    sign_in,
    witness_sheet,
)
from .base import LANGUAGE, MODULE, PLAIN, TRACK, Artifact, File, Kind, PrintRule, Variant, plan

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (handout, legal_sheet, guide, session_plan, observer_form, card, contacts, follow_up_card,
                   incident_form, witness_sheet, glossary, book, legal_review, agenda, sign_in, evaluation, certificate,
                   image, audio, recording_script, print_plan)
}

__all__ = ["KINDS", "LANGUAGE", "MODULE", "PLAIN", "TRACK", "Artifact", "File", "Kind", "PrintRule", "Variant", "plan"]
