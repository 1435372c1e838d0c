"""barnskydd person ...: the extract's JSON contract, the request, the review and the PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from barnskydd.audit.models import AuditEntry
from barnskydd.core.actor import Role
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.extract.models import ExtractRequest
from barnskydd.extract.rules import extended_due
from barnskydd.staff import service as staff
from barnskydd.staff.models import Unit
from tests.cli.test_cli_chain import REGISTER, UNIT, _count, _run
from tests.cli.test_cli_chain import db as chain_db  # noqa: F401  (a fixture)

SIBLING = "20120512-9271:Elis:Lind"
CHILD = "20150916-9874"
SIBLING_TEXT = "Elis ritade hemmet: syskonets egen anteckning."
CHILD_TEXT = "Saga berättade om skolan."


@pytest.fixture
def db(chain_db: str) -> str:  # noqa: F811  (the fixture)
    """The chain's database with a team lead in the unit."""
    engine = make_engine(chain_db)
    with transaction(session_factory(engine)) as session:
        unit = session.query(Unit).filter(Unit.name == UNIT).one()
        staff.create(
            session, username="lisa", display_name="Lisa", role=Role.TEAM_LEAD, unit_id=unit.id
        )
    engine.dispose()
    return chain_db


def _family() -> tuple[str, str]:
    code, out, err = _run(*REGISTER, "--sibling", SIBLING)
    assert code == 0, err
    lines = out.splitlines()
    number, sibling = lines[0].split()[1], lines[-1].split()[1]
    for case, text in ((number, CHILD_TEXT), (sibling, SIBLING_TEXT)):
        code, _, err = _run(
            "journal", "add", case, "--kind", "child_talk", "--at", "2025-06-20T10:00",
            "--minutes", "30", "--child-alone", "--text", text, "--as", "anna",
        )  # fmt: skip
        assert code == 0, err
    return number, sibling


def _extract(*extra: str, user: str = "lisa") -> tuple[int, str, str]:
    return _run(
        "person",
        "extract",
        "--identity",
        CHILD,
        "--purpose",
        "registerutdrag",
        "--as",
        user,
        *extra,
    )


def test_the_json_holds_every_item_of_the_person_and_nothing_of_the_sibling(db: str) -> None:
    number, sibling = _family()
    code, out, err = _extract("--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["identity"] == CHILD
    kinds = {item["kind"] for item in data["items"]}
    assert {"child", "case", "report", "journal_entry", "audit_entry"} <= kinds
    assert CHILD_TEXT in out
    assert number in out
    for other in ("20120512-9271", "120512-9271", "201205129271", SIBLING_TEXT, sibling, "Elis"):
        assert other not in out
    assert {"kind", "date", "text", "fields"} <= data["items"][0].keys()


def test_an_invalid_identity_number_exits_2_naming_it(db: str) -> None:
    code, _, err = _run(
        "person", "extract", "--identity", "20150916-9875", "--json", "--purpose", "x",
        "--as", "lisa",
    )  # fmt: skip
    assert code == 2
    assert "--identity" in err


def test_a_case_worker_is_refused_and_the_refusal_audited(db: str) -> None:
    _family()
    before = _count(db, AuditEntry)
    code, out, err = _extract("--json", user="anna")
    assert code == 4
    assert out == ""
    assert "arbetsledare" in err
    assert _count(db, AuditEntry) == before + 1


def test_request_review_and_pdf_from_the_command_line(db: str, tmp_path: Path) -> None:
    _family()
    code, out, err = _run(
        "person", "request", "--identity", CHILD, "--received", "2025-06-25", "--as", "lisa"
    )
    assert code == 0, err
    assert "2025-07-25" in out
    request = out.strip().splitlines()[-1]
    pdf = tmp_path / "utdrag.pdf"
    code, _, err = _extract("--request", request, "--out", str(pdf))
    assert code == 2  # nothing reviewed yet
    assert "granska" in err
    code, out, err = _extract("--request", request, "--json")
    entry = next(i["key"] for i in json.loads(out)["items"] if i["kind"] == "journal_entry")
    code, _, err = _run(
        "person", "review", request, "--purpose", "registerutdrag", "--proposed",
        "--withhold", f"{entry}=osl_12_3", "--as", "lisa",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = _extract("--request", request, "--out", str(pdf))
    assert code == 0, err
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split()
    )  # justified lines: spaces vary
    assert "Registerutdrag" in text
    assert CHILD_TEXT not in text
    assert SIBLING_TEXT not in text
    assert "12 kap. 3 §" in text
    code, out, err = _run("person", "requests", "--json", "--as", "lisa")
    assert (code, json.loads(out)) == (0, [])
    assert _count(db, ExtractRequest) == 1


def test_the_deadline_is_extended_from_the_command_line_and_listed_so(db: str) -> None:
    _family()
    received = today().isoformat()
    code, out, err = _run(
        "person", "request", "--identity", CHILD, "--received", received, "--as", "lisa"
    )
    assert code == 0, err
    request = out.strip().splitlines()[-1]
    extend = ["person", "extend", request, "--reason", "Många handlingar.", "--as", "lisa"]
    code, _, err = _run(*extend, "--told", "2000-01-01")
    assert code == 2
    assert "--told" in err
    code, out, err = _run(*extend, "--told", received)
    assert code == 0, err
    assert out.strip().splitlines()[-1] == extended_due(today()).isoformat()
    code, _, err = _run(*extend, "--told", received)
    assert code == 2  # once only
    code, out, err = _run("person", "requests", "--json", "--as", "lisa")
    [row] = json.loads(out)
    assert (row["due"], row["extended"]) == (extended_due(today()).isoformat(), True)
