"""A case's documents: upload (multipart), list and download; the download is audited."""

# No `from __future__ import annotations`: FastAPI reads the form fields' types at run time.

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from barnskydd.cases import service as cases
from barnskydd.documents import rules
from barnskydd.documents import service as documents
from barnskydd.documents.codes import DocumentKind
from barnskydd.documents.models import Document
from barnskydd.documents.schemas import DocumentCreate, DocumentRead
from barnskydd.web.api.cases import Purpose
from barnskydd.web.api.deps import CaseNumber, CaseReader, CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import RowId, SessionDep
from barnskydd.web.document_views import attachment

router = APIRouter(prefix="/cases/{case_number}/documents", tags=["documents"])


def _read(document: Document) -> DocumentRead:
    return DocumentRead.model_validate(document, from_attributes=True)


@router.post("", status_code=201, responses=responses(401, 403, 404, 413, 422))
def upload_document(
    request: Request,
    response: Response,
    session: SessionDep,
    case: CaseToChange,
    user: CaseWriter,
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, at most 20 MB")],
    title: Annotated[str, Form(description="the document's title")],
    kind: Annotated[DocumentKind, Form()] = DocumentKind.INCOMING,
    journal_entry: Annotated[
        str, Form(description="the id of the case's journal entry it belongs to")
    ] = "",
) -> DocumentRead:
    """Store a PDF, JPEG or PNG in the case; its type is sniffed from the content."""
    try:
        data = DocumentCreate.from_text(
            {"title": title, "kind": kind, "journal_entry": journal_entry}
        )
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
        ) from None
    content = file.file.read(rules.MAX_BYTES + 1)
    document = documents.create(
        session, actor=user, case=case, data=data, filename=file.filename or "", content=content
    )
    response.headers["Location"] = str(
        request.url_for(
            "download_document", case_number=case.case_number, document_id=str(document.id)
        )
    )
    return _read(document)


@router.get("", responses=responses(401, 403, 404, 422))
def list_documents(
    case_number: CaseNumber, purpose: Purpose, session: SessionDep, user: CaseReader
) -> list[DocumentRead]:
    """Return the case's documents (metadata); the read of the case is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    return [_read(d) for d in documents.get_all(session, actor=user, case=case)]


@router.get(
    "/{document_id}",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}},
            "description": "the file, as an attachment",
        },
        **responses(401, 403, 404, 422),
    },
)
def download_document(
    case_number: CaseNumber,
    document_id: RowId,
    purpose: Purpose,
    session: SessionDep,
    user: CaseReader,
) -> Response:
    """Return the file as an attachment; the read is audited with its purpose."""
    case = cases.get_by_number(session, actor=user, case_number=case_number, purpose=purpose)
    document = documents.get(
        session, actor=user, case=case, document_id=document_id, purpose=purpose
    )
    return attachment(document)
