"""Lay out a feedback letter as an A4 PDF with fpdf2 (pure Python, no system libraries).

The text font is DejaVu Sans, which matplotlib (a dependency) ships as package data: it covers
åäö and the other letters of names from anywhere in Europe. Should it be missing, the PDF falls
back to the core Helvetica font, which has åäö but shows "?" for letters outside Latin-1.

A character the font has no glyph for (a name in Chinese script, an emoji) is written as "?"
here, before fpdf2 sees it: fpdf2 would otherwise log a warning naming the missing characters,
which puts letters of a reporter's or a child's name in the server's log.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from barnskydd.cases.feedback import Letter

FAMILY = "dejavu"
MARGIN = 25  # mm
LINE = 6  # mm


@cache
def _font_dir() -> Path | None:
    """Return matplotlib's folder of DejaVu fonts, found without importing matplotlib."""
    spec = find_spec("matplotlib")
    for root in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(root) / "mpl-data" / "fonts" / "ttf"
        if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
            return folder
    return None


class _LetterPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        folder = _font_dir()
        if folder is None:
            self.letter_family = "helvetica"
        else:
            self.add_font(FAMILY, "", str(folder / "DejaVuSans.ttf"))
            self.add_font(FAMILY, "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.letter_family = FAMILY
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def text_of(self, value: str) -> str:
        """Return text the font can show (core fonts stop at Latin-1)."""
        if self.letter_family == FAMILY:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def shown(self, value: str) -> str:
        """Return text the current font has glyphs for, "?" for each character it has not."""
        value = unicodedata.normalize("NFC", self.text_of(value))  # "e" + U+0301 as "é"
        font = self.current_font
        if not isinstance(font, TTFFont):
            return value
        return "".join(c if ord(c) in font.cmap or c in "\n\r" else "?" for c in value)

    def lines(self, lines: tuple[str, ...], *, style: str = "", size: int = 11) -> None:
        """Write lines flush left, one after another."""
        self.set_font(self.letter_family, style, size)
        for line in lines:
            self.multi_cell(0, LINE, self.shown(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(letter: Letter) -> bytes:
    """Return the letter as PDF bytes (Swedish metadata, text that can be extracted)."""
    pdf = _LetterPDF()
    pdf.set_lang("sv")
    pdf.set_title(pdf.text_of(letter.heading))
    pdf.set_author(pdf.text_of(letter.sender[0]))
    pdf.set_creator("Barnskydd")
    pdf.add_page()
    pdf.lines(letter.sender, style="B")
    pdf.ln(LINE)
    pdf.lines(letter.addressee)
    pdf.ln(LINE)
    pdf.lines((f"Datum: {letter.date.isoformat()}", f"Ärendenummer: {letter.case_number}"))
    pdf.ln(LINE)
    pdf.lines((letter.heading,), style="B", size=13)
    pdf.ln(LINE / 2)
    for paragraph in letter.paragraphs:
        pdf.lines((paragraph,))
        pdf.ln(LINE / 2)
    pdf.ln(LINE)
    pdf.lines(letter.signature)
    return bytes(pdf.output())
