"""The investigation plan on the case page: its items with the investigation's deadline.

The section's context is plain data (safe to render after a refusal's rollback); the read is
audited by the service with the case page's purpose. The forms (add an item, change one,
remove one) go through the record sections' one view (web.record_form).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases.models import Case
from barnskydd.cases.plan import service as plan
from barnskydd.cases.plan.inputs import PlanAdd, PlanEdit
from barnskydd.cases.plan.models import KIND_LABELS, PARTY_LABELS, PlanItem, PlanItemKind
from barnskydd.core.actor import Actor
from barnskydd.core.errors import InvalidInput
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.record_form import RecordSpec, submit
from barnskydd.web.security import verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
SPEC = RecordSpec(failed="plan_failed", anchor="utredningsplan")
LABELS = {name: info.title or name for name, info in PlanAdd.model_fields.items()}
MSG_NO_TEXT = "Ange en beskrivning: punkten kan inte sparas utan text."


def _row(item: PlanItem) -> dict[str, Any]:
    consent = {True: "ja", False: "nej", None: "inte tillfrågade"}[item.consent]
    return {
        "id": item.id,
        "kind": item.kind.value,
        "values": {
            "text": item.text,
            "party": item.party.value if item.party else "",
            "consent": {True: "ja", False: "nej", None: ""}[item.consent],
            "planned_on": item.planned_on.isoformat() if item.planned_on else "",
            "child_alone": {True: "ja", False: "nej", None: ""}[item.child_alone],
        },
        "text": item.text,
        "party": PARTY_LABELS[item.party] if item.party else None,
        "private": item.party is not None and item.party.value == "private",
        "consent": consent,
        "planned_on": item.planned_on.isoformat() if item.planned_on else None,
        "child_alone": item.child_alone,
    }


def plan_context(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's plan section: the items by kind, the deadline, whether open."""
    read = plan.get(session, actor=user, case=case, purpose=CASE_PURPOSE)
    rows = [_row(item) for item in read.items]
    return {
        "plan": {
            "started_on": read.started_on.isoformat() if read.started_on else None,
            "due": read.due.isoformat() if read.due else None,
            "open": read.open,
            "groups": [
                (label, [r for r in rows if r["kind"] == kind.value])
                for kind, label in KIND_LABELS.items()
            ],
        },
        "plan_labels": LABELS,
        "plan_kinds": [(k.value, label) for k, label in KIND_LABELS.items()],
        "plan_parties": [(p.value, label) for p, label in PARTY_LABELS.items()],
        "plan_talk": PlanItemKind.CHILD_TALK.value,
        "plan_failed": None,
    }


@router.post("/arenden/{case_number}/utredningsplan")
def add_item(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Add an item to the plan, or show the case again with the errors next to the fields."""
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: plan.add(session, actor=user, case=case, data=PlanAdd.from_text(form)),
        saved="Utredningsplanen: punkten sparad.",
        which="add",
    )


@router.post("/arenden/{case_number}/utredningsplan/{item_id}")
def change_item(
    request: Request,
    item_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Change an item (its kind stays), or show the case again with the errors by its fields.

    The form sends the item's every field; an emptied text is refused (PlanEdit leaves an
    empty field unchanged, which on the desk would keep a text the worker meant to remove).
    """

    def change() -> object:
        if not str(form.get("text", "")).strip():
            raise InvalidInput(MSG_NO_TEXT, field="text")
        return plan.update(
            session, actor=user, case=case, item_id=item_id, data=PlanEdit.from_text(form)
        )

    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        change,
        saved="Utredningsplanen: punkten ändrad.",
        which=f"edit-{item_id}",
    )


@router.post("/arenden/{case_number}/utredningsplan/{item_id}/ta-bort")
def remove_item(
    request: Request,
    item_id: RowId,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Remove an item from the plan while the investigation is open."""
    return submit(
        SPEC,
        request,
        session,
        user,
        case,
        form,
        lambda: plan.remove(session, actor=user, case=case, item_id=item_id),
        saved="Utredningsplanen: punkten borttagen.",
        which="remove",
    )
