"""Produce the municipality's statistics extract (schema v1) from the case chain.

One row per report, no names, identity numbers, addresses, case numbers or free text; dates
only as months; the child as a keyed pseudonym (HMAC-SHA-256 under the local statistics key)
so that the same child has the same key in every municipality that uses the same key.
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
from barnskydd.stats.schema import EXTRACT_SCHEMA, EXTRACT_VERSION, ONGOING, PENDING

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
    """What an extract run wrote."""

    path: Path
    rows: int


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
            str(investigation.outcome) if investigation.outcome is not None else ONGOING
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
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    pq.write_table(table, partial)
    partial.replace(out)
    # Thousands apart ("123 456"): six digits in a row are refused in a purpose (audit.purpose).
    reports = f"{len(rows):,}".replace(",", " ")
    audit.record(
        session,
        actor=actor,
        action="extract",
        entity="statistics_extract",
        purpose=f"statistikuttag, {reports} anmälningar",
    )
    return ExtractResult(path=out, rows=len(rows))
