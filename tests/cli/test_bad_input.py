"""Every command refuses bad input with exit 2 and a Swedish message naming the option.

No traceback (the command exits, it does not crash), and nothing written: no row in the
database, no file or directory where the command would have written. The step commands
(`barnskydd case ...`) are tested with the steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.models import Case
from barnskydd.cli import app
from barnskydd.core.db import make_engine
from barnskydd.core.settings import get_settings
from tests.cli.test_cli_chain import UNIT, _count
from tests.cli.test_cli_chain import db as db  # the fixture

runner = CliRunner()
SWEDISH = re.compile(r"[åäöÅÄÖ]|ange |finns inte|inte ")
REPORT = ["report", "register", "--child", "201509169874", "--first-name", "Saga",
          "--last-name", "Lind", "--reporter", "school", "--concern", "neglect",
          "--unit", UNIT, "--as", "anna"]  # fmt: skip
RECEIVED = ["--received", "2025-06-01T10:00"]

# (the arguments, what the message must name); none may write anything.
CASES: list[tuple[list[str], str]] = [
    (["law", "deadlines", "--received", "9999-12-20"], "--received"),
    (["law", "deadlines", "--received", "2100-12-20"], "--received"),
    (["law", "deadlines", "--received", "1900-01-01"], "--received"),
    (
        ["law", "deadlines", "--received", "2025-07-01", "--investigation-start", "9999-01-01"],
        "--investigation-start",
    ),
    (["stats", "release", "--protection", "dp", "--epsilon", "inf"], "--epsilon"),
    (["stats", "release", "--protection", "dp", "--epsilon", "nan"], "--epsilon"),
    (["stats", "release", "--protection", "dp", "--epsilon", "-1"], "--epsilon"),
    (["stats", "release", "--protection", "dp", "--epsilon", "0"], "--epsilon"),
    (["stats", "release", "--protection", "dp", "--epsilon", "1e308"], "--epsilon"),
    (["stats", "release", "--threshold", "0"], "--threshold"),
    (["stats", "release", "--threshold", str(2**70)], "--threshold"),
    (["db", "upgrade", "nosuchrevision"], "REVISION"),
    (["db", "upgrade", "heads+5"], "REVISION"),
    (["synth", "generate", "--municipality", "0882", "--scale", "nan"], "--scale"),
    (["synth", "generate", "--municipality", "0882", "--scale", "inf"], "--scale"),
    (["synth", "generate", "--municipality", "0882", "--scale", "0"], "--scale"),
    (["synth", "generate", "--municipality", "0882", "--seed", str(2**70)], "--seed"),
    (["synth", "generate", "--municipality", "0882", "--from", "0001-01-01"], "--from"),
    (["synth", "generate", "--municipality", "0882", "--to", "9999-12-31"], "--to"),
    ([*REPORT, "--received", "9999-12-31T23:59"], "--received"),
    ([*REPORT, "--received", "0001-01-01T00:10"], "--received"),
    ([*REPORT[:5], "Saga\udcff", *REPORT[6:], *RECEIVED], "first_name"),
    (
        ["lookup", "credentials", "--municipality", "abc", "--key-out", "{tmp}/k.json"],
        "--municipality",
    ),
    (["lookup", "expire", "--database-url", "inte en url"], "--database-url"),
    (["lookup", "serve", "--rate", "nan", "--municipalities", "{tmp}/none.json"], "--rate"),
    (["lookup", "serve", "--burst", "0", "--municipalities", "{tmp}/none.json"], "--burst"),
    (["lookup", "serve", "--municipalities", "{tmp}/none.json"], "--municipalities"),
    (["lookup", "run", "--interval", "inf"], "--interval"),
    (["pseudonymiser", "rotate", "--keys", "{tmp}/none.json"], "--keys"),
    (
        ["pseudonymiser", "rotate", "--transition-days", str(10**12), "--keys", "{tmp}/none.json"],
        "--transition-days",
    ),
    (["pseudonymiser", "serve", "--daily", "-5", "--keys", "{tmp}/none.json"], "--daily"),
    (["demo", "--seed", "-1", "--no-serve"], "--seed"),
    (["demo-national", "--scale", "inf", "--directory", "{tmp}/national"], "--scale"),
    (["serve", "--workers", "1000"], "--workers"),
]


@pytest.fixture
def workdir(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty directory to run in, so that a command writing to var/ would be seen."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work
    get_settings.cache_clear()


def _files(root: Path) -> set[Path]:
    """Every file and directory under root, SQLite's passing -wal and -shm files left out."""
    return {p for p in root.rglob("*") if not p.name.endswith(("-wal", "-shm", "-journal"))}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


@pytest.mark.parametrize(("args", "option"), CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_bad_input_exits_2_with_a_swedish_message_and_writes_nothing(
    db: str, workdir: Path, tmp_path: Path, args: list[str], option: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] == "stats" and args[1] == "release":
        args += ["--extracts", str(tmp_path / "extracts"), "--out", str(tmp_path / "release")]
    before = (_count(db, Case), _count(db, AuditEntry), _tables(db), _files(tmp_path))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)  # an exit, not a crash with a traceback
    assert "Traceback" not in result.output
    assert option in result.stderr, result.stderr
    assert SWEDISH.search(result.stderr), result.stderr
    assert (_count(db, Case), _count(db, AuditEntry), _tables(db), _files(tmp_path)) == before


def test_db_upgrade_to_an_unknown_revision_creates_no_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["db", "upgrade", "0000deadbeef"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "0000deadbeef" in result.stderr
    assert _tables(url) == set()
