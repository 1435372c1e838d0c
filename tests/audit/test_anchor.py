"""Anchors: the chain's head published, signed, outside the database; checked by verify."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from barnskydd.audit import anchor as anchors
from barnskydd.cli import app
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import get_settings
from tests.audit.test_verify import N, rewrite_consistently, write_chain

runner = CliRunner()
AT = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def test_a_signed_line_reads_back(tmp_path: Path) -> None:
    key = anchors.create_key(tmp_path / "k.jwk")
    file = tmp_path / "anchors.jsonl"
    anchors.append(file, anchors.line(key, seq=3, digest="a" * 64, at=AT))
    anchors.append(file, anchors.line(key, seq=5, digest="b" * 64, at=AT))
    read = anchors.read(file, anchors.load_key(tmp_path / "k.jwk", create=False))
    assert [(a.seq, a.hash, a.line) for a in read] == [(3, "a" * 64, 1), (5, "b" * 64, 2)]


def test_the_key_is_readable_by_its_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "var" / "k.jwk"
    anchors.create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    with pytest.raises(anchors.InvalidInput):
        anchors.create_key(path)
    assert path.read_bytes() == before


def _edited(line: str, **changes: object) -> str:
    return json.dumps({**json.loads(line), **changes})


@pytest.mark.parametrize(
    ("lines", "bad_line"),
    [
        (lambda k: [_edited(anchors.line(k, seq=3, digest="a" * 64, at=AT), hash="b" * 64)], 1),
        (lambda k: [anchors.line(k, seq=3, digest="a" * 64, at=AT), "{not json"], 2),
        (
            lambda k: [
                anchors.line(k, seq=5, digest="a" * 64, at=AT),
                anchors.line(k, seq=4, digest="b" * 64, at=AT),
            ],
            2,
        ),
        (
            lambda k: [
                anchors.line(k, seq=5, digest="a" * 64, at=AT),
                anchors.line(k, seq=5, digest="b" * 64, at=AT),
            ],
            2,
        ),
        (
            lambda k: [
                anchors.line(k, seq=5, digest="a" * 64, at=AT),
                anchors.line(k, seq=6, digest="b" * 64, at=AT - dt.timedelta(hours=1)),
            ],
            2,
        ),
        (
            lambda k: [
                anchors.line(anchors.OKPKey.generate_key("Ed25519"), seq=5, digest="a" * 64, at=AT)
            ],
            1,
        ),
    ],
    ids=["edited", "not json", "seq backwards", "same seq other hash", "time backwards", "key"],
)
def test_an_anchor_file_that_is_not_intact_is_refused_naming_the_line(
    tmp_path: Path, lines: object, bad_line: int
) -> None:
    key = anchors.create_key(tmp_path / "k.jwk")
    file = tmp_path / "anchors.jsonl"
    for line in lines(key):  # type: ignore[operator]
        anchors.append(file, line)
    with pytest.raises(anchors.AnchorsBroken, match=f"rad {bad_line}:"):
        anchors.read(file, key)


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with a chain of N entries, the CLI configured for it and its anchors."""
    monkeypatch.setenv("BARNSKYDD_DATABASE_URL", database_url)
    monkeypatch.setenv("BARNSKYDD_AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    monkeypatch.setenv("BARNSKYDD_AUDIT_ANCHOR_KEY_FILE", str(tmp_path / "anchor.jwk"))
    get_settings.cache_clear()
    _in_db(database_url, write_chain)
    yield database_url
    get_settings.cache_clear()


def _in_db(url: str, change: object) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        change(session)  # type: ignore[operator]
    engine.dispose()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_anchored_chain_verifies(cli: str) -> None:
    assert _run("audit", "anchor")[0] == 0
    code, out, _ = _run("audit", "verify")
    assert code == 0
    assert f"1 ankare stämmer (senaste: post {N}" in out


def test_verify_without_anchors_says_a_rewrite_would_not_be_found(cli: str) -> None:
    code, out, _ = _run("audit", "verify")
    assert code == 0
    assert "inga publicerade ankare" in out


def test_a_consistent_rewrite_before_the_last_anchor_exits_6_naming_the_entry(cli: str) -> None:
    assert _run("audit", "anchor")[0] == 0
    _in_db(cli, lambda s: rewrite_consistently(s, seq=2))
    code, _, err = _run("audit", "verify")
    assert code == 6
    assert f"vid post {N}" in err
    assert "skrivits om" in err


def test_a_cut_tail_with_the_head_moved_back_exits_6(cli: str) -> None:
    assert _run("audit", "anchor")[0] == 0

    def cut(session: object) -> None:
        session.execute(text("DELETE FROM audit_entry WHERE seq = :n"), {"n": N})  # type: ignore[attr-defined]
        session.execute(  # type: ignore[attr-defined]
            text(
                "UPDATE audit_head SET seq = seq - 1,"
                " hash = (SELECT hash FROM audit_entry WHERE seq = :n)"
            ),
            {"n": N - 1},
        )

    _in_db(cli, cut)
    code, _, err = _run("audit", "verify")
    assert code == 6
    assert f"kapats efter post {N - 1}" in err


def test_the_head_check_exits_5_and_an_entry_break_exits_1(cli: str) -> None:
    _in_db(cli, lambda s: s.execute(text("DELETE FROM audit_head")))
    code, _, err = _run("audit", "verify")
    assert code == 5
    assert "huvudet (audit_head) saknas" in err
    assert "Traceback" not in err


def test_a_malformed_time_exits_1_naming_the_entry(cli: str) -> None:
    if not cli.startswith("sqlite"):
        pytest.skip("PostgreSQL stores only valid times (its infinity is in test_verify)")
    _in_db(cli, lambda s: s.execute(text("UPDATE audit_entry SET at = 'x' WHERE seq = 3")))
    code, _, err = _run("audit", "verify")
    assert code == 1
    assert "vid post 3" in err
    assert "tidpunkten" in err


def test_a_broken_chain_is_not_anchored(cli: str, tmp_path: Path) -> None:
    _in_db(cli, lambda s: s.execute(text("UPDATE audit_entry SET actor = 'x' WHERE seq = 2")))
    code, _, err = _run("audit", "anchor")
    assert code == 1
    assert "vid post 2" in err
    assert not (tmp_path / "anchors.jsonl").exists()


def test_anchor_checks_the_entries_since_the_last_anchor(cli: str, tmp_path: Path) -> None:
    assert _run("audit", "anchor")[0] == 0
    _in_db(cli, lambda s: write_chain(s, 2))
    _in_db(
        cli,
        lambda s: s.execute(
            text("UPDATE audit_entry SET actor = 'x' WHERE seq = :n"), {"n": N + 2}
        ),
    )
    code, _, err = _run("audit", "anchor")
    assert code == 1
    assert f"vid post {N + 2}" in err
    assert len((tmp_path / "anchors.jsonl").read_text().splitlines()) == 1


def test_production_needs_a_key_made_by_keygen(
    cli: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BARNSKYDD_MODE", "production")
    monkeypatch.setenv("BARNSKYDD_SECRET_KEY", "a-secret-of-our-own-for-this-test")
    get_settings.cache_clear()
    code, _, err = _run("audit", "anchor")
    assert code == 2
    assert "barnskydd audit keygen" in err
    assert not (tmp_path / "anchor.jwk").exists()
    code, out, _ = _run("audit", "keygen")
    assert code == 0
    assert json.loads(out.splitlines()[-1])["crv"] == "Ed25519"
    assert "d" not in json.loads(out.splitlines()[-1])  # the public half only
    assert _run("audit", "keygen")[0] == 2  # never overwritten
    assert _run("audit", "anchor")[0] == 0
    assert _run("audit", "verify")[0] == 0
