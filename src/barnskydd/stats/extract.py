"""Produce the municipality's statistics extract (schema version 2) from the case chain.

One row per report, no names, identity numbers, addresses, case numbers or free text; dates
only as months; the child as a keyed pseudonym (HMAC-SHA-256 under the local statistics key)
so that the same child has the same key in every municipality that uses the same key. A
report screened out with early help offered has its own preliminary outcome.

Beside it, `<name>.voice.parquet`: one row per theme answered in the anonymous voice
responses (voice.models.VoiceResponse: month, theme, age band, gender, intervention category,
positive or not). It is read from the anonymous table alone, so nothing in it joins back to a
report row, a case or a child.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from barnskydd.audit import service as audit
from barnskydd.cases.codes import LegalBasis, PreliminaryOutcome
from barnskydd.cases.models import Case, Report
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import local_date
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.people.rules import age_in_years
from barnskydd.staff import deployment
from barnskydd.staff.models import Unit
from barnskydd.stats.schema import (
    EXTRACT_INVESTIGATION_OUTCOME,
    EXTRACT_SCHEMA,
    EXTRACT_VERSION,
    ONGOING,
    PENDING,
    VOICE_SCHEMA,
    VOICE_SUFFIX,
    VOICE_THEMES,
    voice_path,
)
from barnskydd.voice.codes import VoiceStatus
from barnskydd.voice.itemset import item_set
from barnskydd.voice.models import VoiceResponse

KEY_BYTES = 32


def load_or_create_key(path: Path, *, create: bool) -> bytes:
    """Read the statistics key; create a random one (mode 0600) only when allowed."""
    if path.exists():
        key = path.read_bytes()
        if len(key) < KEY_BYTES:
            raise InvalidInput(f"{path}: the statistics key is too short.", field="key")
        return key
    if not create:
        raise InvalidInput(
            f"{path}: no statistics key; create one with `barnskydd stats keygen`.",
            field="key",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def child_key(key: bytes, identity_number: str) -> str:
    """Return the hex HMAC-SHA-256 pseudonym of a normalised 12-character identity."""
    return hmac.new(key, identity_number.encode("ascii"), hashlib.sha256).hexdigest()


def _month(value: str, option: str) -> tuple[int, int]:
    try:
        parsed = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise InvalidInput(f"{option}: '{value}' är ingen månad (ÅÅÅÅ-MM).", field=option) from None
    return parsed.year, parsed.month


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """What an extract run wrote: the reports file, its rows, and the voice table's rows."""

    path: Path
    rows: int
    voice_rows: int = 0

    @property
    def voice_path(self) -> Path:
        """The voice table written beside the reports file."""
        return voice_path(self.path)


def _positive_from(version: str, band: str) -> int:
    return item_set(version).band(band).positive_from


def _voice_rows(
    session: Session, code: str, start: tuple[int, int], end: tuple[int, int]
) -> list[dict[str, Any]]:
    """One row per theme answered, from the anonymous responses of this municipality."""
    r = VoiceResponse
    query = (
        select(r)
        .where(r.municipality_code == code, r.status == VoiceStatus.ANSWERED)
        .where(r.month >= f"{start[0]:04d}-{start[1]:02d}")
        .where(r.month <= f"{end[0]:04d}-{end[1]:02d}")
        .order_by(r.month)
    )
    rows = []
    for response in session.scalars(query):
        positive_from = _positive_from(response.item_set_version, response.band)
        category = response.intervention_category
        for theme in VOICE_THEMES:
            value = getattr(response, theme)
            if value is None:  # not asked in this band, or "vill inte svara"
                continue
            rows.append(
                {
                    "extract_version": EXTRACT_VERSION,
                    "municipality_code": code,
                    "month": response.month,
                    "theme": theme,
                    "band": response.band,
                    "child_gender": response.gender,
                    "intervention_category": None if category is None else str(category),
                    "positive": value >= positive_from,
                }
            )
    return rows


def _row(case: Case, municipality_code: str, key: bytes) -> dict[str, Any]:
    report: Report = case.report
    received_on = local_date(report.received_at)
    preliminary = case.preliminary_assessment
    investigation = case.investigation
    opened = preliminary is not None and (
        preliminary.outcome is PreliminaryOutcome.INVESTIGATION_OPENED
    )
    investigation_outcome = None
    if opened and investigation is not None:
        investigation_outcome = (
            EXTRACT_INVESTIGATION_OUTCOME[investigation.outcome]
            if investigation.outcome is not None
            else ONGOING
        )
    age = age_in_years(case.child.birth_date, received_on)
    return {
        "extract_version": EXTRACT_VERSION,
        "municipality_code": municipality_code,
        "report_id": secrets.token_hex(16),
        "child_key": child_key(key, case.child.identity_number),
        "received_month": f"{received_on:%Y-%m}",
        "child_age": age if 0 <= age <= 20 else None,
        "child_gender": case.child.gender,
        "reporter_category": str(report.reporter_category),
        "mandatory_reporter": report.mandatory_reporter,
        "concerns": [str(c.concern) for c in report.concerns],
        "preliminary_outcome": str(preliminary.outcome) if preliminary else PENDING,
        "preliminary_on_time": preliminary.on_time if preliminary else None,
        "investigation_outcome": investigation_outcome,
        "investigation_on_time": (
            investigation.on_time if investigation and investigation.outcome else None
        ),
        "interventions": sorted({str(i.category) for i in case.interventions}),
        "lvu": any(i.legal_basis is LegalBasis.LVU for i in case.interventions),
    }


def create(
    session: Session,
    *,
    actor: Actor,
    out: Path,
    key: bytes,
    from_month: str | None = None,
    to_month: str | None = None,
) -> ExtractResult:
    """Write the extract as one Parquet file (written whole or not at all), audited.

    Every row carries the municipality the database serves (barnskydd.staff.deployment).
    """
    if actor.role not in (Role.ADMIN, Role.SYSTEM, Role.ANALYST):
        raise PermissionDenied("Bara administratörer och analytiker tar ut statistik.")
    start = _month(from_month, "--from") if from_month else (1, 1)
    end = _month(to_month, "--to") if to_month else (9999, 12)
    if start > end:
        raise InvalidInput("--from ligger efter --to.", field="--from")
    if out.name.endswith(VOICE_SUFFIX):
        raise InvalidInput(
            f"--out: '{out.name}' är namnet på röst-tabellen; välj ett namn som NAMN.parquet.",
            field="--out",
        )
    code = deployment.municipality(session).code
    query = (
        select(Case)
        .join(Report, Report.case_id == Case.id)
        # Units recorded before the deployment row may belong elsewhere; only ours are counted.
        .join(Unit, Unit.id == Case.unit_id)
        .where(Unit.municipality_code == code)
        .order_by(Report.received_at, Case.id)
        .options(
            selectinload(Case.report).selectinload(Report.concerns),
            selectinload(Case.child),
            selectinload(Case.preliminary_assessment),
            selectinload(Case.investigation),
            selectinload(Case.interventions),
        )
    )
    rows = []
    for case in session.scalars(query):
        received = local_date(case.report.received_at)
        if start <= (received.year, received.month) <= end:
            rows.append(_row(case, code, key))
    table = pa.Table.from_pylist(rows, schema=EXTRACT_SCHEMA)
    voice = pa.Table.from_pylist(_voice_rows(session, code, start, end), schema=VOICE_SCHEMA)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    voice_out = voice_path(out)
    voice_partial = voice_out.with_name(f".{voice_out.name}.partial")
    try:
        pq.write_table(table, partial)
        pq.write_table(voice, voice_partial)
        # The reports file first: a voice table beside an older extract is refused on release,
        # so the pair is only ever replaced reports-then-voice, never left mixed by a failure.
        partial.replace(out)
        voice_partial.replace(voice_out)
    finally:
        partial.unlink(missing_ok=True)
        voice_partial.unlink(missing_ok=True)
    # Thousands apart ("123 456"): six digits in a row are refused in a purpose (audit.purpose).
    reports = f"{len(rows):,}".replace(",", " ")
    audit.record(
        session,
        actor=actor,
        action="extract",
        entity="statistics_extract",
        purpose=f"statistikuttag, {reports} anmälningar",
    )
    return ExtractResult(path=out, rows=len(rows), voice_rows=voice.num_rows)
