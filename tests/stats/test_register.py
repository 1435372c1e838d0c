"""The yearly register of interventions: exactly the SoL placements and LVU measures of a year."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases.codes import InterventionCategory as C
from barnskydd.cases.codes import LegalBasis
from barnskydd.cases.models import Intervention
from barnskydd.cli import app
from barnskydd.core.actor import Actor, Role
from barnskydd.core.errors import PermissionDenied
from barnskydd.staff import service as staff
from barnskydd.stats import register
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR, registered_case

ADMIN = Actor(username="arkiv", role=Role.ADMIN)
D = dt.date


def _children(session: Session) -> dict[str, int]:
    """Four children of Oskarshamn: two with personnummer, two with reserve numbers."""
    unit = staff.create_unit(session, name="Barn och unga", municipality_code="0882")
    worker = staff.actor_for(
        staff.create(session, username="anna", display_name="Anna", role=Role.CASE_WORKER,
                     unit_id=unit.id)
    )  # fmt: skip
    cases = {}
    for name, identity in [("a", CHILD_PNR), ("b", OTHER_CHILD_PNR),
                           ("r1", "20150916R001"), ("r2", "20150916R002")]:  # fmt: skip
        cases[name] = registered_case(session, unit.id, worker, child_identity=identity).id
    return cases


def _intervene(session: Session, case_id: int, category: C, basis: LegalBasis,
               start: dt.date, end: dt.date | None) -> None:  # fmt: skip
    session.add(Intervention(case_id=case_id, category=category, legal_basis=basis,
                             decided_on=start, start_on=start, ended_on=end,
                             decided_by="anna"))  # fmt: skip


def test_the_year_holds_exactly_the_active_placements_and_lvu_measures(
    session: Session, tmp_path: Path
) -> None:
    cases = _children(session)
    sol, lvu = LegalBasis.SOL, LegalBasis.LVU
    _intervene(session, cases["a"], C.FAMILY_HOME, sol, D(2025, 3, 1), D(2025, 6, 30))  # in
    _intervene(session, cases["a"], C.OPEN_CARE, sol, D(2025, 1, 1), None)  # open care: out
    _intervene(session, cases["a"], C.CONTACT_PERSON_OR_FAMILY, sol, D(2025, 1, 1), None)  # out
    _intervene(session, cases["b"], C.SUPPORTED_HOUSING, sol, D(2023, 1, 1), D(2024, 12, 31))
    _intervene(session, cases["b"], C.RESIDENTIAL_HVB, sol, D(2025, 12, 31), None)  # last day
    _intervene(session, cases["r1"], C.SIS_SECURE, lvu, D(2024, 11, 1), None)  # in, ongoing
    _intervene(session, cases["r2"], C.OPEN_CARE, lvu, D(2025, 2, 1), D(2025, 2, 2))  # LVU 22 §
    _intervene(session, cases["r2"], C.FAMILY_HOME, sol, D(2026, 1, 1), None)  # next year: out
    session.flush()

    rows = register.rows_for(session, year=2025)
    got = sorted((r["id"], r["lagrum"], r["placeringsform"], r["startdatum"]) for r in rows)
    assert got == sorted([
        ("201509169874", "SoL", "familjehem", "2025-03-01"),
        ("201205129271", "SoL", "hvb", "2025-12-31"),
        ("20150916T001", "LVU", "sis", "2024-11-01"),
        ("20150916T002", "LVU", "oppenvard", "2025-02-01"),
    ])  # fmt: skip
    assert {r["kommunkod"] for r in rows} == {"0882"}
    # A reserve number never leaves: the temporary id stands in for it.
    assert not any("R00" in value for r in rows for value in r.values())
    assert [r["id"] for r in register.rows_for(session, year=2024)].count("201205129271") == 1

    out = tmp_path / "insatser-2025.csv"
    result = register.write(session, actor=ADMIN, year=2025, out=out)
    assert (result.rows, result.children, result.temporary_ids) == (4, 4, 2)
    with out.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle, delimiter=";"))
    assert written == rows
    assert tuple(written[0]) == register.COLUMNS
    audit.append_pending(session)
    exported = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert len(exported) == 4
    assert all(e.entity == "register_insatser" and e.child_id for e in exported)


def test_only_an_administrator_exports_and_a_refusal_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    _children(session)
    out = tmp_path / "x.csv"
    with pytest.raises(PermissionDenied):
        register.write(session, actor=Actor(username="anna", role=Role.CASE_WORKER),
                       year=2025, out=out)  # fmt: skip
    assert not out.exists()


@pytest.mark.parametrize("year", ["20x5", "25", "-2025", "२०२५"])
def test_cli_refuses_a_bad_year_with_exit_2(year: str, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(app, ["register", "insatser", "--year", year, "--out", str(out)])
    assert result.exit_code == 2
    assert "--year" in result.stderr
    assert not out.exists()
