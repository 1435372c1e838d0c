"""The case's documents on the desk: the list, the upload form and the download.

An upload's body may be larger than any other form's: the app's body limit asks `is_upload`
(UPLOAD_BODY for these routes, the desk's 1 MiB for every other). A refused file is undone
with web.refusal's Attempt and the case page is shown again with the message next to the
file field; nothing of it is stored.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response
from starlette.types import Scope

from barnskydd.core.errors import InvalidInput
from barnskydd.documents import rules
from barnskydd.documents import service as documents
from barnskydd.documents.models import Document
from barnskydd.documents.schemas import DocumentCreate
from barnskydd.web import forms
from barnskydd.web.case_page import page_context
from barnskydd.web.deps import CASE_PURPOSE, CaseHandler, CurrentCase, RowId, SessionDep
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import closing_form, verify_csrf
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(closing_form), Depends(verify_csrf)])

UPLOAD_BODY = rules.MAX_BYTES + 1024 * 1024  # the file and the multipart form around it
TOO_LARGE = rules.MSG_TOO_LARGE
_UPLOAD = re.compile(
    r"/arenden/(BU-\d{4}-\d{6,12})/dokument|/api/v1/cases/(BU-\d{4}-\d{6,12})/documents"
)


def is_upload(scope: Scope) -> bool:
    """Tell whether the request is an upload of a document (desk or API)."""
    return scope.get("method") == "POST" and _UPLOAD.fullmatch(scope["path"]) is not None


def back_link(scope: Scope) -> str:
    """Return a link back to the case an upload was refused for (the number as matched)."""
    match = _UPLOAD.fullmatch(scope["path"])
    number = (match.group(1) or match.group(2)) if match else ""
    return f'<a href="/arenden/{number}#dokument">Tillbaka till ärendet</a>'


def _file(form: FormData) -> tuple[str, bytes]:
    """Return the uploaded file's name and bytes (at most one byte over the limit)."""
    upload = form.get(rules.FIELD)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput(rules.MSG_MISSING, field=rules.FIELD)
    return upload.filename, upload.file.read(rules.MAX_BYTES + 1)


def attachment(document: Document) -> Response:
    """Return the document's bytes to download, with its sniffed type and a safe name."""
    name = document.filename
    disposition = (
        f'attachment; filename="{rules.ascii_filename(name)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": disposition},
    )


@router.post("/arenden/{case_number}/dokument")
def upload(
    request: Request, session: SessionDep, user: CaseHandler, case: CurrentCase, form: FormDep
) -> Response:
    """Store an uploaded document, or show the case again with the error next to the field."""
    attempt = Attempt(session)
    with attempt:
        data = DocumentCreate.from_text(
            {
                "title": forms.text(form, "title"),
                "kind": forms.text(form, "kind"),
                "journal_entry": forms.text(form, "journal_entry"),
            }
        )
        filename, content = _file(form)
        documents.create(
            session, actor=user, case=case, data=data, filename=filename, content=content
        )
    if attempt.refused:
        context = {**page_context(session, user, case), "documents_failed": True}
        return refused_page(request, "case.html", context, attempt.errors, form)
    request.session["flash"] = f"Dokumentet {data.title!r} är sparat."
    return RedirectResponse(f"/arenden/{case.case_number}#dokument", status_code=303)


@router.get("/arenden/{case_number}/dokument/{document_id}")
def download(
    session: SessionDep, user: CaseHandler, case: CurrentCase, document_id: RowId
) -> Response:
    """Return a document as an attachment (the read is audited)."""
    document = documents.get(
        session, actor=user, case=case, document_id=document_id, purpose=CASE_PURPOSE
    )
    return attachment(document)
