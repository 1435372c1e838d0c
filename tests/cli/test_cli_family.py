"""The family from the command line: guardian add, list, remove; report register --sibling."""

from __future__ import annotations

import json

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.people.models import Guardian
from tests.cli.test_cli_chain import REGISTER, _count, _run, db  # noqa: F401  (db: a fixture)

SIBLING = "20120512-9271:Elis:Lind"


def _register(*extra: str) -> tuple[int, str, str]:
    return _run(*REGISTER, *extra)


def test_guardian_add_list_remove(db: str) -> None:  # noqa: F811  (the fixture)
    code, out, _ = _register()
    number = out.split()[1]
    code, out, err = _run(
        "guardian", "add", number, "--identity", "19850412-4564", "--first-name", "Lena",
        "--last-name", "Lind", "--relation", "mother", "--phone", "070-123 45 67",
        "--interpreter", "ti", "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    guardian_id = out.strip().splitlines()[-1]
    assert guardian_id.isdigit()
    code, out, err = _run(
        "guardian", "list", number, "--json", "--purpose", "handläggning", "--as", "anna"
    )
    assert code == 0, err
    (listed,) = json.loads(out)
    assert (listed["id"], listed["custody"], listed["interpreter"]) == (
        int(guardian_id),
        True,
        "ti",
    )
    assert _count(db, AuditEntry) > 0
    code, _, err = _run("guardian", "remove", number, guardian_id, "--as", "anna")
    assert code == 0, err
    assert _count(db, Guardian) == 0


def test_guardian_add_with_an_invalid_identity_exits_2_naming_the_option(db: str) -> None:  # noqa: F811
    _, out, _ = _register()
    number = out.split()[1]
    code, _, err = _run(
        "guardian", "add", number, "--identity", "19850412-4563", "--first-name", "Lena",
        "--last-name", "Lind", "--relation", "mother", "--as", "anna",
    )  # fmt: skip
    assert code == 2
    assert "--identity" in err
    assert "Kontrollsiffran" in err
    assert _count(db, Guardian) == 0


def test_report_register_with_a_sibling_prints_both_cases(db: str) -> None:  # noqa: F811
    code, out, err = _register("--sibling", SIBLING)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Registrerad: BU-")
    assert lines[-1].startswith("Syskon: BU-")
    assert _count(db, Case) == 2


def test_one_bad_sibling_writes_nothing(db: str) -> None:  # noqa: F811
    code, _, err = _register("--sibling", SIBLING, "--sibling", "19900101-0017:Åke:Lind")
    assert code == 2
    assert "siblings.1.identity" in err
    assert _count(db, Case) == 0
    code, _, err = _register("--sibling", "Elis Lind")
    assert code == 2
    assert "--sibling" in err
