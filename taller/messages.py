"""Interface strings made in Python rather than in templates.

`N_` marks a string for extraction into the catalogs (babel.cfg reads taller/**.py); it is
translated where it is shown, in the output's language. Light on purpose: the kind
registry marks its labels with it, and the command line imports the registry.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark `message` for the catalog; returns it unchanged (translated later)."""
    return message
