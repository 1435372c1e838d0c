"""Decisions on interventions: refusals as a step, the parties, their letters and told-dates."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.cases.codes import InterventionCategory
from barnskydd.cases.decisions import letters
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.codes import DecisionOutcome, NoticeWay
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.cases.decisions.models import Decision, DecisionNotice
from barnskydd.core.errors import InvalidInput
from barnskydd.people.codes import ProtectedIdentity
from tests.cases.decisions.factories import grant, identity_born, investigating, parents, refuse
from tests.factories import unit_and_worker

PURPOSE = "handläggning"
BORN = dt.date(2010, 9, 10)  # 15 on 2025-09-10, after the report of 2025-06-19


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _audited(session: Session, action: str, entity: str) -> int:
    audit.append_pending(session)
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.entity == entity)
        )
        or 0
    )


def test_a_refusal_is_a_decision_of_its_own_with_the_sol_basis(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    decision = refuse(session, worker, case, dt.date(2025, 8, 1))
    assert decision.outcome is DecisionOutcome.REFUSED
    view = decisions.get(session, actor=worker, case=case, decision_id=decision.id, purpose=PURPOSE)
    assert view.basis.shown == "11 kap. 1 § socialtjänstlagen (2025:400)"
    assert view.appealable.text.startswith("35 kap. 1 §")
    assert _audited(session, "create", "decision") == 1


def test_a_granted_intervention_gets_its_decision_too(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    intervention = grant(session, worker, case, dt.date(2025, 8, 1))
    [view] = decisions.get_all(session, actor=worker, case=case, purpose=PURPOSE)
    assert view.decision.outcome is DecisionOutcome.GRANTED
    assert view.decision.intervention_id == intervention.id
    assert "22 kap. 2 §" in view.basis.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": InterventionCategory.SIS_SECURE}, "category"),
        ({"applied_on": dt.date(2025, 8, 2)}, "applied_on"),
        ({"decided_on": dt.date(2025, 6, 1), "applied_on": dt.date(2025, 5, 1)}, "decided_on"),
    ],
)
def test_a_refusal_the_law_does_not_allow_is_refused_and_nothing_written(
    session: Session, fields: dict[str, object], field: str
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    with pytest.raises(InvalidInput) as caught:
        refuse(session, worker, case, dt.date(2025, 8, 1), **fields)
    assert caught.value.field == field
    assert _count(session, Decision) == 0


@pytest.mark.parametrize(
    ("decided_on", "child_party"),
    [(dt.date(2025, 9, 9), False), (dt.date(2025, 9, 10), True), (dt.date(2025, 9, 11), True)],
)
def test_the_child_is_a_party_from_the_fifteenth_birthday_exactly(
    session: Session, decided_on: dt.date, child_party: bool
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker, child_identity=identity_born(BORN))
    parents(session, worker, case)
    decision = refuse(session, worker, case, decided_on)
    view = decisions.get(session, actor=worker, case=case, decision_id=decision.id, purpose=PURPOSE)
    keys = [p.key for p in view.parties]
    assert keys[:2] == [k for k in keys if k.startswith("guardian:")]
    assert ("child" in keys) is child_party
    assert len(keys) == 2 + child_party


def test_a_guardian_sharing_a_protected_childs_address_has_it_withheld_in_the_letter(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(
        session, unit_id, worker, protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION
    )
    mother, father = parents(session, worker, case)
    decision = refuse(session, worker, case, dt.date(2025, 8, 1))
    view = decisions.get(session, actor=worker, case=case, decision_id=decision.id, purpose=PURPOSE)
    to_mother = letters.compose(
        session,
        actor=worker,
        case=case,
        view=view,
        party=view.party(f"guardian:{mother.id}"),
        today=dt.date(2025, 8, 1),
    )
    to_father = letters.compose(
        session,
        actor=worker,
        case=case,
        view=view,
        party=view.party(f"guardian:{father.id}"),
        today=dt.date(2025, 8, 1),
    )
    assert "Storgatan" not in " ".join(to_mother.addressee + to_mother.paragraphs)
    assert to_mother.addressee[1] == letters.WITHHELD
    assert to_father.addressee == ("Per Lind", "Kungsgatan 5, 411 19 Göteborg")


def test_the_letter_names_the_decision_its_basis_and_how_to_appeal(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker, child_identity=identity_born(BORN))
    parents(session, worker, case)
    decision = refuse(session, worker, case, dt.date(2025, 12, 1))
    decisions.tell(
        session,
        actor=worker,
        case=case,
        decision_id=decision.id,
        data=DecisionTold.from_text(
            {"party": "child", "told_on": "2025-12-03", "way": "handed_over"}
        ),
    )
    view = decisions.get(session, actor=worker, case=case, decision_id=decision.id, purpose=PURPOSE)
    letter = letters.compose(
        session,
        actor=worker,
        case=case,
        view=view,
        party=view.party("child"),
        today=dt.date(2025, 12, 3),
    )
    text = "\n".join(letter.paragraphs)
    assert letter.heading == letters.HEADING_REFUSED
    assert "beslutat att avslå ansökan som kom in den 2025-11-21 om öppenvård" in text
    assert "Skäl för beslutet: Behovet tillgodoses på annat sätt." in text
    assert "11 kap. 1 § socialtjänstlagen (2025:400)" in text
    assert "förvaltningsrätten" in text
    assert "inom tre veckor" in text
    assert "44 § förvaltningslagen (2017:900) (ej bekräftad)" in text
    # Told Wednesday 3 December: three weeks end Wednesday 24 December, julafton: moved to
    # the next vardag after juldagen, annandag jul and the weekend, Monday 29 December.
    assert "senast den 2025-12-29" in text
    assert "3 kap. 4 §" in text


def test_telling_a_party_records_the_day_the_way_and_the_appeal_deadline(
    session: Session,
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    mother, _ = parents(session, worker, case)
    decision = grant(session, worker, case, dt.date(2025, 8, 1))
    [view] = decisions.get_all(session, actor=worker, case=case, purpose=PURPOSE)
    told = DecisionTold.from_text(
        {"party": f"guardian:{mother.id}", "told_on": "2025-08-04", "way": "letter"}
    )
    decisions.tell(session, actor=worker, case=case, decision_id=view.decision.id, data=told)
    [view] = decisions.get_all(session, actor=worker, case=case, purpose=PURPOSE)
    party = view.party(f"guardian:{mother.id}")
    assert (party.told_on, party.way, party.appeal_due) == (
        dt.date(2025, 8, 4),
        NoticeWay.LETTER,
        dt.date(2025, 8, 25),
    )
    again = told.model_copy(update={"told_on": dt.date(2025, 8, 5)})
    decisions.tell(session, actor=worker, case=case, decision_id=view.decision.id, data=again)
    assert _count(session, DecisionNotice) == 1
    assert _audited(session, "create", "decision_notice") == 1
    assert _audited(session, "update", "decision_notice") == 1
    assert decision.id  # the intervention row itself stays as it was


@pytest.mark.parametrize(
    ("party", "told_on", "field"),
    [
        ("guardian:999999", "2025-08-04", "party"),
        ("child", "2025-08-04", "party"),  # a child under 15 is not a party
        ("{mother}", "2025-07-31", "told_on"),
        ("{mother}", "2999-01-01", "told_on"),
    ],
)
def test_telling_refuses_a_stranger_or_an_impossible_day_and_writes_nothing(
    session: Session, party: str, told_on: str, field: str
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    mother, _ = parents(session, worker, case)
    decision = refuse(session, worker, case, dt.date(2025, 8, 1))
    data = DecisionTold.from_text(
        {"party": party.format(mother=f"guardian:{mother.id}"), "told_on": told_on, "way": "letter"}
    )
    with pytest.raises(InvalidInput) as caught:
        decisions.tell(session, actor=worker, case=case, decision_id=decision.id, data=data)
    assert caught.value.field == field
    assert _count(session, DecisionNotice) == 0


@pytest.mark.parametrize("party", ["mother", "GUARDIAN", "guardian:0", "guardian:<b>", ""])
def test_a_party_key_not_of_the_form_child_or_guardian_id_is_refused(party: str) -> None:
    with pytest.raises(ValidationError):
        DecisionTold.from_text({"party": party, "told_on": "2025-08-04", "way": "letter"})


def test_another_cases_decision_is_not_found(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    case = investigating(session, unit_id, worker)
    other = investigating(session, unit_id, worker, child_identity=identity_born(BORN))
    decision = refuse(session, worker, other, dt.date(2025, 8, 1))
    with pytest.raises(decisions.DecisionNotFound):
        decisions.get(session, actor=worker, case=case, decision_id=decision.id, purpose=PURPOSE)
