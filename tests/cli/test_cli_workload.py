"""The workload command line: the model check names key and line, show is the team lead's."""

from __future__ import annotations

import json
from pathlib import Path

from barnskydd.core.actor import Role
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from barnskydd.workload import model as workload_model
from tests.cli.test_cli_chain import REGISTER, _run, db  # noqa: F401  (the fixture)


def test_the_model_check_accepts_the_default_and_names_a_bad_key_and_line(tmp_path: Path) -> None:
    code, out, err = _run("workload", "model", "--check", str(workload_model.DEFAULT))
    assert (code, out) == (0, "Modellfilen är giltig: goteborg version 2026-12-02.\n"), err
    bad = tmp_path / "var-modell.toml"
    text = workload_model.DEFAULT.read_text(encoding="utf-8")
    bad.write_text(text.replace("family_home = 10", "family_home = -1"), encoding="utf-8")
    code, out, err = _run("workload", "model", "--check", str(bad))
    assert code == 2
    assert out == ""
    assert "rad 38: interventions.family_home är för litet." in err


def test_show_gives_the_team_lead_points_by_name_and_refuses_a_worker(db: str) -> None:  # noqa: F811
    engine = make_engine(db)
    with transaction(session_factory(engine)) as session:
        unit_id = staff.get_by_username(session, username="anna").unit_id
        staff.create(
            session, username="lena", display_name="Lena", role=Role.TEAM_LEAD, unit_id=unit_id
        )
    engine.dispose()
    code, _, err = _run(*REGISTER)
    assert code == 0, err
    code, out, err = _run(
        "workload", "show", "--unit", "1", "--on", "2025-06-19", "--json", "--as", "lena"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["norm"] == 150
    assert "workers" not in shown  # no per-person export
    assert shown["points"] == 0  # the new case is not yet assigned
    assert shown["unassigned_points"] == 2  # its protection assessment is pending
    code, _, err = _run("workload", "show", "--unit", "1", "--as", "anna")
    assert code == 4
    assert "arbetsledare" in err
    code, out, err = _run("workload", "employment", "anna", "--rate", "50", "--as", "lena")
    assert (code, out) == (0, "Anna arbetar 50 % av heltid.\n"), err
    code, out, _ = _run("workload", "show", "--unit", "1", "--json", "--as", "lena")
    assert json.loads(out)["full_time"] == 0.5
    code, out, _ = _run("workload", "show", "--unit", "1", "--as", "lena")
    assert "Anna: 0.0 av 75.0" in out  # the team lead's own screen names the worker
    code, _, err = _run("workload", "employment", "anna", "--rate", "0", "--as", "lena")
    assert code == 2
    assert "1–100" in err
