"""The 34 kap. list: exactly the decisions not carried out within three months, with reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.cases.models import Intervention
from barnskydd.core.actor import Role
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.deviations import quarterly
from barnskydd.staff import service as staff
from tests.factories import registered_case, unit_and_worker

D = dt.date


def _decisions(session: Session) -> dict[str, int]:
    unit_id, worker = unit_and_worker(session)
    case = registered_case(session, unit_id, worker)
    made = {}
    for name, basis, decided, start in (
        ("started_in_quarter", LegalBasis.SOL, D(2025, 9, 10), D(2026, 2, 1)),
        ("still_waiting", LegalBasis.SOL, D(2025, 11, 15), D(2026, 6, 1)),
        ("three_months_not_yet", LegalBasis.SOL, D(2026, 1, 20), D(2026, 6, 1)),
        ("started_in_time", LegalBasis.SOL, D(2025, 9, 10), D(2025, 10, 1)),
        ("lvu", LegalBasis.LVU, D(2025, 9, 10), D(2026, 6, 1)),
        ("reported_before", LegalBasis.SOL, D(2025, 6, 1), D(2025, 12, 15)),
    ):
        intervention = Intervention(
            case_id=case.id,
            category=InterventionCategory.FAMILY_HOME,
            legal_basis=basis,
            decided_on=decided,
            start_on=start,
            decided_by="test",
        )
        session.add(intervention)
        session.flush()
        made[name] = intervention.id
    return made


def test_the_quarter_lists_exactly_the_decisions_late_by_three_months(session: Session) -> None:
    made = _decisions(session)
    lex_sarah = staff.actor_for(
        staff.create(session, username="lex", display_name="Lex", role=Role.LEX_SARAH, unit_id=None)
    )
    rows = quarterly.get_rows(session, actor=lex_sarah, quarter="2026-Q1")
    assert [r.intervention_id for r in rows] == [made["started_in_quarter"], made["still_waiting"]]
    assert rows[0].executed_on == D(2026, 2, 1)
    assert rows[1].executed_on is None
    assert rows[1].overdue_from == D(2026, 2, 15)
    with pytest.raises(InvalidInput, match="2 beslut saknar skäl"):
        quarterly.export_rows(session, actor=lex_sarah, quarter="2026-Q1")
    for row in rows:
        quarterly.set_reason(
            session,
            actor=lex_sarah,
            quarter="2026-Q1",
            intervention_id=row.intervention_id,
            reason="Inget familjehem fanns att tillgå.",
        )
    text = quarterly.to_csv(quarterly.export_rows(session, actor=lex_sarah, quarter="2026-Q1"))
    lines = text.splitlines()
    assert lines[0] == "beslutsdatum;insats;enhet;tre_manader_fran;verkstallt;skal"
    assert len(lines) == 3
    assert "BU-" not in text
    assert "Saga" not in text


def test_a_case_worker_cannot_make_the_list_and_a_bad_quarter_is_named(session: Session) -> None:
    _, worker = unit_and_worker(session)
    with pytest.raises(PermissionDenied):
        quarterly.get_rows(session, actor=worker, quarter="2026-Q1")
    with pytest.raises(InvalidInput) as bad:
        quarterly.parse_quarter("2026-Q5")
    assert bad.value.field == "quarter"
