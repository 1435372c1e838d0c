"""barnskydd law deadlines / rulesets, through the root command as a user runs it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.cli import law as law_cli
from barnskydd.law.rules import load_rule_sets

runner = CliRunner()


def test_deadlines_json_has_exactly_the_documented_shape() -> None:
    result = runner.invoke(
        app,
        [
            "law",
            "deadlines",
            "--received",
            "2025-07-01",
            "--investigation-start",
            "2025-07-10",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "law": "SoL 2025:400",
        "protection_assessment": {
            "due": "2025-07-01",
            "reference": "20 kap. 1 § socialtjänstlagen (2025:400)",
        },
        "preliminary_assessment": {
            "due": "2025-07-15",
            "reference": "20 kap. 2 § socialtjänstlagen (2025:400)",
        },
        "investigation": {
            "due": "2025-11-10",
            "reference": "20 kap. 3 § socialtjänstlagen (2025:400)",
        },
    }


def test_deadlines_json_is_one_line_with_swedish_characters_unescaped() -> None:
    result = runner.invoke(app, ["law", "deadlines", "--received", "2025-06-30", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1
    assert "första stycket" in result.stdout


def test_deadlines_json_without_investigation_start_has_no_investigation() -> None:
    result = runner.invoke(app, ["law", "deadlines", "--received", "2025-06-30", "--json"])
    assert set(json.loads(result.stdout)) == {
        "law",
        "protection_assessment",
        "preliminary_assessment",
    }


def test_deadlines_table_is_in_swedish_with_weekdays_and_references() -> None:
    result = runner.invoke(
        app,
        ["law", "deadlines", "--received", "2025-06-06", "--investigation-start", "2025-06-16"],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Anmälan mottagen 2025-06-06: SoL 2001:453"
    assert lines[2].split()[:3] == ["Skyddsbedömning", "2025-06-06", "fredag"]
    assert lines[3].split()[:3] == ["Förhandsbedömning", "2025-06-23", "måndag"]
    assert lines[4].split()[:3] == ["Utredning", "2025-10-16", "torsdag"]
    assert lines[4].endswith("11 kap. 2 § socialtjänstlagen (2001:453)")


@pytest.mark.parametrize(
    ("args", "option", "complaint"),
    [
        (["--received", "2025-02-30"], "--received", "2025-02-30"),
        (["--received", "foo"], "--received", "foo"),
        (["--received", "2025-07-01", "--investigation-start", "2025-13-01"], "--inv", "2025-13"),
        (["--received", "2025-07-10", "--investigation-start", "2025-07-09"], "--inv", "före"),
        (["--received", "2012-12-31"], "--received", "Ingen regeluppsättning"),
    ],
)
def test_bad_dates_exit_2_naming_the_option_with_nothing_on_stdout(
    args: list[str], option: str, complaint: str
) -> None:
    result = runner.invoke(app, ["law", "deadlines", *args, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    # Typer may draw the error in a box that wraps long lines; read it without either.
    flat = " ".join(line.strip("│ ") for line in result.stderr.splitlines())
    assert option in flat
    assert complaint in flat


def test_missing_received_exits_2() -> None:
    result = runner.invoke(app, ["law", "deadlines", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--received" in result.stderr


def test_rulesets_lists_each_act_with_dates_and_references() -> None:
    result = runner.invoke(app, ["law", "rulesets"])
    assert result.exit_code == 0, result.output
    assert "SoL 2001:453 (sol_2001_453): anmälningar mottagna 2013-01-01 – 2025-06-30" in (
        result.stdout
    )
    assert "SoL 2025:400 (sol_2025_400): anmälningar mottagna 2025-07-01 – tills vidare" in (
        result.stdout
    )
    for reference in (
        "11 kap. 1 a § första stycket",
        "11 kap. 1 a § andra stycket",
        "11 kap. 2 §",
        "20 kap. 1 §",
        "20 kap. 2 §",
        "20 kap. 3 §",
        "19 kap. 6 § andra stycket",
        "6 kap. 8 § första stycket",
    ):
        assert reference in result.stdout
    # The first three are confirmed; later rules whose text was not read say so.
    flagged = [line for line in result.stdout.splitlines() if "ej bekräftat" in line]
    assert not any("Utredning " in line or "bedömning" in line for line in flagged)


def test_rulesets_flags_a_rule_whose_paragraph_is_not_confirmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = load_rule_sets()
    unsure = replace(new.investigation, confirmed=False)
    monkeypatch.setattr(
        law_cli, "load_rule_sets", lambda: (old, replace(new, investigation=unsure))
    )
    result = runner.invoke(app, ["law", "rulesets"])
    flagged = [line for line in result.stdout.splitlines() if "ej bekräftat" in line]
    assert [line for line in flagged if "20 kap. 3 §" in line]


@pytest.mark.parametrize(
    "args",
    [
        ["deadlines", "--received", "2025-06-06", "--investigation-start", "2025-06-16"],
        ["deadlines", "--received", "2025-07-01", "--json"],
        ["rulesets"],
    ],
)
def test_docs_show_what_the_command_prints(args: list[str]) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "law.md").read_text(encoding="utf-8")
    result = runner.invoke(app, ["law", *args])
    assert f"$ barnskydd law {' '.join(args)}\n{result.stdout}" in docs


# barnskydd law deadline RULE --from YYYY-MM-DD --json (issue 12: the exact contract)


@pytest.mark.parametrize(
    ("rule", "event", "due", "reference"),
    [
        (
            "feedback",
            "2026-12-17",
            "2026-12-28",
            "19 kap. 6 § andra stycket socialtjänstlagen (2025:400)",
        ),
        (
            "follow_up",
            "2016-12-31",
            "2017-02-28",
            "11 kap. 4 a-4 b §§ socialtjänstlagen (2001:453)",
        ),
        (
            "placement_review",
            "2025-08-31",
            "2026-03-02",
            "22 kap. 13 § första stycket socialtjänstlagen (2025:400)",
        ),
        (
            "lvu_review",
            "2025-12-19",
            "2026-06-22",
            "13 § lagen (1990:52) med särskilda bestämmelser om vård av unga",
        ),
        (
            "emergency_home",
            "2025-10-24",
            "2025-12-24",
            "22 kap. 4 § andra stycket socialtjänstlagen (2025:400)",
        ),
        (
            "care_plan_revision",
            "2024-02-29",
            "2026-03-02",
            "11 kap. 3 § andra stycket socialtjänstlagen (2001:453)",
        ),
        (
            "unexecuted_decision",
            "2025-10-31",
            "2026-01-31",
            "34 kap. 1 § första stycket socialtjänstlagen (2025:400)",
        ),
        (
            "youth_service",
            "2026-10-31",
            "2027-01-04",
            "18 kap. 8 § första stycket socialtjänstlagen (2025:400)",
        ),
    ],
)
def test_deadline_json_is_exactly_rule_due_reference(
    rule: str, event: str, due: str, reference: str
) -> None:
    result = runner.invoke(app, ["law", "deadline", rule, "--from", event, "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == {"rule": rule, "due": due, "reference": reference}


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["nope", "--from", "2026-02-01"], "Regeln 'nope' finns inte"),
        (["feedback", "--from", "2026-02-30"], "inget giltigt datum"),
        (["feedback", "--from", "01/02/2026"], "inget giltigt datum"),
        (["feedback", "--from", "2026-01-14"], "från och med 2026-01-15"),
        (["youth_service", "--from", "2025-06-30"], "SoL 2001:453 har ingen sådan frist"),
        (["placement_review", "--from", "2012-12-31"], "Ingen regeluppsättning"),
        (["placement_review"], "--from"),
    ],
)
def test_deadline_bad_input_exits_2_with_a_swedish_message(args: list[str], complaint: str) -> None:
    result = runner.invoke(app, ["law", "deadline", *args, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    flat = " ".join(line.strip("│ ") for line in result.stderr.splitlines())
    assert complaint in flat


def test_rules_json_lists_every_rule_of_every_rule_set_with_period_event_reference() -> None:
    result = runner.invoke(app, ["law", "rules", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = [(s.id, r.name) for s in load_rule_sets() for r in s.all_rules]
    assert [(row["rule_set"], row["rule"]) for row in rows] == expected
    assert {row["rule"] for row in rows} >= {
        "feedback",
        "follow_up",
        "placement_review",
        "lvu_review",
        "emergency_home",
        "care_plan_revision",
        "unexecuted_decision",
        "youth_service",
    }
    feedback = next(row for row in rows if row["rule"] == "feedback")
    assert feedback == {
        "rule": "feedback",
        "law": "SoL 2025:400",
        "rule_set": "sol_2025_400",
        "period": {"weeks": 1},
        "event": "preliminary_decision",
        "reference": "19 kap. 6 § andra stycket socialtjänstlagen (2025:400)",
        "confirmed": True,
        "moves_to_working_day": True,
        "in_force_from": "2026-01-15",
    }


def test_rules_table_names_the_event_in_swedish() -> None:
    result = runner.invoke(app, ["law", "rules"])
    assert result.exit_code == 0, result.output
    assert "från domen vann laga kraft" in result.stdout
