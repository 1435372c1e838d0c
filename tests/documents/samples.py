"""Small real files made in code: a PDF (fpdf2), a PNG and a JPEG (Pillow)."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image


def pdf(text: str = "Syntetiskt dokument") -> bytes:
    """Return a one-page PDF."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def image(format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """Return an image in the format ("PNG" or "JPEG") with some content to decode."""
    picture = Image.new("RGB", size, "white")
    for x in range(size[0]):
        picture.putpixel((x, x % size[1]), (x * 3 % 256, 40, 200))
    out = io.BytesIO()
    picture.save(out, format=format)
    return out.getvalue()


def png() -> bytes:
    return image("PNG")


def jpeg() -> bytes:
    return image("JPEG", (640, 480))
