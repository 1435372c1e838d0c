"""The case's journal: list (audited with its purpose), add, change, delete and sign entries.

A signed entry is never changed: PATCH and DELETE of one answer 409 and change nothing, as
does signing it again. The bodies are the journal's input models (strict JSON).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import MAX_ID
from barnskydd.cases.codes import JournalKind
from barnskydd.cases.journal import service as journal
from barnskydd.cases.journal.inputs import JournalAdd, JournalEdit
from barnskydd.cases.journal.schemas import JournalEntryDetail
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

router = APIRouter(prefix="/cases/{case_number}/journal", tags=["journal"])
EntryId = Annotated[int, Path(alias="id", ge=1, le=MAX_ID, description="the entry's id")]
Kind = Annotated[JournalKind | None, Query(description="only entries of this kind")]


@router.get("", responses=responses(401, 403, 404, 422))
def list_entries(
    case_number: CaseNumber,
    purpose: Purpose,
    session: SessionDep,
    user: CaseReader,
    kind: Kind = None,
) -> list[JournalEntryDetail]:
    """Return the case's journal, newest first; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    entries = journal.get_all(session, actor=user, case=case, purpose=purpose, kind=kind)
    return [JournalEntryDetail.of(e) for e in entries]


@router.post("", status_code=201, responses=responses(401, 403, 404, 422))
def add_entry(
    session: SessionDep, user: CaseWriter, case: CaseToChange, body: JournalAdd
) -> JournalEntryDetail:
    """Add an unsigned entry (a correction of a signed entry when `corrects` is given)."""
    return JournalEntryDetail.of(journal.create(session, actor=user, case=case, data=body))


@router.patch("/{id}", responses=responses(401, 403, 404, 409, 422))
def edit_entry(
    entry_id: EntryId, session: SessionDep, user: CaseWriter, case: CaseToChange, body: JournalEdit
) -> JournalEntryDetail:
    """Change the given fields of your own unsigned entry (409 when it is signed)."""
    entry = journal.update(session, actor=user, case=case, entry_id=entry_id, data=body)
    return JournalEntryDetail.of(entry)


@router.delete("/{id}", status_code=204, responses=responses(401, 403, 404, 409, 422))
def delete_entry(
    entry_id: EntryId, session: SessionDep, user: CaseWriter, case: CaseToChange
) -> Response:
    """Delete your own unsigned entry (409 when it is signed)."""
    journal.delete(session, actor=user, case=case, entry_id=entry_id)
    return Response(status_code=204)


@router.post("/{id}/sign", responses=responses(401, 403, 404, 409, 422))
def sign_entry(
    entry_id: EntryId, session: SessionDep, user: CaseWriter, case: CaseToChange
) -> JournalEntryDetail:
    """Sign your own entry; from then on it is only corrected by a new entry."""
    return JournalEntryDetail.of(journal.sign(session, actor=user, case=case, entry_id=entry_id))
