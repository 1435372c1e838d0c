"""What may be uploaded, decided from the bytes alone: PDF, JPEG or PNG that really opens.

The type is sniffed from the content (puremagic, by signature), never taken from the name or
the client's content type; the file must then open as that type (pypdf for a PDF, Pillow
decoding the whole image), so a truncated or forged file is refused. The name's extension
must agree with the sniffed type: a PNG named scan.pdf is refused rather than stored under a
name that lies about it. Pure functions, tested without a database.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import puremagic
import pypdf
from PIL import Image

from barnskydd.core.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024  # 20 MB, as the desk's form and docs/web.md say
MAX_PIXELS = 80_000_000  # twice a large phone photo; decoding more takes too much memory
MAX_FILENAME = 120
FIELD = "file"
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
TYPE_NAMES = {PDF: "en PDF-fil", JPEG: "en JPEG-bild", PNG: "en PNG-bild"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}

MSG_EMPTY = "Filen är tom."
MSG_MISSING = "Välj en fil att ladda upp."
MSG_TOO_LARGE = "Filen är för stor (högst 20 MB)."
MSG_NOT_ACCEPTED = "Bara PDF, JPEG och PNG kan laddas upp; filen är inget av dem"
MSG_NAME = "Filnamnet slutar inte på .pdf, .jpg, .jpeg eller .png."
MSG_BROKEN = (
    "Filen ser ut att vara {kind} men går inte att öppna: den är skadad eller ofullständig."
)
MSG_ENCRYPTED = "PDF-filen är lösenordsskyddad. Ladda upp den utan lösenord."
MSG_NO_PAGES = "PDF-filen har inga sidor."
MSG_PIXELS = "Bilden är för stor (högst 80 miljoner bildpunkter)."

_UNSAFE = re.compile(r"[^\w .()+,-]")  # \w: letters (å, ä, ö too), digits and _
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not ours to log


@dataclass(frozen=True, slots=True)
class Checked:
    """An accepted file: its sniffed media type, sanitised name, size and digest."""

    media_type: str
    filename: str
    size: int
    sha256: str


def check(filename: str, content: bytes) -> Checked:
    """Accept a PDF, JPEG or PNG of at most MAX_BYTES that opens; raise InvalidInput otherwise."""
    if not content:
        raise InvalidInput(MSG_EMPTY, field=FIELD)
    if len(content) > MAX_BYTES:
        raise InvalidInput(MSG_TOO_LARGE, field=FIELD)
    media_type = sniff(content)
    name = safe_filename(filename)
    if not name.lower().endswith(EXTENSIONS[media_type]):
        suffix = PurePosixPath(name).suffix.lower()
        said = f"på {suffix}" if suffix else "utan filändelse"
        raise InvalidInput(
            f"Filen är {TYPE_NAMES[media_type]} men namnet slutar {said}. "
            f"Byt namn till {EXTENSIONS[media_type][0]} eller välj rätt fil.",
            field=FIELD,
        )
    opens(media_type, content)
    return Checked(media_type, name, len(content), hashlib.sha256(content).hexdigest())


def sniff(content: bytes) -> str:
    """Return the media type the content's signature says, if it is one we accept."""
    try:
        matches = puremagic.magic_string(content)
    except (puremagic.PureError, ValueError):
        matches = []
    best = [m for m in matches if m.confidence == matches[0].confidence] if matches else []
    accepted: set[str] = {str(m.mime_type) for m in best} & EXTENSIONS.keys()
    if len(accepted) != 1:
        found = next((m.extension for m in best if m.extension), "")
        tail = f" (den är av typen {found})." if found else "."
        raise InvalidInput(MSG_NOT_ACCEPTED + tail, field=FIELD)
    return accepted.pop()


def opens(media_type: str, content: bytes) -> None:
    """Refuse content that does not open as its type: truncated, damaged, locked or empty."""
    broken = InvalidInput(MSG_BROKEN.format(kind=TYPE_NAMES[media_type]), field=FIELD)
    # A parser of untrusted bytes may fail in any way; each failure means the file is broken.
    if media_type == PDF:
        try:
            reader = pypdf.PdfReader(io.BytesIO(content))
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
        except Exception:
            raise broken from None
        if encrypted:
            raise InvalidInput(MSG_ENCRYPTED, field=FIELD)
        if pages == 0:
            raise InvalidInput(MSG_NO_PAGES, field=FIELD)
        return
    try:
        with Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[media_type]]) as image:
            pixels = image.width * image.height
            if pixels <= MAX_PIXELS:
                image.load()  # decodes every byte: a truncated image raises here
    except Image.DecompressionBombError:
        pixels = MAX_PIXELS + 1
    except Exception:
        raise broken from None
    if pixels > MAX_PIXELS:
        raise InvalidInput(MSG_PIXELS, field=FIELD)


def safe_filename(filename: str) -> str:
    """Return the name's last part, NFC, with only letters, digits and a few marks kept."""
    base = PureWindowsPath(PurePosixPath(filename).name).name
    base = unicodedata.normalize("NFC", base).strip().lstrip(".")
    base = _UNSAFE.sub("_", base)
    if len(base) > MAX_FILENAME:
        stem, dot, suffix = base.rpartition(".")
        keep = MAX_FILENAME - len(suffix) - 1 if dot and len(suffix) <= 5 else MAX_FILENAME
        base = stem[:keep] + "." + suffix if dot and len(suffix) <= 5 else base[:keep]
    return base or "dokument"


def ascii_filename(filename: str) -> str:
    """Return an ASCII fallback of a safe name for Content-Disposition (å -> a)."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 ._()+,-]", "_", plain) or "dokument"
