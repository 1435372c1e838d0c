"""The early-help commands: the catalogue by its decision, refusals naming the law, the step."""

from __future__ import annotations

import json

from barnskydd.early_help.models import EarlyHelp
from tests.cli.test_cli_chain import REGISTER, _count, _run, db  # noqa: F401  (the fixture)

ADD = [
    "early-help", "add", "--code", "samtalsstod", "--name", "Samtalsstöd",
    "--kind", "conversation_support", "--decided-by", "Socialnämnden",
    "--decided-on", "2025-05-20", "--decision-ref", "SN 2025/238", "--valid-from", "2025-07-01",
]  # fmt: skip


# The report of test_cli_chain, received after SoL 2025:400 came into force.
LATER = [*REGISTER]
LATER[LATER.index("--received") + 1] = "2025-09-01T10:00"


def test_the_catalogue_is_kept_from_the_command_line_and_the_step_uses_it(db: str) -> None:  # noqa: F811
    code, out, err = _run(*ADD)
    assert code == 0, err
    assert "SN 2025/238" in out
    code, out, err = _run("early-help", "list", "--json")
    assert code == 0, err
    (entry,) = json.loads(out)
    assert (entry["code"], entry["decided_on"], entry["valid_from"]) == (
        "samtalsstod",
        "2025-05-20",
        "2025-07-01",
    )
    code, out, _ = _run(*LATER)
    number = out.split("Registrerad: ")[1].split()[0]
    code, _, err = _run("case", "protection", number, "--at", "2025-09-01T11:00")
    assert code == 0, err
    offer = ["case", "early-help", number, "--on", "2025-09-03", "--service", "samtalsstod",
             "--informed"]  # fmt: skip
    code, _, err = _run(*offer, "--no-guardian-consent")
    assert code == 2
    assert "21 kap. 2 §" in err
    assert _count(db, EarlyHelp) == 0
    code, out, err = _run(*offer, "--guardian-consent")
    assert code == 0, err
    assert _count(db, EarlyHelp) == 1


def test_an_excluded_intervention_is_refused_naming_the_paragraph(db: str) -> None:  # noqa: F811
    bad = [*ADD[:7], "family_home", *ADD[8:]]
    code, out, err = _run(*bad)
    assert code == 2
    assert out == ""
    assert "11 kap. 5 § första stycket 2 socialtjänstlagen (2025:400)" in err
    code, out, _ = _run("early-help", "list", "--json")
    assert json.loads(out) == []
    code, out, _ = _run("early-help", "excluded")
    assert code == 0
    assert len(out.splitlines()) == 7


def test_early_help_is_given_in_an_open_case_from_the_command_line(db: str) -> None:  # noqa: F811
    code, _, err = _run(*ADD)
    assert code == 0, err
    code, out, _ = _run(*LATER)
    number = out.split("Registrerad: ")[1].split()[0]
    code, _, err = _run("case", "protection", number, "--at", "2025-09-01T11:00")
    assert code == 0, err
    code, _, err = _run(
        "case", "preliminary", number, "--on", "2025-09-03", "--outcome", "investigation_opened"
    )
    assert code == 0, err
    give = ["case", "give-early-help", number, "--start", "2025-09-10", "--informed",
            "--guardian-consent", "--requested-by-family"]  # fmt: skip
    code, out, err = _run(*give, "--service", "family_home")
    assert code == 2
    assert out == ""
    assert "11 kap. 5 § första stycket 2 socialtjänstlagen (2025:400)" in err
    assert _count(db, EarlyHelp) == 0
    code, out, err = _run(*give, "--service", "samtalsstod")
    assert code == 0, err
    assert "Ge tidigt stöd" in out
    assert _count(db, EarlyHelp) == 1
    code, out, err = _run("case", "show", number, "--purpose", "handläggning")
    assert code == 0, err
    assert json.loads(out)["status"] == "investigation"
