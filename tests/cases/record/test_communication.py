"""Communication before a decision (FL 25 §) through the service layer and the chain's checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.chain.checks import CaseFacts, Sent
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import InterventionCategory, InvestigationOutcome, LegalBasis
from barnskydd.cases.communication import service as communication
from barnskydd.cases.communication.inputs import CommunicationAdd, CommunicationAnswer
from barnskydd.cases.communication.models import Communication
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from tests.cases.record.world import investigated
from tests.factories import take

SENT = {
    "recipient_kind": "guardian",
    "recipient": "Maria Lind",
    "material": "Utredningen i sin helhet.",
    "sent_on": "2025-08-01",
    "answer_by": "2025-08-15",
}


def _add(**overrides: str) -> CommunicationAdd:
    return CommunicationAdd.from_text({**SENT, **overrides})


def _decide(session: Session, case: Any, worker: Any, on: dt.date) -> Any:
    return take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=worker,
        case_id=case.id,
        category=InterventionCategory.OPEN_CARE,
        legal_basis=LegalBasis.SOL,
        decided_on=on,
    )


def test_a_decision_waits_for_the_answer_or_the_time_and_names_the_paragraph(
    session: Session,
) -> None:
    case, worker = investigated(session)
    sent = communication.add(session, actor=worker, case=case, data=_add())
    with pytest.raises(ForbiddenTransition) as refused:
        _decide(session, case, worker, dt.date(2025, 8, 10))
    assert refused.value.field == "decided_on"
    assert "förvaltningslagen (2017:900) 25 §" in refused.value.message
    assert "2025-08-15" in refused.value.message
    # the time has passed: the decision may be taken without the answer
    assert _decide(session, case, worker, dt.date(2025, 8, 16)) is not None
    # the answer is in: a decision on or after its day is not held back
    communication.answer(
        session,
        actor=worker,
        case=case,
        communication_id=sent.id,
        data=CommunicationAnswer.from_text({"answered_on": "2025-08-05", "answer": "Inget."}),
    )
    assert _decide(session, case, worker, dt.date(2025, 8, 5)) is not None


def test_completing_the_investigation_waits_too(session: Session) -> None:
    case, worker = investigated(session)
    communication.add(session, actor=worker, case=case, data=_add())
    with pytest.raises(ForbiddenTransition) as refused:
        take(
            session,
            Step.COMPLETE_INVESTIGATION,
            actor=worker,
            case_id=case.id,
            completed_on=dt.date(2025, 8, 14),
            outcome=InvestigationOutcome.NO_INTERVENTION,
        )
    assert refused.value.field == "completed_on"
    assert case.investigation.completed_on is None


def test_refusing_an_application_waits_too(session: Session) -> None:
    case, worker = investigated(session)
    communication.add(session, actor=worker, case=case, data=_add())
    refuse = {
        "actor": worker,
        "case_id": case.id,
        "category": InterventionCategory.OPEN_CARE,
        "applied_on": dt.date(2025, 7, 20),
        "reason": "Syntetiskt avslag.",
    }
    with pytest.raises(ForbiddenTransition) as refused:
        take(session, Step.REFUSE_INTERVENTION, decided_on=dt.date(2025, 8, 14), **refuse)
    assert refused.value.field == "decided_on"
    assert "25 §" in refused.value.message
    assert take(session, Step.REFUSE_INTERVENTION, decided_on=dt.date(2025, 8, 16), **refuse)


@pytest.mark.parametrize(
    ("on", "waits"),
    [("2025-07-31", False), ("2025-08-01", True), ("2025-08-15", True), ("2025-08-16", False)],
)
def test_a_communication_holds_decisions_from_its_sending_to_its_last_day(
    on: str, waits: bool
) -> None:
    sent = Sent("vårdnadshavare", dt.date(2025, 8, 1), dt.date(2025, 8, 15), None)
    assert sent.awaits(dt.date.fromisoformat(on)) is waits


def test_no_communication_holds_nothing(session: Session) -> None:
    case, _ = investigated(session)
    assert CaseFacts.of(case).communications == ()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sent_on": "2025-06-18"}, "sent_on"),  # before the report
        ({"sent_on": "2999-01-01", "answer_by": "2999-02-01"}, "sent_on"),  # future
        ({"answer_by": "2025-08-01"}, "answer_by"),  # not after sending
    ],
)
def test_bad_dates_are_refused_by_field_and_nothing_is_written(
    session: Session, overrides: dict[str, str], field: str
) -> None:
    case, worker = investigated(session)
    with pytest.raises(InvalidInput) as refused:
        communication.add(session, actor=worker, case=case, data=_add(**overrides))
    assert refused.value.field == field
    assert session.scalar(select(func.count()).select_from(Communication)) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sent_on": "2025-02-30"}, "sent_on"),
        ({"material": "<script>x</script>"}, "material"),
        ({"recipient": "x" * 201}, "recipient"),
        ({"recipient_kind": "neighbour"}, "recipient_kind"),
    ],
)
def test_impossible_dates_html_and_long_text_are_refused_by_the_model(
    overrides: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(**overrides)
    assert refused.value.errors()[0]["loc"] == (field,)


def test_an_answer_is_recorded_once_and_every_write_and_read_is_audited(
    session: Session,
) -> None:
    case, worker = investigated(session)
    sent = communication.add(session, actor=worker, case=case, data=_add())
    answer = CommunicationAnswer.from_text({"answered_on": "2025-08-05", "answer": "Inget."})
    communication.answer(session, actor=worker, case=case, communication_id=sent.id, data=answer)
    with pytest.raises(ForbiddenTransition):
        communication.answer(
            session, actor=worker, case=case, communication_id=sent.id, data=answer
        )
    early = CommunicationAnswer.from_text({"answered_on": "2025-07-01", "answer": "Tidigt."})
    second = communication.add(session, actor=worker, case=case, data=_add())
    with pytest.raises(InvalidInput) as refused:
        communication.answer(
            session, actor=worker, case=case, communication_id=second.id, data=early
        )
    assert refused.value.field == "answered_on"
    communication.get_all(session, actor=worker, case=case, purpose="utredning")
    rows = [
        (e.action, e.entity, e.purpose)
        for e in audit.get_all(session, case_id=case.id)
        if e.entity in ("communication", "communications")
    ]
    assert rows == [
        ("create", "communication", None),
        ("update", "communication", None),
        ("create", "communication", None),
        ("read", "communications", "utredning"),
    ]


def test_a_child_under_15_on_the_sending_day_is_not_communicated_with(
    session: Session,
) -> None:
    case, worker = investigated(session)
    sent_on = dt.date(2025, 8, 1)
    case.child.birth_date = dt.date(2010, 8, 2)  # turns 15 the day after
    session.flush()
    before = session.scalar(select(func.count()).select_from(Communication))
    with pytest.raises(InvalidInput) as refused:
        communication.add(
            session, actor=worker, case=case, data=_add(recipient_kind="child", recipient="Saga")
        )
    assert refused.value.field == "recipient_kind"
    assert "3 kap. 4 § socialtjänstlagen (2025:400)" in refused.value.message
    assert "2025-08-01" in refused.value.message
    assert session.scalar(select(func.count()).select_from(Communication)) == before
    case.child.birth_date = dt.date(2010, 8, 1)  # 15 on the sending day
    session.flush()
    sent = communication.add(
        session, actor=worker, case=case, data=_add(recipient_kind="child", recipient="Saga")
    )
    assert sent.sent_on == sent_on
