"""barnskydd synth generate, demo and summary, run as a user would run them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from barnskydd.cases.models import Case
from barnskydd.cli import demo, synth
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings

runner = CliRunner()
TINY = "2403"  # Bjurholm: about 90 reports a year
IDENTITY_NUMBER = re.compile(r"\d{6}[-+R]?\d{3}")


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database configured for the CLI."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _cases(url: str) -> int:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        count = session.scalar(select(func.count(Case.id))) or 0
    engine.dispose()
    return count


def test_synth_generate_fills_the_configured_database(db: str) -> None:
    result = runner.invoke(
        synth.app,
        ["generate", "--municipality", "0483", "--from", "2025-03-01", "--to", "2025-06-01",
         "--seed", "5", "--scale", "0.05"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Anmälningar:" in result.stdout
    assert _cases(db) > 0
    assert not IDENTITY_NUMBER.search(result.stdout)


def test_synth_generate_refuses_a_bad_date_and_writes_nothing(db: str) -> None:
    result = runner.invoke(synth.app, ["generate", "--municipality", "0483", "--to", "juni"])
    assert result.exit_code == 2
    assert _cases(db) == 0


def test_synth_generate_refuses_an_unknown_municipality(db: str) -> None:
    result = runner.invoke(synth.app, ["generate", "--municipality", "9999", "--scale", "0.01"])
    assert result.exit_code == 2
    assert "kommunkod" in result.stderr
    assert _cases(db) == 0


def test_demo_generates_once_then_summarises(db: str) -> None:
    first = runner.invoke(demo.app, ["demo", "--municipality", TINY, "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "Skapar en syntetisk kommun" in first.stdout
    for expected in ("Anmälningar:", "Ärenden per status:", "Demokonton:", "handlaggare"):
        assert expected in first.stdout
    assert not IDENTITY_NUMBER.search(first.stdout)
    created = _cases(db)

    again = runner.invoke(demo.app, ["demo", "--municipality", TINY, "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "Skapar" not in again.stdout
    assert _cases(db) == created

    summary = runner.invoke(demo.app, ["summary"])
    assert summary.exit_code == 0, summary.output
    assert f"Anmälningar: {created} om" in summary.stdout


def test_demo_reset_starts_over_on_sqlite_only(db: str) -> None:
    runner.invoke(demo.app, ["demo", "--municipality", TINY, "--seed", "1", "--no-serve"])
    result = runner.invoke(
        demo.app, ["demo", "--municipality", TINY, "--seed", "2", "--reset", "--no-serve"]
    )
    if db.startswith("sqlite"):
        assert result.exit_code == 0, result.output
        assert "Skapar en syntetisk kommun" in result.stdout
    else:
        assert result.exit_code == 2
        assert "SQLite" in result.stderr
