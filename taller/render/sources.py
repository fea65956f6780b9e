"""What a render job is given: one page of HTML, or documents joined after layout."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One HTML document, rendered as one PDF."""

    html: str

    def key_text(self) -> str:
        """The text the render cache keys on."""
        return self.html

    def kept(self) -> dict[str, str]:
        """What --keep-html keeps, by the suffix after the output's stem."""
        return {"": self.html}


@dataclass(frozen=True)
class Joined:
    """Documents laid out one by one and joined page by page after layout: a front, parts
    and a back, each part starting on a right-hand page (the manual: its guides between the
    front and the appendices). A part whose HTML is another output's page in the same build
    is laid out once for both (render/jobs.py)."""

    front: str
    parts: tuple[str, ...]
    back: str
    whole: str | None = None  # the same as one document, for --keep-html only

    def key_text(self) -> str:
        return "\0".join(("joined", self.front, *self.parts, self.back))

    def kept(self) -> dict[str, str]:
        kept = {"": self.whole} if self.whole is not None else {}
        return {**kept, ".front": self.front, ".back": self.back}
