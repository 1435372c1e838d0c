"""The journal's command-line contract: the commands, the printed id, the JSON keys, exits."""

from __future__ import annotations

import json

from sqlalchemy import select

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.core.db import make_engine
from tests.cli.test_cli_chain import REGISTER, _run, db  # noqa: F401  (the fixture)

KEYS = ["id", "kind", "at", "minutes", "child_alone", "text", "signed_at", "corrects"]


def _case() -> str:
    code, out, err = _run(*REGISTER)
    assert code == 0, err
    return out.split("Registrerad: ")[1].split()[0]


def _journal(*args: str) -> tuple[int, str, str]:
    return _run("journal", *args, "--as", "anna")


def _add(number: str, *extra: str) -> str:
    code, out, err = _journal(
        "add", number, "--kind", "child_talk", "--at", "2025-06-20T09:30", "--minutes", "45",
        "--child-alone", "--text", "Samtal i skolan.", *extra,
    )  # fmt: skip
    assert code == 0, err
    return out.splitlines()[-1]


def _texts(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        texts = list(conn.scalars(select(JournalEntry.text).order_by(JournalEntry.id)))
    engine.dispose()
    return texts


def test_add_sign_correct_and_list_from_the_command_line(db: str) -> None:  # noqa: F811
    number = _case()
    entry_id = _add(number)
    assert entry_id.isdigit()
    assert _journal("edit", number, entry_id, "--text", "Samtal i skolan, rättat.")[0] == 0
    assert _journal("sign", number, entry_id)[0] == 0
    fix = _add(number, "--corrects", entry_id)
    code, out, err = _journal("list", number, "--json", "--purpose", "handläggning")
    assert code == 0, err
    listed = json.loads(out)
    assert [list(item) for item in listed] == [KEYS, KEYS]
    assert [(e["id"], e["corrects"]) for e in listed] == [
        (int(fix), int(entry_id)),
        (int(entry_id), None),
    ]
    first = listed[1]
    assert first["kind"] == "child_talk"
    assert first["minutes"] == 45
    assert first["child_alone"]
    assert first["at"] == "2025-06-20T09:30:00+02:00"
    assert first["signed_at"] is not None
    assert listed[0]["signed_at"] is None
    assert first["text"] == "Samtal i skolan, rättat."


def test_a_signed_entry_is_neither_edited_nor_deleted_and_nothing_changes(db: str) -> None:  # noqa: F811
    number = _case()
    entry_id = _add(number)
    assert _journal("sign", number, entry_id)[0] == 0
    code, _, err = _journal("edit", number, entry_id, "--text", "Ändrad.")
    assert code != 0
    assert "signerad" in err
    code, _, err = _journal("delete", number, entry_id)
    assert code != 0
    assert "signerad" in err
    assert _texts(db) == ["Samtal i skolan."]


def test_an_unsigned_entry_is_deleted(db: str) -> None:  # noqa: F811
    number = _case()
    entry_id = _add(number)
    assert _journal("delete", number, entry_id)[0] == 0
    assert _texts(db) == []


def test_bad_input_exits_2_naming_the_option_and_writes_nothing(db: str) -> None:  # noqa: F811
    number = _case()
    for args, named in (
        (["--minutes", "-5", "--at", "2025-06-20T09:30"], "--minutes: Värdet är för litet"),
        (["--minutes", "6000", "--at", "2025-06-20T09:30"], "--minutes: Värdet är för stort"),
        (["--minutes", "30", "--at", "2025-06-18T09:30"], "före anmälan"),
        (["--minutes", "30", "--at", "2025-02-30T09:30"], "--at: Ange en giltig tidpunkt"),
    ):
        code, _, err = _journal("add", number, "--kind", "phone_call", "--text", "Samtal.", *args)
        assert code == 2, (args, err)
        assert named in err, err
    code, _, err = _journal(
        "add", number, "--kind", "phone_call", "--at", "2025-06-20T09:30", "--minutes", "5",
        "--text", "<b>fet</b>",
    )  # fmt: skip
    assert code == 2
    assert "--text: Texten får inte innehålla HTML" in err
    assert _texts(db) == []


def test_the_list_is_audited_with_its_purpose(db: str) -> None:  # noqa: F811
    number = _case()
    _add(number)
    assert _journal("list", number, "--json", "--purpose", "uppföljning")[0] == 0
    engine = make_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.purpose).where(
                AuditEntry.entity == "journal"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("read", "journal", "uppföljning")]
    code, _, err = _journal("list", number, "--json", "--purpose", "20150916-9874")
    assert code == 2
    assert "--purpose" in err
