"""Documents on the desk and in the API: upload, list, download; refusals store nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from barnskydd.audit.models import AuditEntry
from barnskydd.core.db import make_engine
from barnskydd.core.settings import Settings
from barnskydd.documents.models import Document
from tests.documents import samples
from tests.web.conftest import TestClient, login, token
from tests.web.test_api import API, caller
from tests.web.test_api import register as api_register
from tests.web.test_pages import count, register

MB = 1000 * 1000


def upload(
    client: TestClient, number: str, name: str, content: bytes, **fields: str
) -> httpx.Response:
    """Post the desk's upload form (multipart) with the case page's CSRF token."""
    data = {"csrf_token": token(client, f"/arenden/{number}"), "title": "Läkarintyg", **fields}
    return client.post(
        f"/arenden/{number}/dokument",
        data=data,
        files={"file": (name, content, "application/pdf")},
        follow_redirects=False,
    )


def _entries(settings: Settings, action: str) -> int:
    return count_where(settings, AuditEntry.entity == "document", AuditEntry.action == action)


def count_where(settings: Settings, *where: Any) -> int:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(AuditEntry).where(*where))
    engine.dispose()
    return total or 0


def test_an_uploaded_pdf_is_listed_and_downloaded_as_an_attachment(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    content = samples.pdf()
    response = upload(client, number, "Läkarintyg för Saga.pdf", content, kind="incoming")
    assert response.status_code == 303
    assert response.headers["location"] == f"/arenden/{number}#dokument"
    page = client.get(f"/arenden/{number}").text
    assert "Läkarintyg för Saga.pdf (PDF, 1 kB)" in page
    link = page.split(f'<a href="/arenden/{number}/dokument/', 1)[1].split('"', 1)[0]
    file = client.get(f"/arenden/{number}/dokument/{link}")
    assert file.status_code == 200
    assert file.content == content
    assert file.headers["content-type"] == "application/pdf"
    assert file.headers["x-content-type-options"] == "nosniff"
    assert file.headers["content-disposition"] == (
        'attachment; filename="Lakarintyg for Saga.pdf"; '
        "filename*=UTF-8''L%C3%A4karintyg%20f%C3%B6r%20Saga.pdf"
    )
    assert _entries(settings, "read") == 1
    assert _entries(settings, "create") == 1


def test_a_mislabelled_file_is_refused_next_to_the_field_and_nothing_is_stored(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    for name, content, said in (
        ("intyg.pdf", b"<html><body>inte en pdf</body></html>", "Bara PDF, JPEG och PNG"),
        ("bild.pdf", samples.png(), "Filen är en PNG-bild men namnet slutar på .pdf."),
        ("tom.pdf", b"", "Filen är tom."),
    ):
        response = upload(client, number, name, content)
        assert response.status_code == 422, name
        assert '<p class="error" id="document-file-fel">' + said in response.text
        assert 'value="Läkarintyg"' in response.text  # the title is kept
    assert count(settings, Document) == 0
    assert _entries(settings, "create") == 0


def test_a_title_with_html_is_refused_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    response = upload(client, number, "intyg.pdf", samples.pdf(), title="<b>Intyg</b>")
    assert response.status_code == 422
    assert 'id="document-title-fel">Rubriken får inte innehålla HTML' in response.text
    assert count(settings, Document) == 0


def test_a_21_mb_file_is_refused_in_swedish_and_a_25_mb_upload_is_a_413(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    big = samples.pdf() + b"\n%" + b"x" * (21 * MB)
    refused = upload(client, number, "stor.pdf", big)
    assert refused.status_code == 422
    assert 'id="document-file-fel">Filen är för stor (högst 20 MB).' in refused.text
    huge = upload(client, number, "jättestor.pdf", b"x" * (25 * MB))
    assert huge.status_code == 413
    assert "Filen är för stor (högst 20 MB)." in huge.text
    assert count(settings, Document) == 0


def test_other_forms_keep_the_1_mib_limit(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client)
    data = {"csrf_token": token(client, f"/arenden/{number}"), "notes": "x" * (2 * MB)}
    response = client.post(f"/arenden/{number}/steg/assess_protection", data=data)
    assert response.status_code == 413
    assert "högst 1 MiB" in response.text


def test_an_upload_without_the_csrf_token_is_refused(
    client: TestClient, settings: Settings
) -> None:
    login(client, "handlaggare")
    number = register(client)
    response = client.post(
        f"/arenden/{number}/dokument",
        data={"title": "Intyg"},
        files={"file": ("intyg.pdf", samples.pdf(), "application/pdf")},
    )
    assert response.status_code == 403
    assert count(settings, Document) == 0


def test_the_api_uploads_lists_and_downloads_with_a_purpose(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = api_register(api)
    path = f"{API}/cases/{number}/documents"
    created = client.post(
        path,
        data={"title": "Teckning", "kind": "incoming"},
        files={"file": ("teckning.png", samples.png(), "image/png")},
        headers=api.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["media_type"] == "image/png"
    assert body["filename"] == "teckning.png"
    assert created.headers["location"].endswith(f"{path}/{body['id']}")
    listed = client.get(path, params={"purpose": "utredning"})
    assert [d["id"] for d in listed.json()] == [body["id"]]
    file = client.get(f"{path}/{body['id']}", params={"purpose": "utredning"})
    assert file.content == samples.png()
    assert file.headers["content-type"] == "image/png"
    assert file.headers["content-disposition"].startswith('attachment; filename="teckning.png"')
    assert count_where(settings, AuditEntry.entity == "document", AuditEntry.action == "read") == 1
    assert client.get(f"{path}/{body['id']}").status_code == 422  # no purpose, no read


def test_the_api_refuses_a_mislabelled_or_huge_file_by_field(
    client: TestClient, settings: Settings
) -> None:
    api = caller(client, "handlaggare")
    number = api_register(api)
    path = f"{API}/cases/{number}/documents"
    for content, status in ((b"<html>x</html>", 422), (b"x" * (25 * MB), 413)):
        refused = client.post(
            path,
            data={"title": "Intyg"},
            files={"file": ("intyg.pdf", content, "application/pdf")},
            headers=api.headers,
        )
        assert refused.status_code == status
        assert set(refused.json()["errors"]) == {"file"}
    missing = client.post(path, data={"title": ""}, headers=api.headers)
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) >= {"file", "title"}
    assert count(settings, Document) == 0


def test_a_journal_entry_that_is_not_the_cases_is_refused_next_to_its_field(
    client: TestClient, settings: Settings
) -> None:
    """The desk and the API: garbage, an unknown entry; the error names journal_entry."""
    login(client, "handlaggare")
    number = register(client)
    for garbage in ("inte-ett-id", "0", "999999"):
        response = upload(client, number, "intyg.pdf", samples.pdf(), journal_entry=garbage)
        assert response.status_code == 422, garbage
        assert 'id="document-journal_entry-fel"' in response.text, garbage
    api = caller(client, "handlaggare")
    api_number = api_register(api)
    for garbage in ("inte-ett-id", "999999"):
        refused = client.post(
            f"{API}/cases/{api_number}/documents",
            data={"title": "Intyg", "journal_entry": garbage},
            files={"file": ("intyg.pdf", samples.pdf(), "application/pdf")},
            headers=api.headers,
        )
        assert refused.status_code == 422, garbage
        assert set(refused.json()["errors"]) == {"journal_entry"}, garbage
    assert count(settings, Document) == 0
    assert _entries(settings, "create") == 0
