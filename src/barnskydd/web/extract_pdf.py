"""Lay out a reviewed register extract as an A4 PDF (fpdf2, the feedback letter's fonts).

Only released items are written; withheld ones are named by kind and count under the
paragraph they are withheld under, never with their text. The audit trail's entries are
summed per year and action, so that ten years of reads do not fill a hundred pages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from barnskydd.extract.codes import DEADLINE_REFERENCE, GROUNDS, REQUESTER_LABELS
from barnskydd.extract.rules import Item
from barnskydd.extract.schemas import withheld_kinds
from barnskydd.extract.service import Extract
from barnskydd.people.rules import formatted
from barnskydd.web.letter_pdf import LINE, _LetterPDF

ART_15 = (
    "Utdraget visar de personuppgifter om dig som socialnämnden behandlar i sitt system för "
    "barn- och ungdomsvård (artikel 15 dataskyddsförordningen).",
    "Ändamål: handläggning av anmälningar, utredningar och insatser enligt socialtjänstlagen "
    "och lagen med särskilda bestämmelser om vård av unga, och uppföljning av dem.",
    "Källor: anmälare, du själv och din familj, andra myndigheter och nämndens egen "
    "personal. Mottagare: andra kommuners socialtjänst genom det nationella uppslaget "
    "(redovisas nedan när det har skett).",
    "Lagringstid: handlingarna gallras enligt 16 kap. socialtjänstlagen (2025:400); en del "
    "handlingar bevaras.",
)
AUDIT_KIND = "audit_entry"


def _day(item: Item) -> str:
    on = item.on
    if isinstance(on, dt.datetime):
        return on.date().isoformat()
    return on.isoformat() if on is not None else ""


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_pdf(extract: Extract, *, municipality: str, today: dt.date) -> bytes:
    """Return the extract as PDF bytes: released items, then what was withheld and why."""
    pdf = _LetterPDF()
    pdf.set_lang("sv")
    pdf.set_title("Registerutdrag")
    pdf.set_creator("Barnskydd")
    pdf.add_page()
    pdf.lines((f"Socialnämnden, {municipality}",), style="B")
    pdf.ln(LINE)
    request = extract.request
    head = [f"Datum: {today.isoformat()}", f"Personnummer: {formatted(extract.number)}"]
    if extract.name:
        head.append(f"Namn: {extract.name}")
    if request is not None:
        head += [
            f"Begäran nr {request.id}, inkom {request.received_on.isoformat()} "
            f"({REQUESTER_LABELS[request.requester].lower()})",
            f"Besvaras senast {request.deadline.isoformat()} ({DEADLINE_REFERENCE})",
        ]
        if request.extension_told_on is not None:
            head.append(
                f"Tidsfristen förlängdes med två månader; du underrättades "
                f"{request.extension_told_on.isoformat()} om skälen: {request.extension_reason}"
            )
    pdf.lines(tuple(head))
    pdf.ln(LINE)
    pdf.lines(("Registerutdrag",), style="B", size=13)
    for paragraph in ART_15:
        pdf.lines((paragraph,))
        pdf.ln(LINE / 2)
    released = extract.released
    if not any(i.kind != AUDIT_KIND for i in released):
        pdf.lines(("Nämnden har inga uppgifter om dig utöver dem som visas nedan.",))
    for item in released:
        if item.kind == AUDIT_KIND:
            continue
        pdf.ln(LINE / 2)
        where = f" ({item.case_number})" if item.case_number else ""
        pdf.lines((f"{_day(item)}  {item.label}{where}",), style="B")
        shown = [f"{name}: {_value(v)}" for name, v in item.fields.items() if v not in (None, "")]
        if shown:
            pdf.lines(tuple(shown), size=10)
        if item.text:
            pdf.lines((item.text,), size=10)
    audit = Counter(
        (_day(i)[:4], str(i.fields.get("åtgärd"))) for i in released if i.kind == AUDIT_KIND
    )
    if audit:
        pdf.ln(LINE)
        pdf.lines(("Loggade åtgärder (läsningar och ändringar), per år",), style="B")
        pdf.lines(
            tuple(f"{year}: {action}, {n} gånger" for (year, action), n in sorted(audit.items())),
            size=10,
        )
    if extract.copies:
        pdf.ln(LINE)
        pdf.lines(("Bifogade kopior av dokument",), style="B")
        pdf.lines(
            ("Kopior av dokumenten nedan är bifogade som filer i detta utdrag (PDF-bilagor).",),
            size=10,
        )
        for copy in extract.copies:
            name = f"{copy.document_id}-{copy.filename}"
            pdf.embed_file(
                bytes=copy.content,
                basename=name,
                desc=copy.title,
                mime_type=copy.media_type,
                modification_date=copy.uploaded_at,
            )
            pdf.lines((f"{name}: {copy.title}",), size=10)
    withheld = withheld_kinds(extract)
    pdf.ln(LINE)
    pdf.lines(("Uppgifter som inte lämnas ut",), style="B")
    if not withheld:
        pdf.lines(("Inga uppgifter har undantagits.",))
    for entry in withheld:
        info = GROUNDS[entry.ground]
        pdf.lines(
            (
                f"{entry.count} uppgifter ({', '.join(entry.kinds).lower()}) lämnas inte ut "
                f"enligt {info.reference}: {info.label.lower()}.",
            )
        )
    pdf.ln(LINE / 2)
    pdf.lines(
        (
            "Beslutet att inte lämna ut uppgifter kan överklagas hos kammarrätten; skriv till "
            "socialnämnden inom tre veckor från den dag du fick del av beslutet.",
        ),
        size=10,
    )
    return bytes(pdf.output())
