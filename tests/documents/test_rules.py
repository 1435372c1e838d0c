"""What may be uploaded: PDF, JPEG and PNG that open, sniffed from the bytes, named as they are."""

from __future__ import annotations

import hashlib

import pytest

from barnskydd.core.errors import InvalidInput
from barnskydd.documents import rules
from tests.documents import samples


def _refused(filename: str, content: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        rules.check(filename, content)
    assert refused.value.field == "file"
    return refused.value.message


@pytest.mark.parametrize(
    ("filename", "content", "media_type"),
    [
        ("utredning.pdf", samples.pdf(), "application/pdf"),
        ("Teckning.PNG", samples.png(), "image/png"),
        ("foto.jpg", samples.jpeg(), "image/jpeg"),
        ("foto.jpeg", samples.jpeg(), "image/jpeg"),
    ],
)
def test_a_pdf_png_or_jpeg_that_opens_is_accepted_with_its_sniffed_type(
    filename: str, content: bytes, media_type: str
) -> None:
    checked = rules.check(filename, content)
    assert checked.media_type == media_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_an_html_file_named_pdf_is_refused_naming_what_it_is() -> None:
    message = _refused(
        "intyg.pdf", b"<!doctype html><html><body><script>x()</script></body></html>"
    )
    assert message.startswith("Bara PDF, JPEG och PNG kan laddas upp")
    assert ".html" in message


def test_a_png_named_pdf_is_refused_rather_than_stored_under_a_lying_name() -> None:
    message = _refused("scan.pdf", samples.png())
    assert (
        message
        == "Filen är en PNG-bild men namnet slutar på .pdf. Byt namn till .png eller välj rätt fil."
    )


def test_an_empty_file_is_refused() -> None:
    assert _refused("tom.pdf", b"") == "Filen är tom."


def test_text_with_no_signature_is_refused() -> None:
    assert _refused("anteckning.pdf", b"just some words").startswith("Bara PDF, JPEG och PNG")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_pdf_is_refused_as_broken(cut: float) -> None:
    content = samples.pdf()
    message = _refused("utredning.pdf", content[: int(len(content) * cut)])
    assert "går inte att öppna" in message


@pytest.mark.parametrize("content", [samples.png(), samples.jpeg()], ids=["png", "jpeg"])
def test_a_truncated_image_is_refused_as_broken(content: bytes) -> None:
    name = "bild.png" if content.startswith(b"\x89PNG") else "bild.jpg"
    assert "går inte att öppna" in _refused(name, content[: len(content) // 2])


def test_a_pdf_signature_in_front_of_anything_else_is_refused() -> None:
    assert "går inte att öppna" in _refused("falsk.pdf", b"%PDF-1.7\n<html>not a pdf</html>")


def test_a_file_over_20_mb_is_refused_before_it_is_parsed() -> None:
    content = samples.pdf() + b"\0" * rules.MAX_BYTES
    assert _refused("stor.pdf", content) == "Filen är för stor (högst 20 MB)."


def test_a_file_of_exactly_20_mb_is_not_refused_for_its_size() -> None:
    content = samples.pdf()
    content += b"\n%" + b"x" * (rules.MAX_BYTES - len(content) - 2)
    assert len(content) == rules.MAX_BYTES
    assert rules.check("stor.pdf", content).size == rules.MAX_BYTES


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\anna\\Skrivbord\\Läkarintyg.pdf", "Läkarintyg.pdf"),
        ('a"b;c\r\nd.pdf', "a_b_c__d.pdf"),
        (".hidden.png", "hidden.png"),
        ("", "dokument"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_the_filename_keeps_only_its_last_part_and_safe_characters(name: str, safe: str) -> None:
    assert rules.safe_filename(name) == safe


def test_the_ascii_fallback_name_has_no_quote_or_letter_outside_ascii() -> None:
    assert rules.ascii_filename("Läkarintyg för Åsa.pdf") == "Lakarintyg for Asa.pdf"
