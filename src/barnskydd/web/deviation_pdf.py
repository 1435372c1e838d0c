"""The IVO report (lex Sarah, 27 kap. 6 § SoL) and the 34 kap. quarterly list as A4 PDFs.

Laid out with the letters' fpdf2 setup (web/letter_pdf.py: DejaVu Sans, glyphs the font
lacks written as "?"). The IVO report holds the headings of IVO's form "Anmälan enligt lex
Sarah" as far as they were confirmed (docs/deviations.md lists them, with what is not) and
the investigation as its attachment. Nothing here sends anything: the nämnd sends the PDF by
IVO's e-service or by post and records that it did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from barnskydd.deviations.quarterly import Row
from barnskydd.web.letter_pdf import LINE, _LetterPDF


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its lines."""

    heading: str
    lines: tuple[str, ...]


def _document(title: str, sender: str, sections: list[Section]) -> bytes:
    pdf = _LetterPDF()
    pdf.set_lang("sv")
    pdf.set_title(pdf.text_of(title))
    pdf.set_author(pdf.text_of(sender))
    pdf.set_creator("Barnskydd")
    pdf.add_page()
    pdf.lines((sender,), style="B")
    pdf.ln(LINE / 2)
    pdf.lines((title,), style="B", size=14)
    pdf.ln(LINE / 2)
    for section in sections:
        pdf.lines((section.heading,), style="B")
        pdf.lines(section.lines or ("–",))
        pdf.ln(LINE / 2)
    return bytes(pdf.output())


def ivo_report_pdf(
    *,
    sender: str,
    fields: list[tuple[str, str]],
    investigation: list[tuple[str, str]],
) -> bytes:
    """Return the IVO report: the form's fields, then the investigation as its attachment."""
    sections = [Section(label, (value,)) for label, value in fields]
    sections.append(Section("Bilaga: utredningen (27 kap. 5 § SoL)", ()))
    sections += [Section(label, (value,)) for label, value in investigation]
    return _document("Anmälan enligt lex Sarah till IVO", sender, sections)


def quarterly_pdf(*, sender: str, quarter: str, rows: list[Row], made_on: dt.date) -> bytes:
    """Return the 34 kap. list: decisions not carried out within three months, with reasons."""
    pdf = _LetterPDF()
    pdf.set_lang("sv")
    title = f"Ej verkställda beslut {quarter} (34 kap. 1–3 §§ SoL)"
    pdf.set_title(pdf.text_of(title))
    pdf.set_creator("Barnskydd")
    pdf.add_page()
    pdf.lines((sender,), style="B")
    pdf.lines((title,), style="B", size=13)
    pdf.lines((f"Sammanställd {made_on.isoformat()}. Till IVO och kommunens revisorer.",))
    pdf.ln(LINE / 2)
    if not rows:
        pdf.lines(("Inga beslut att rapportera detta kvartal.",))
    for row in rows:
        executed = row.executed_on.isoformat() if row.executed_on else "ej verkställt"
        pdf.lines((f"Beslut {row.decided_on.isoformat()}: {row.category} ({row.unit})",), style="B")
        pdf.lines(
            (
                f"Tre månader gick ut {row.overdue_from.isoformat()}; verkställt: {executed}.",
                f"Skäl till dröjsmålet: {row.reason or ''}",
            )
        )
        pdf.ln(LINE / 3)
    pdf.set_font(pdf.letter_family, "", 9)
    pdf.multi_cell(
        0,
        LINE,
        pdf.shown(f"{len(rows)} beslut."),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
