"""The municipality's extract from the case chain: valid schema v1, nothing identifying."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import InterventionCategory, LegalBasis, PreliminaryOutcome
from barnskydd.cli import app
from barnskydd.core.actor import SYSTEM, Actor, Role
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.core.settings import get_settings
from barnskydd.stats import extract
from barnskydd.stats.schema import read_extract
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR, registered_case, take, unit_and_worker

KEY = b"k" * 32


def _chain(session: Session) -> None:
    unit_id, actor = unit_and_worker(session)
    opened = registered_case(session, unit_id, actor)
    take(
        session,
        Step.ASSESS_PROTECTION,
        actor=actor,
        case_id=opened.id,
        assessed_at=dt.datetime(2025, 6, 19, 12, 0, tzinfo=SWEDEN),
        immediate_protection_needed=False,
    )
    take(
        session,
        Step.DECIDE_PRELIMINARY,
        actor=actor,
        case_id=opened.id,
        decided_on=dt.date(2025, 7, 4),
        outcome=PreliminaryOutcome.INVESTIGATION_OPENED,
    )
    take(
        session,
        Step.DECIDE_INTERVENTION,
        actor=actor,
        case_id=opened.id,
        category=InterventionCategory.SIS_SECURE,
        legal_basis=LegalBasis.LVU,
        decided_on=dt.date(2025, 7, 10),
    )
    registered_case(
        session,
        unit_id,
        actor,
        child_identity=OTHER_CHILD_PNR,
        received_at=dt.datetime(2025, 8, 1, 9, 0, tzinfo=SWEDEN),
    )
    registered_case(
        session, unit_id, actor, received_at=dt.datetime(2025, 9, 1, 9, 0, tzinfo=SWEDEN)
    )


def test_the_extract_is_valid_schema_v1_and_holds_no_identity(
    session: Session, tmp_path: Path
) -> None:
    _chain(session)
    out = tmp_path / "1480.parquet"
    result = extract.create(session, actor=SYSTEM, out=out, key=KEY)
    assert result.rows == 3
    table = read_extract(out, municipality_codes=["1480"])
    rows = sorted(table.to_pylist(), key=lambda r: r["received_month"])
    first, second, third = rows
    assert first["received_month"] == "2025-06"
    assert first["preliminary_outcome"] == "investigation_opened"
    assert first["preliminary_on_time"] is False  # decided 4 July, due 3 July
    assert first["investigation_outcome"] == "ongoing"
    assert first["investigation_on_time"] is None
    assert first["interventions"] == ["sis_secure"]
    assert first["lvu"] is True
    assert first["child_age"] == 9
    assert second["preliminary_outcome"] == "pending"
    assert second["preliminary_on_time"] is None
    assert first["child_key"] == third["child_key"] != second["child_key"]
    assert first["child_key"] == extract.child_key(KEY, CHILD_PNR.replace("-", ""))
    text = out.read_bytes()
    for number in (CHILD_PNR, OTHER_CHILD_PNR):
        digits = number.replace("-", "")
        assert digits.encode() not in text
        assert digits[2:].encode() not in text
    assert b"Saga" not in text
    assert b"Syntetisk" not in text
    assert b"BU-2025" not in text


def test_the_month_filter_keeps_only_reports_in_range(session: Session, tmp_path: Path) -> None:
    _chain(session)
    result = extract.create(
        session,
        actor=SYSTEM,
        out=tmp_path / "x.parquet",
        key=KEY,
        from_month="2025-08",
        to_month="2025-08",
    )
    assert result.rows == 1
    assert pq.read_table(tmp_path / "x.parquet").column("received_month").to_pylist() == ["2025-08"]


@pytest.mark.parametrize(("start", "end"), [("2025-13", None), ("2025-09", "2025-08")])
def test_a_bad_month_range_is_refused_and_no_file_is_written(
    session: Session, tmp_path: Path, start: str, end: str | None
) -> None:
    with pytest.raises(InvalidInput):
        extract.create(
            session,
            actor=SYSTEM,
            out=tmp_path / "x.parquet",
            key=KEY,
            from_month=start,
            to_month=end,
        )
    assert not (tmp_path / "x.parquet").exists()


def test_a_case_worker_cannot_take_out_statistics(session: Session, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        extract.create(
            session,
            actor=Actor(username="anna", role=Role.CASE_WORKER),
            out=tmp_path / "x.parquet",
            key=KEY,
        )


def test_the_key_is_created_private_once_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "var" / "statistics.key"
    with pytest.raises(InvalidInput, match="keygen"):
        extract.load_or_create_key(path, create=False)
    key = extract.load_or_create_key(path, create=True)
    assert len(key) == extract.KEY_BYTES
    assert path.stat().st_mode & 0o777 == 0o600
    assert extract.load_or_create_key(path, create=False) == key


def test_the_extract_command_writes_a_file_the_release_accepts(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    monkeypatch.setenv("BARNSKYDD_STATISTICS_KEY_FILE", str(tmp_path / "stats.key"))
    monkeypatch.setenv("BARNSKYDD_MUNICIPALITY_CODE", "1480")  # records it in the empty database
    get_settings.cache_clear()
    runner = CliRunner()
    out = tmp_path / "extracts" / "1480.parquet"
    result = runner.invoke(app, ["stats", "extract", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "Skrev 0 anmälningar" in result.stdout
    assert read_extract(out, municipality_codes=["1480"]).num_rows == 0
    bad = runner.invoke(app, ["stats", "extract", "--out", str(out), "--from", "maj"])
    assert bad.exit_code == 2
    assert "--from" in bad.stderr
    get_settings.cache_clear()
