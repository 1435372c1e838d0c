"""A case child's guardians and household: list (audited with its purpose), add, change, remove.

Contact details that the child's protected identity hides are null, with contact_hidden true
(people.guardians); a case the actor may not see is 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from barnskydd.cases import family
from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.cases.family import GuardianChange, GuardianInput, GuardianRead
from barnskydd.cases.models import Case
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(prefix="/cases/{case_number}/guardians", tags=["family"])
GuardianId = Annotated[int, Path(ge=1, le=MAX_ID, description="the guardian's id")]


def _read(case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader) -> Case:
    return cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)


@router.get("", responses=responses(401, 403, 404, 422))
def list_guardians(
    session: SessionDep, user: CaseReader, case: Annotated[Case, Depends(_read)], purpose: Purpose
) -> list[GuardianRead]:
    """Return the child's guardians and household, custodians first; the read is audited."""
    found = family.list_guardians(session, actor=user, case=case, purpose=purpose)
    return [GuardianRead.model_validate(g) for g in found]


@router.post("", status_code=201, responses=responses(401, 403, 404, 422))
def add_guardian(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: GuardianInput
) -> GuardianRead:
    """Record a guardian or another adult of the child's household."""
    guardian = family.add_guardian(session, actor=user, case=case, data=body)
    return GuardianRead.model_validate(family.view(session, user, case, guardian))


@router.patch("/{guardian_id}", responses=responses(401, 403, 404, 422))
def change_guardian(
    guardian_id: GuardianId,
    session: SessionDep,
    user: CaseWriter,
    case: CaseToChange,
    body: GuardianChange,
) -> GuardianRead:
    """Change the fields sent; hidden contact details cannot be changed (422)."""
    guardian = family.update_guardian(
        session, actor=user, case=case, guardian_id=guardian_id, changes=body.changes()
    )
    return GuardianRead.model_validate(family.view(session, user, case, guardian))


@router.delete("/{guardian_id}", status_code=204, responses=responses(401, 403, 404, 422))
def remove_guardian(
    guardian_id: GuardianId, session: SessionDep, user: CaseWriter, case: CaseToChange
) -> Response:
    """Remove a guardian recorded in error or no longer of the household."""
    family.remove_guardian(session, actor=user, case=case, guardian_id=guardian_id)
    return Response(status_code=204)
