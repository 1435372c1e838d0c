"""The letter's PDF: a name the font cannot show is written as "?", and nothing is logged."""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings

import pytest
from pypdf import PdfReader

from barnskydd.cases.feedback import Letter
from barnskydd.web.letter_pdf import render_pdf

NAME = "王小明 Zoë 🙂"  # letters DejaVu Sans lacks, and one it has


def _letter(addressee: str) -> Letter:
    return Letter(
        sender=("Socialnämnden",),
        addressee=(addressee, "Testskolan"),
        date=dt.date(2025, 6, 19),
        case_number="BU-2025-000123",
        heading="Återkoppling på er anmälan om oro för ett barn",
        paragraphs=("Socialnämnden beslutade att inte inleda en utredning.",),
        signature=("Anna Andersson",),
    )


def test_a_name_outside_the_font_is_neither_logged_nor_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        caplog.set_level(logging.DEBUG)
        pdf = render_pdf(_letter(NAME))
    logged = "\n".join(r.getMessage() for r in caplog.records) + "".join(
        str(w.message) for w in warned
    )
    for character in ("王", "小", "明", "🙂", "\\u738b", "\\U0001f642"):
        assert character not in logged
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoë" in text  # what the font has is kept
    assert "王" not in text
