"""Paper: the sheet sizes a build prints on, and where cards sit on a cut sheet.

Plain geometry (no PDF library), so templates can draw crop marks from the same numbers the
imposition uses, and the print plan can count cards a sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

# `--paper` → the CSS page size of a sheet, and of half a sheet (booklet pages: two fit
# side by side on one sheet, A5 on A4).
PAPER = {"a4": "A4", "letter": "letter"}
HALF = {"a4": "A5", "letter": "5.5in 8.5in"}

MM = 72 / 25.4
SHEETS_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}
CARD_MM = (90.0, 62.0)
CARD_COLS, CARD_ROWS = 2, 4  # 8 cards a sheet, margins of 12 mm or more on A4 and Letter
CARDS_PER_SHEET = CARD_COLS * CARD_ROWS


@dataclass(frozen=True)
class CardGrid:
    """Where the cards sit on a sheet, in millimetres from the top-left corner."""

    sheet: tuple[float, float]
    origin: tuple[float, float]

    @property
    def cells(self) -> list[tuple[float, float]]:
        x0, y0 = self.origin
        return [(x0 + c * CARD_MM[0], y0 + r * CARD_MM[1]) for r in range(CARD_ROWS) for c in range(CARD_COLS)]

    def crop_marks(self, length: float = 5.0, gap: float = 2.0) -> list[dict[str, float]]:
        """Short cut lines in the margins, in line with every card edge (never over a card)."""
        x0, y0 = self.origin
        x1, y1 = x0 + CARD_COLS * CARD_MM[0], y0 + CARD_ROWS * CARD_MM[1]
        marks = []
        for c in range(CARD_COLS + 1):
            x = x0 + c * CARD_MM[0]
            marks += [{"x": x, "y": y0 - gap - length, "w": 0, "h": length}, {"x": x, "y": y1 + gap, "w": 0, "h": length}]
        for r in range(CARD_ROWS + 1):
            y = y0 + r * CARD_MM[1]
            marks += [{"x": x0 - gap - length, "y": y, "w": length, "h": 0}, {"x": x1 + gap, "y": y, "w": length, "h": 0}]
        return marks


def card_grid(sheet: str) -> CardGrid:
    """The grid centred on the sheet, so duplex backs land exactly behind their fronts."""
    width, height = SHEETS_MM[sheet]
    return CardGrid((width, height), ((width - CARD_COLS * CARD_MM[0]) / 2, (height - CARD_ROWS * CARD_MM[1]) / 2))
