"""The investigation plan's rules through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import InvestigationOutcome
from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd, PlanEdit
from barnskydd.cases.plan.models import PlanItem, PlanItemKind
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound
from tests.cases.record.world import OPENED, investigated
from tests.factories import OTHER_CHILD_PNR, registered_case, take

TALK = {"kind": "child_talk", "text": "Samtal om skolan.", "planned_on": "2025-07-01"}


def _text(**fields: Any) -> PlanAdd:
    return PlanAdd.from_text(fields)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PlanItem)) or 0


def test_a_plan_holds_questions_contacts_and_talks_with_the_investigations_deadline(
    session: Session,
) -> None:
    case, worker = investigated(session)
    plan.add(session, actor=worker, case=case, data=_text(kind="question", text="Hur går skolan?"))
    plan.add(
        session,
        actor=worker,
        case=case,
        data=_text(kind="contact", text="Mentor på skolan.", party="authority"),
    )
    plan.add(
        session,
        actor=worker,
        case=case,
        data=_text(kind="contact", text="Mormor.", party="private", consent="ja"),
    )
    plan.add(session, actor=worker, case=case, data=_text(**TALK, child_alone="ja"))
    read = plan.get(session, actor=worker, case=case, purpose="handläggning")
    assert read.started_on == OPENED
    assert read.due == case.investigation.due
    assert read.open
    assert sorted(i.kind for i in read.items) == sorted(
        [PlanItemKind.QUESTION, PlanItemKind.CONTACT, PlanItemKind.CONTACT, PlanItemKind.CHILD_TALK]
    )
    talk = next(i for i in read.items if i.kind is PlanItemKind.CHILD_TALK)
    assert (talk.planned_on, talk.child_alone, talk.party) == (dt.date(2025, 7, 1), True, None)
    rows = [
        (e.action, e.entity, e.purpose)
        for e in audit.get_all(session, case_id=case.id)
        if e.entity in ("plan", "plan_item")
    ]
    assert rows == [("create", "plan_item", None)] * 4 + [("read", "plan", "handläggning")]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "child_talk", "text": "Samtal.", "child_alone": "ja"}, "planned_on"),
        ({**TALK}, "child_alone"),
        ({**TALK, "child_alone": "ja", "planned_on": "2025-06-20"}, "planned_on"),
        ({"kind": "contact", "text": "Mormor."}, "party"),
        ({"kind": "contact", "text": "Mormor.", "party": "private"}, "consent"),
    ],
)
def test_what_a_kind_of_item_needs_is_refused_by_field_and_nothing_is_written(
    session: Session, fields: dict[str, str], field: str
) -> None:
    case, worker = investigated(session)
    with pytest.raises(InvalidInput) as refused:
        plan.add(session, actor=worker, case=case, data=_text(**fields))
    assert refused.value.field == field
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**TALK, "planned_on": "2025-02-30"}, "planned_on"),
        ({**TALK, "text": "<b>fet</b>"}, "text"),
        ({**TALK, "text": "x" * 20_001}, "text"),
    ],
)
def test_impossible_dates_html_and_over_long_text_are_refused_by_the_model(
    fields: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _text(**fields, child_alone="ja")
    assert refused.value.errors()[0]["loc"] == (field,)


def test_the_plan_is_changed_only_while_the_investigation_is_open(session: Session) -> None:
    case, worker = investigated(session)
    without = registered_case(session, case.unit_id, worker, child_identity=OTHER_CHILD_PNR)
    with pytest.raises(ForbiddenTransition):
        plan.add(session, actor=worker, case=without, data=_text(kind="question", text="Q?"))
    item = plan.add(session, actor=worker, case=case, data=_text(kind="question", text="Q?"))
    edited = plan.update(
        session, actor=worker, case=case, item_id=item.id, data=PlanEdit(text="Ny fråga?")
    )
    assert edited.text == "Ny fråga?"
    take(
        session,
        Step.COMPLETE_INVESTIGATION,
        actor=worker,
        case_id=case.id,
        completed_on=dt.date(2025, 8, 1),
        outcome=InvestigationOutcome.NO_INTERVENTION,
    )
    session.refresh(case.investigation)
    with pytest.raises(ForbiddenTransition):
        plan.update(session, actor=worker, case=case, item_id=item.id, data=PlanEdit(text="Nej"))
    with pytest.raises(ForbiddenTransition):
        plan.remove(session, actor=worker, case=case, item_id=item.id)
    assert session.get(PlanItem, item.id) is not None
    assert not plan.get(session, actor=worker, case=case, purpose="uppföljning").open


def test_an_edit_that_breaks_a_rule_changes_nothing(session: Session) -> None:
    case, worker = investigated(session)
    item = plan.add(session, actor=worker, case=case, data=_text(**TALK, child_alone="nej"))
    with pytest.raises(InvalidInput):
        plan.update(
            session,
            actor=worker,
            case=case,
            item_id=item.id,
            data=PlanEdit(planned_on=dt.date(2025, 6, 1)),
        )
    assert item.planned_on == dt.date(2025, 7, 1)


def test_another_cases_item_is_not_found(session: Session) -> None:
    case, worker = investigated(session)
    with pytest.raises(NotFound):
        plan.remove(session, actor=worker, case=case, item_id=999)
