"""One municipality, one truth: the database records it; extracts, lookup and commands agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from alembic import command as alembic
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core import migrate
from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.errors import InvalidInput
from barnskydd.core.settings import Mode, Settings, get_settings
from barnskydd.lookup.models import LookupPublication
from barnskydd.staff import deployment
from barnskydd.staff import service as staff
from barnskydd.synth import national
from barnskydd.web.app import create_app
from tests.factories import registered_case, unit_and_worker
from tests.web.conftest import TestClient

KALMAR, GOTEBORG, OSKARSHAMN = "0880", "1480", "0882"
runner = CliRunner()


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI pointed at a fresh database, with no municipality setting."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    monkeypatch.delenv("BARNSKYDD_MUNICIPALITY_CODE", raising=False)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _kalmar_unit(url: str) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        staff.create_unit(session, name="Kalmar: Barn och unga", municipality_code=KALMAR)
    engine.dispose()


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(model)).scalar_one()
    engine.dispose()
    return int(count)


def test_a_synthetic_kalmar_extracts_and_queues_its_lookup_entries_as_kalmar(
    configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_STATISTICS_KEY_FILE", str(tmp_path / "stats.key"))
    get_settings.cache_clear()
    made = runner.invoke(
        app, ["synth", "generate", "--municipality", KALMAR, "--scale", "0.01", "--seed", "3"]
    )
    assert made.exit_code == 0, made.output
    out = tmp_path / "extract.parquet"
    result = runner.invoke(app, ["stats", "extract", "--out", str(out)])
    assert result.exit_code == 0, result.output
    codes = set(pq.read_table(out).column("municipality_code").to_pylist())
    assert codes == {KALMAR}
    # The service layer's hook queued Kalmar's children as the reports came in.
    assert _count(configured, LookupPublication) > 0
    synced = runner.invoke(app, ["lookup", "sync"])
    assert (synced.exit_code, synced.stdout) == (0, "0 poster att publicera.\n")


def test_a_setting_of_another_municipality_is_refused_by_commands_and_the_server(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kalmar_unit(configured)
    assert runner.invoke(app, ["summary"]).exit_code == 0
    monkeypatch.setenv("BARNSKYDD_MUNICIPALITY_CODE", GOTEBORG)
    get_settings.cache_clear()
    for command in (["summary"], ["serve"], ["lookup", "sync"], ["stats", "extract", "--out", "x"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        assert "BARNSKYDD_MUNICIPALITY_CODE är Göteborg (1480)" in result.stderr
        assert "databasen tjänar Kalmar (0880)" in result.stderr
    settings = Settings(mode=Mode.DEMO, database_url=configured, municipality_code=GOTEBORG)
    with pytest.raises(InvalidInput, match=r"1480.*0880"), TestClient(create_app(settings)):
        pass
    agreeing = Settings(mode=Mode.DEMO, database_url=configured, municipality_code=KALMAR)
    with TestClient(create_app(agreeing)) as client:
        assert client.get("/logga-in").status_code == 200


def test_the_setting_records_an_empty_database_and_its_first_unit_must_agree(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_MUNICIPALITY_CODE", KALMAR)
    get_settings.cache_clear()
    assert runner.invoke(app, ["summary"]).exit_code == 0
    made = runner.invoke(app, ["synth", "generate", "--municipality", GOTEBORG, "--scale", "0.01"])
    assert made.exit_code == 2
    assert "Databasen tjänar Kalmar (0880); en enhet i Göteborg (1480) hör inte hit" in made.stderr


def test_a_unit_of_another_municipality_is_refused(session: Session) -> None:
    assert deployment.recorded(session) is None
    unit_and_worker(session)  # Göteborg's first unit records Göteborg
    assert deployment.municipality(session).code == GOTEBORG
    staff.create_unit(session, name="Barn och unga Väster", municipality_code=GOTEBORG)
    with pytest.raises(InvalidInput, match="en enhet i Kalmar"):
        staff.create_unit(session, name="Kalmar: Barn och unga", municipality_code=KALMAR)
    with pytest.raises(InvalidInput, match="byter inte kommun"):
        deployment.set_municipality(session, KALMAR)


def test_the_demo_keeps_its_municipality_and_refuses_another(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(configured)
    with transaction(session_factory(engine)) as session:
        unit = staff.create_unit(session, name="Kalmar: Barn och unga", municipality_code=KALMAR)
        member = staff.create(
            session, username="anna", display_name="A", role=Role.CASE_WORKER, unit_id=unit.id
        )
        registered_case(session, unit.id, staff.actor_for(member))
    engine.dispose()
    refused = runner.invoke(app, ["demo", "--no-serve", "--municipality", OSKARSHAMN])
    assert refused.exit_code == 2
    assert "byggd för Kalmar (0880), inte Oskarshamn (0882)" in refused.stderr
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 0  # Kalmar's, as it was
    monkeypatch.setenv("BARNSKYDD_MUNICIPALITY_CODE", OSKARSHAMN)
    get_settings.cache_clear()
    assert runner.invoke(app, ["demo", "--no-serve"]).exit_code == 2


def _old_database(url: str, units: list[tuple[str, str]]) -> None:
    """A database from before the deployment row, holding these units, migrated to head."""
    alembic.downgrade(migrate.alembic_config(url), "b9b9b1bc0ba3")
    engine = make_engine(url)
    with engine.begin() as conn:
        for name, code in units:
            conn.execute(
                text("INSERT INTO unit (name, municipality_code) VALUES (:n, :c)"),
                {"n": name, "c": code},
            )
    engine.dispose()
    migrate.upgrade(url)


def test_the_migration_takes_the_units_municipality_when_they_agree(
    database_url: str, other_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_database(database_url, [("Centrum", KALMAR), ("Norr", KALMAR)])
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT municipality_code FROM deployment")) == KALMAR
    engine.dispose()

    _old_database(other_database_url, [("Centrum", KALMAR), ("Söder", GOTEBORG)])
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", other_database_url)
    monkeypatch.delenv("BARNSKYDD_MUNICIPALITY_CODE", raising=False)
    get_settings.cache_clear()
    try:
        refused = runner.invoke(app, ["summary"])
        assert refused.exit_code == 2
        assert "enheterna hör till Kalmar (0880), Göteborg (1480))." in refused.stderr
        assert "barnskydd db set-municipality" in refused.stderr
        assert runner.invoke(app, ["db", "set-municipality", "9999"]).exit_code == 2
        done = runner.invoke(app, ["db", "set-municipality", KALMAR])
        assert (done.exit_code, done.stdout) == (0, "Databasen tjänar Kalmar (0880).\n")
        assert runner.invoke(app, ["summary"]).exit_code == 0
        again = runner.invoke(app, ["db", "set-municipality", GOTEBORG])
        assert again.exit_code == 2
        assert "tjänar redan Kalmar (0880)" in again.stderr
    finally:
        get_settings.cache_clear()


def test_demo_nationals_municipalities_each_queue_their_own_children(tmp_path: Path) -> None:
    layout = national.Layout(tmp_path)
    national.setup(layout, scale=0.01, seed=1, moved=1)
    for code in (national.MUNICIPALITY_A, national.MUNICIPALITY_B):
        url = layout.database_url(code)
        assert _count(url, LookupPublication) > 0, code  # the hooks queued its own children
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT municipality_code FROM deployment")) == code
        engine.dispose()


def test_an_unmigrated_database_is_refused_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["summary"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "kör `barnskydd db upgrade` först" in result.stderr
