"""Small synthetic files for the generator's cases: an investigation as PDF, a drawing as PNG.

Made in code (fpdf2 and Pillow), marked as test data, and stored through the documents
service like any upload, so they pass the same checks.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from fpdf import FPDF
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.documents import service as documents
from barnskydd.documents.codes import DocumentKind
from barnskydd.documents.schemas import DocumentCreate


def investigation_pdf(case_number: str, completed_on: dt.date) -> bytes:
    """Return a one-page PDF: a synthetic investigation's summary."""
    pdf = FPDF(format="A4")
    pdf.set_creator("Barnskydd (syntetiska testdata)")
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.cell(text=f"Utredning {case_number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in (
        f"Avslutad {completed_on.isoformat()}.",
        "Syntetiska testdata: inget i dokumentet handlar om ett verkligt barn.",
        "Barnets behov, föräldrarnas förmåga och familj och miljö har utretts enligt BBIC.",
    ):
        pdf.multi_cell(w=0, text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def drawing_png(rng: random.Random) -> bytes:
    """Return a small PNG: a synthetic child's drawing (a house, a sun, a few figures)."""
    image = Image.new("RGB", (320, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 120, 160, 220), outline="brown", width=4)
    draw.polygon([(30, 120), (100, 60), (170, 120)], outline="red", width=4)
    draw.ellipse((240, 20, 300, 80), outline="orange", width=4)
    for x in rng.sample(range(190, 300, 20), 3):
        draw.ellipse((x, 150, x + 16, 166), outline="blue", width=3)
        draw.line((x + 8, 166, x + 8, 205), fill="blue", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    title: str,
    kind: DocumentKind,
    filename: str,
    content: bytes,
    at: dt.datetime,
) -> None:
    """Store one synthetic file in the case through the documents service."""
    data = DocumentCreate(title=title, kind=kind)
    documents.create(
        session, actor=actor, case=case, data=data, filename=filename, content=content, now=at
    )
