"""barnskydd document add / list / get: the contracts of issue 11 and what they refuse."""

from __future__ import annotations

import json
from pathlib import Path

from barnskydd.audit.models import AuditEntry
from barnskydd.documents.models import Document
from tests.cli.test_cli_chain import REGISTER, _count, _run, db  # noqa: F401  (db: the fixture)
from tests.documents import samples


def _case() -> str:
    code, out, err = _run(*REGISTER)
    assert code == 0, err
    return out.split("Registrerad: ")[1].split()[0]


def test_a_document_is_added_listed_and_got_back(db: str, tmp_path: Path) -> None:  # noqa: F811
    number = _case()
    source = tmp_path / "Läkarintyg.pdf"
    source.write_bytes(samples.pdf())
    code, out, err = _run(
        "document", "add", number, str(source), "--title", "Intyg", "--as", "anna"
    )
    assert code == 0, err
    document_id = out.strip().splitlines()[-1]
    assert document_id.isdigit()
    code, out, err = _run(
        "document", "list", number, "--json", "--purpose", "utredning", "--as", "anna"
    )
    assert code == 0, err
    [listed] = json.loads(out)
    assert listed["id"] == int(document_id)
    assert (listed["title"], listed["filename"]) == ("Intyg", "Läkarintyg.pdf")
    assert (listed["media_type"], listed["kind"]) == ("application/pdf", "incoming")
    assert "content" not in listed
    target = tmp_path / "ut.pdf"
    code, out, err = _run(
        "document", "get", number, document_id, "--out", str(target),
        "--purpose", "utredning", "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    assert target.read_bytes() == source.read_bytes()
    code, _, err = _run(
        "document", "get", number, document_id, "--out", str(target),
        "--purpose", "utredning", "--as", "anna",
    )  # fmt: skip
    assert code == 2
    assert "finns redan" in err
    assert _count(db, AuditEntry) > 0


def test_a_mislabelled_or_missing_file_exits_2_and_stores_nothing(
    db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    number = _case()
    fake = tmp_path / "intyg.pdf"
    fake.write_text("<html><body>inte en pdf</body></html>")
    code, _, err = _run("document", "add", number, str(fake), "--title", "Intyg", "--as", "anna")
    assert code == 2
    assert err.startswith("fel: FILE: Bara PDF, JPEG och PNG kan laddas upp")
    code, _, err = _run(
        "document", "add", number, str(tmp_path / "saknas.pdf"), "--title", "Intyg", "--as", "anna"
    )
    assert code == 2
    assert "finns inte" in err
    code, _, err = _run("document", "add", number, str(fake), "--title", "", "--as", "anna")
    assert code == 2
    assert "--title" in err
    assert _count(db, Document) == 0


def test_an_unknown_document_or_case_exits_3(db: str, tmp_path: Path) -> None:  # noqa: F811
    number = _case()
    for case_number, document_id in ((number, "999"), ("BU-1999-999999", "1")):
        code, _, err = _run(
            "document", "get", case_number, document_id, "--out", str(tmp_path / "x.pdf"),
            "--purpose", "utredning", "--as", "anna",
        )  # fmt: skip
        assert code == 3, err
    assert not (tmp_path / "x.pdf").exists()


def test_a_document_is_linked_to_a_journal_entry_of_its_case_or_refused(
    db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    number = _case()
    code, out, err = _run(
        "journal", "add", number, "--kind", "home_visit", "--at", "2025-06-20T10:00",
        "--minutes", "60", "--text", "Syntetiskt hembesök.", "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    entry_id = out.strip().splitlines()[-1]
    source = tmp_path / "foto.png"
    source.write_bytes(samples.png())
    add = ("document", "add", number, str(source), "--title", "Foto", "--as", "anna")
    code, out, err = _run(*add, "--journal-entry", "999999")
    assert code == 2
    assert "--journal-entry: Journalanteckningen finns inte i ärendet." in err
    assert _count(db, Document) == 0
    code, out, err = _run(*add, "--journal-entry", entry_id)
    assert code == 0, err
    code, out, err = _run(
        "document", "list", number, "--json", "--purpose", "utredning", "--as", "anna"
    )
    assert [d["journal_entry_id"] for d in json.loads(out)] == [int(entry_id)]
