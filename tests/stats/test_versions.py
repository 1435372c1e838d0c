"""Extract versions 1 and 2 side by side: early help as its own outcome, the voice table."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy.orm import Session

from barnskydd.core.actor import SYSTEM
from barnskydd.stats import extract, release, synthetic
from barnskydd.stats.schema import VOICE_SCHEMA, ExtractError, read_extracts, voice_path
from barnskydd.voice import service as voice
from barnskydd.voice.codes import VoiceMode, VoiceStatus
from barnskydd.voice.itemset import item_set
from barnskydd.voice.models import ChildVoiceRecord
from tests.factories import unit_and_worker
from tests.stats.conftest import SMALL_SET, report, write_extract
from tests.voice.helpers import case_at_follow_up, follow_up

CODES = ["0114", "0115", "2401", "1480"]
OLD, NEW = SMALL_SET[0], SMALL_SET[1]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One version-1 and one version-2 extract in the same directory."""
    directory = tmp_path_factory.mktemp("mixed")
    synthetic.write_extracts(directory, [OLD], [2023, 2024], seed=3, version=1)
    synthetic.write_extracts(directory, [NEW], [2023, 2024], seed=4, version=2)
    return directory


def test_the_release_reads_an_old_and_a_new_extract_together(mixed: Path, tmp_path: Path) -> None:
    extracts = read_extracts(mixed, municipality_codes=CODES)
    assert {e.path.name: e.version for e in extracts} == {
        f"extract_{OLD.code}.parquet": 1,
        f"extract_{NEW.code}.parquet": 2,
    }
    old, new = extracts
    assert old.voice is None
    assert new.voice is not None
    assert new.voice.num_rows > 0
    outcomes = set(new.table.column("preliminary_outcome").to_pylist())
    assert "early_help_offered" in outcomes
    assert "early_help_offered" not in set(old.table.column("preliminary_outcome").to_pylist())

    exact = release.compute(mixed, threshold=1)  # threshold 1: nothing suppressed
    assert exact.inputs["extract_versions"] == {e.path.name: e.version for e in extracts}
    voice_rows = exact.tables["voice_by_theme"]
    assert sum(int(r["answered"]) for r in voice_rows) == new.voice.num_rows
    positive = sum(bool(p) for p in new.voice.column("positive").to_pylist())
    assert sum(int(r["positive"]) for r in voice_rows) == positive
    # Every report of both files is counted in the report tables.
    reports = sum(int(r["reports"]) for r in exact.tables["reports_by_reporter"])
    assert reports == old.table.num_rows + new.table.num_rows

    protected = release.compute(mixed)
    for row in protected.tables["voice_by_theme"]:
        for column in ("answered", "positive"):
            value = row[column]
            assert value is None or value == 0 or value >= 5, row
    out = tmp_path / "release"
    release.publish(protected, out)
    with (out / "2024" / "voice_by_theme.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["year", "theme", "band", "answered", "positive"]


def test_a_year_only_version_1_covers_has_no_voice_rows(tmp_path: Path) -> None:
    synthetic.write_extracts(tmp_path, [OLD], [2022, 2023], seed=3, version=1)
    synthetic.write_extracts(tmp_path, [NEW], [2023], seed=4, version=2)
    result = release.compute(tmp_path, threshold=1)
    years = {int(str(r["year"])) for r in result.tables["voice_by_theme"]}
    assert years == {2023}
    assert result.inputs["voice_years"] == [2023]


def test_the_dp_release_noises_the_voice_table_with_its_assumed_bound(mixed: Path) -> None:
    result = release.compute(mixed, protection="dp")
    assert result.parameters["max_voice_answers_per_child_assumed"] == 4
    noise = [n for n in result.noise if n.table == "voice_by_theme"]
    assert {n.column for n in noise} == {"answered", "positive"}
    assert {n.sensitivity for n in noise} == {4 * 9}
    assert all("answered_moe95" in r for r in result.tables["voice_by_theme"])


def test_a_version_1_file_may_not_use_the_early_help_outcome(tmp_path: Path) -> None:
    write_extract(
        tmp_path / "a.parquet",
        [report(), report(preliminary_outcome="early_help_offered")],
    )
    with pytest.raises(ExtractError, match="column preliminary_outcome, row 2: unknown code"):
        read_extracts(tmp_path, municipality_codes=CODES)


def test_a_version_2_file_needs_its_voice_table_and_a_voice_table_its_extract(
    tmp_path: Path,
) -> None:
    path = write_extract(tmp_path / "a.parquet", [report(extract_version=2)])
    with pytest.raises(ExtractError, match=r"a\.voice\.parquet: missing"):
        read_extracts(tmp_path, municipality_codes=CODES)
    pq.write_table(VOICE_SCHEMA.empty_table(), voice_path(path))
    assert read_extracts(tmp_path, municipality_codes=CODES)[0].version == 2
    pq.write_table(VOICE_SCHEMA.empty_table(), tmp_path / "b.voice.parquet")
    with pytest.raises(ExtractError, match="without its extract"):
        read_extracts(tmp_path, municipality_codes=CODES)


def test_a_bad_voice_row_is_named_by_file_column_and_row(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "a.parquet", [report(extract_version=2)])
    row = {
        "extract_version": 2,
        "municipality_code": "0114",
        "month": "2024-03",
        "theme": "safe",
        "band": "8-12",
        "child_gender": "girl",
        "intervention_category": None,
        "positive": True,
    }
    write_extract(voice_path(path), [row, {**row, "theme": "name"}], schema=VOICE_SCHEMA)
    with pytest.raises(ExtractError, match="column theme, row 2: unknown code 'name'"):
        read_extracts(tmp_path, municipality_codes=CODES)


def test_the_voice_table_has_no_column_that_joins_back() -> None:
    assert set(VOICE_SCHEMA.names) == {
        "extract_version",
        "municipality_code",
        "month",
        "theme",
        "band",
        "child_gender",
        "intervention_category",
        "positive",
    }


def test_the_extract_writes_the_anonymous_answers_beside_the_reports(
    session: Session, tmp_path: Path
) -> None:
    unit_id, worker = unit_and_worker(session)
    case = case_at_follow_up(session, unit_id, worker)
    follow_up(session, worker, case, voice_status=VoiceStatus.ANSWERED, voice_mode=VoiceMode.LINK)
    record = session.query(ChildVoiceRecord).one()
    code = voice.create_link(session, worker, case, record)
    found = voice.by_code(session, code)
    band = item_set().band(found.band)
    form = {"item_safe": str(band.points), "item_listened": "1", "item_school": "skip"}
    answers = voice.parse_answers(item_set(), found.band, form)
    voice.submit(session, voice.CHILD, case, found, answers)

    result = extract.create(session, actor=SYSTEM, out=tmp_path / "1480.parquet", key=b"k" * 32)
    assert result.voice_path == tmp_path / "1480.voice.parquet"
    (read,) = read_extracts(tmp_path, municipality_codes=["1480"])
    assert read.version == 2
    assert read.voice is not None
    rows = {r["theme"]: r for r in read.voice.to_pylist()}
    assert rows["safe"]["positive"] is True
    assert rows["listened"]["positive"] is False
    assert "school" not in rows  # "vill inte svara" gives no row
    assert rows["safe"]["month"] == f"{dt.date(2025, 10, 1):%Y-%m}"
    assert result.voice_rows == len(rows)
