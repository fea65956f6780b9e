"""Editions as printed: which organisation details a build shows (see content/orgs.py)."""

from __future__ import annotations

from dataclasses import replace

from ..content.model import Organisation
from ..content.orgs import FULL, NO_CONTACTS
from .base import ContactView, OrgView


def effective(requested: str, org: Organisation | None) -> str:
    """The edition a build prints: `no-contacts` when the command line or the profile asks."""
    if requested == NO_CONTACTS or (org is not None and org.edition == NO_CONTACTS):
        return NO_CONTACTS
    return FULL


def apply(view: OrgView, edition: str) -> OrgView:
    """`view` as the edition prints it: no-contacts keeps only the contact labels, blank."""
    if edition != NO_CONTACTS:
        return replace(view, edition=FULL)
    return OrgView(name="", city="", contacts=[ContactView(c.label, "") for c in view.contacts],
                   short_name="", logo="", edition=NO_CONTACTS)
