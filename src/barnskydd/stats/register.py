"""The yearly register of interventions for children and young people (Socialstyrelsen).

Every socialnämnd reports the children who during the year were placed under SoL in a
familjehem, jourhem, HVB or stödboende, or were subject to measures under LVU (HSLF-FS 2016:3
2 § as amended by HSLF-FS 2016:22; SoL 2025:400 15 kap. 2 §). Children without a valid
personnummer get a temporary id, unique within the municipality.

The annex of HSLF-FS 2016:3 that fixes the file's layout (field order, codes, lengths) could
not be read (docs/register.md), so the file is written in a layout of our own, version
`barnskydd-insatser-1`: one row per intervention, semicolon-separated, named columns. The
variables the product does not record (guardian code, country of birth, unaccompanied,
re-placement reason) are columns left empty, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.cases.models import Case, Intervention
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.people.models import Child
from barnskydd.people.rules import IdentityKind
from barnskydd.staff import deployment

__all__ = ["COLUMNS", "FORMAT", "RegisterResult", "rows_for", "write"]

FORMAT = "barnskydd-insatser-1"
SOL_PLACEMENTS = frozenset(
    {
        InterventionCategory.FAMILY_HOME,
        InterventionCategory.RESIDENTIAL_HVB,
        InterventionCategory.SUPPORTED_HOUSING,
    }
)
# Our own codes for the placement form; the annex's codes were not read.
FORMS = {
    InterventionCategory.FAMILY_HOME: "familjehem",
    InterventionCategory.RESIDENTIAL_HVB: "hvb",
    InterventionCategory.SIS_SECURE: "sis",
    InterventionCategory.SUPPORTED_HOUSING: "stodboende",
    InterventionCategory.OPEN_CARE: "oppenvard",
    InterventionCategory.CONTACT_PERSON_OR_FAMILY: "kontaktperson",
    InterventionCategory.OTHER: "annan",
}
COLUMNS = (
    "format",
    "ar",
    "kommunkod",
    "id",
    "id_typ",
    "kon",
    "fodelsedatum",
    "lagrum",
    "placeringsform",
    "beslutsdatum",
    "startdatum",
    "slutdatum",
    "vardnadshavare",
    "fodelseland_barn",
    "ensamkommande",
)
MAY_EXPORT = frozenset({Role.ADMIN, Role.SYSTEM})
_GENDER = {"girl": "flicka", "boy": "pojke"}


@dataclass(frozen=True, slots=True)
class RegisterResult:
    """What the export wrote: the file, its rows and its children."""

    path: Path
    rows: int
    children: int
    temporary_ids: int


def _temporary_ids(children: list[Child]) -> dict[int, str]:
    """Give each child without a personnummer an id: birth date, 'T', a running number.

    Numbered by internal id within each birth date, so unique within the municipality and the
    same for the same child in every year's file while the child is in the database.
    """
    ids: dict[int, str] = {}
    seen: dict[dt.date, int] = {}
    for child in sorted(children, key=lambda c: c.id):
        if child.identity_kind == IdentityKind.personnummer:
            continue
        number = seen.get(child.birth_date, 0) + 1
        seen[child.birth_date] = number
        ids[child.id] = f"{child.birth_date:%Y%m%d}T{number:03d}"
    return ids


def rows_for(session: Session, *, year: int) -> list[dict[str, str]]:
    """Return the register's rows: every SoL placement or LVU measure active during `year`."""
    return [row for _, row in _collect(session, year=year)]


def _collect(session: Session, *, year: int) -> list[tuple[int, dict[str, str]]]:
    if not 1900 < year < 10000:
        raise InvalidInput("Ange ett årtal med fyra siffror.", field="year")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    code = deployment.municipality(session).code
    query = (
        select(Intervention, Child)
        .join(Case, Case.id == Intervention.case_id)
        .join(Child, Child.id == Case.child_id)
        .where(
            Intervention.start_on <= last,
            or_(Intervention.ended_on.is_(None), Intervention.ended_on >= first),
            or_(
                Intervention.legal_basis == LegalBasis.LVU,
                Intervention.category.in_(SOL_PLACEMENTS),
            ),
        )
        .order_by(Child.id, Intervention.start_on, Intervention.id)
    )
    found = session.execute(query).all()
    # Temporary ids are numbered over every child of the municipality without a personnummer.
    unnumbered = list(
        session.scalars(select(Child).where(Child.identity_kind != IdentityKind.personnummer))
    )
    temporary = _temporary_ids(unnumbered)
    rows = []
    for intervention, child in found:
        temporary_id = temporary.get(child.id)
        rows.append(
            (
                child.id,
                {
                    "format": FORMAT,
                    "ar": str(year),
                    "kommunkod": code,
                    "id": temporary_id or child.identity_number,
                    "id_typ": "tillfalligt" if temporary_id else "personnummer",
                    "kon": _GENDER.get(child.gender, "okant"),
                    "fodelsedatum": child.birth_date.isoformat(),
                    "lagrum": "LVU" if intervention.legal_basis is LegalBasis.LVU else "SoL",
                    "placeringsform": FORMS[intervention.category],
                    "beslutsdatum": intervention.decided_on.isoformat(),
                    "startdatum": intervention.start_on.isoformat(),
                    "slutdatum": intervention.ended_on.isoformat() if intervention.ended_on else "",
                    "vardnadshavare": "",
                    "fodelseland_barn": "",
                    "ensamkommande": "",
                },
            )
        )
    return rows


def write(session: Session, *, actor: Actor, year: int, out: Path) -> RegisterResult:
    """Write the year's register file (atomically) and audit who was included."""
    if actor.role not in MAY_EXPORT:
        raise PermissionDenied("Bara en administratör får ta ut registret över insatser.")
    collected = _collect(session, year=year)
    rows = [row for _, row in collected]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(buffer.getvalue(), encoding="utf-8")
    partial.replace(out)
    children = sorted({row["id"] for row in rows})
    purpose = f"registret över insatser för barn och unga {year} (SoL 15 kap. 2 §)"
    for child_id in sorted({child_id for child_id, _ in collected}):
        audit.record(
            session,
            actor=actor,
            action="export",
            entity="register_insatser",
            child_id=child_id,
            purpose=purpose,
        )
    return RegisterResult(
        path=out,
        rows=len(rows),
        children=len(children),
        temporary_ids=sum(1 for i in children if "T" in i),
    )
