"""Registerutdrag on the desk: register a request, see it in the inbox, review it, get the PDF."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from barnskydd.core.clock import today
from barnskydd.extract.rules import extended_due
from tests.factories import CHILD_PNR
from tests.web.conftest import TestClient, login, token
from tests.web.test_pages import register

FREE_TEXT = "Syntetisk anmälan för test."


def _request(client: TestClient, **fields: str) -> object:
    data = {
        "csrf_token": token(client, "/registerutdrag"),
        "identity": CHILD_PNR,
        "received_on": "2025-06-19",
        "requester": "self",
        **fields,
    }
    return client.post("/registerutdrag", data=data, follow_redirects=False)


def test_a_request_is_reviewed_and_produced_on_the_desk(client: TestClient) -> None:
    login(client, "handlaggare")
    number = register(client, reporter_name="Rut Reporter")
    login(client, "arbetsledare")
    response = _request(client)
    assert response.status_code == 303  # type: ignore[attr-defined]
    review_url = response.headers["location"]  # type: ignore[attr-defined]
    assert "Registerutdrag nr" in client.get("/").text  # the inbox shows the deadline
    page = client.get(review_url).text
    assert number in page
    assert FREE_TEXT in page  # the reviewer sees the content
    pdf_url = f"{review_url}/utdrag.pdf"
    assert client.get(pdf_url).status_code == 409  # not reviewed yet
    choices = dict(
        re.findall(r'<select id="(item:[^"]+)".*?<option value="([^"]+)" selected', page, re.S)
    )
    report_key = next(k for k in choices if re.fullmatch(r"item:report:\d+", k))
    choices[report_key] = "osl_26_1"
    form = {"csrf_token": token(client, review_url), **choices}
    saved = client.post(f"{review_url}/granskning", data=form, follow_redirects=False)
    assert saved.status_code == 303
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # justified: many spaces
    assert number in text
    assert FREE_TEXT not in text
    assert "Rut Reporter" not in text
    assert "26 kap. 1 §" in text


def test_a_guardians_request_without_the_custody_check_is_refused_by_the_field(
    client: TestClient,
) -> None:
    login(client, "arbetsledare")
    response = _request(client, requester="guardian")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert 'id="custody_checked-fel"' in response.text  # type: ignore[attr-defined]
    response = _request(client, identity="20150916-9875")
    assert 'id="identity-fel"' in response.text  # type: ignore[attr-defined]


def test_a_case_worker_is_refused_the_extract_pages(client: TestClient) -> None:
    login(client, "handlaggare")
    assert client.get("/registerutdrag").status_code == 403


def test_the_deadline_is_extended_on_the_desk_and_the_inbox_shows_it(client: TestClient) -> None:
    login(client, "handlaggare")
    register(client)
    login(client, "arbetsledare")
    received = today().isoformat()
    review_url = _request(client, received_on=received).headers["location"]  # type: ignore[attr-defined]
    page = client.get(review_url).text
    assert 'id="forlangning"' in page
    bad = client.post(
        f"{review_url}/forlangning",
        data={"csrf_token": token(client, review_url), "reason": "", "told_on": received},
    )
    assert bad.status_code == 422
    assert 'id="forlang-reason-fel"' in bad.text
    late = client.post(
        f"{review_url}/forlangning",
        data={"csrf_token": token(client, review_url), "reason": "Många handlingar.",
              "told_on": "2000-01-01"},
    )  # fmt: skip
    assert late.status_code == 422
    assert 'id="forlang-told_on-fel"' in late.text
    done = client.post(
        f"{review_url}/forlangning",
        data={"csrf_token": token(client, review_url), "reason": "Många handlingar.",
              "told_on": received},
    )  # fmt: skip
    assert done.status_code == 200
    assert "Tidsfristen är förlängd med två månader." in done.text
    assert 'id="forlangning"' not in done.text  # once only
    inbox = client.get("/").text
    assert "Förlängd med två månader" in inbox
    assert extended_due(today()).isoformat() in inbox
