"""The plan's and the communications' command-line contracts: printed ids, JSON keys, exits."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from barnskydd.cases.communication.models import Communication
from barnskydd.cases.plan.models import PlanItem
from barnskydd.core.db import make_engine
from tests.cli.test_cli_chain import REGISTER, _run, db  # noqa: F401  (the fixture)

PLAN_KEYS = ["id", "kind", "text", "party", "consent", "planned_on", "child_alone", "author"]
SENT_KEYS = [
    "id", "recipient_kind", "recipient", "material", "sent_on", "answer_by", "answered_on",
    "answer",
]  # fmt: skip


def _investigated() -> str:
    code, out, err = _run(*REGISTER)
    assert code == 0, err
    number = out.split("Registrerad: ")[1].split()[0]
    for step in (
        ["case", "protection", number, "--at", "2025-06-19T11:00"],
        ["case", "preliminary", number, "--on", "2025-07-01", "--outcome", "investigation_opened"],
    ):
        code, _, err = _run(*step)
        assert code == 0, err
    return number


def _as_anna(*args: str) -> tuple[int, str, str]:
    return _run(*args, "--as", "anna")


def test_a_plan_from_the_command_line_with_the_deadline(db: str) -> None:  # noqa: F811
    number = _investigated()
    code, out, err = _as_anna(
        "plan", "add", number, "--kind", "child_talk", "--text", "Samtal i skolan.",
        "--on", "2025-07-08", "--child-alone", "ja",
    )  # fmt: skip
    assert code == 0, err
    talk = out.splitlines()[-1]
    assert talk.isdigit()
    code, _, err = _as_anna(
        "plan", "add", number, "--kind", "contact", "--text", "Mormor.", "--party", "private"
    )
    assert code != 0
    assert "samtyckt" in err
    code, _, err = _as_anna("plan", "edit", number, talk, "--on", "2025-07-09")
    assert code == 0, err
    code, out, err = _as_anna("plan", "show", number, "--json", "--purpose", "handläggning")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["investigation_started_on"] == "2025-07-01"
    assert shown["investigation_due"] is not None
    assert shown["open"] is True
    assert [list(i) for i in shown["items"]] == [PLAN_KEYS]
    assert shown["items"][0]["planned_on"] == "2025-07-09"
    assert _as_anna("plan", "remove", number, talk)[0] == 0


def test_a_decision_waits_for_a_communication_from_the_command_line(db: str) -> None:  # noqa: F811
    number = _investigated()
    code, out, err = _as_anna(
        "communication", "add", number, "--to", "guardian", "--name", "Maria Lind",
        "--material", "Utredningen.", "--sent", "2025-10-01", "--answer-by", "2025-10-15",
    )  # fmt: skip
    assert code == 0, err
    sent = out.splitlines()[-1]
    decide = ["case", "intervention", number, "--on", "2025-10-10", "--category", "open_care"]
    code, _, err = _run(*decide)
    assert code != 0
    assert "förvaltningslagen (2017:900) 25 §" in err
    code, _, err = _as_anna(
        "communication",
        "answer",
        number,
        sent,
        "--on",
        "2025-10-05",
        "--text",
        "Inget att tillägga.",
    )
    assert code == 0, err
    code, _, err = _run(*decide)
    assert code == 0, err
    code, out, err = _as_anna("communication", "list", number, "--json", "--purpose", "utredning")
    assert code == 0, err
    assert [list(c) for c in json.loads(out)] == [SENT_KEYS]
    code, _, err = _as_anna(
        "communication", "answer", number, sent, "--on", "2025-10-06", "--text", "x"
    )
    assert code != 0


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["plan", "add", "{n}", "--kind", "question", "--text", "<b>Varför?</b>"], "--text"),
        (
            [
                "plan",
                "add",
                "{n}",
                "--kind",
                "child_talk",
                "--text",
                "T",
                "--on",
                "2025-02-30",
                "--child-alone",
                "ja",
            ],
            "--on",
        ),
        (
            [
                "communication",
                "add",
                "{n}",
                "--to",
                "guardian",
                "--name",
                "M",
                "--material",
                "x",
                "--sent",
                "2025-13-01",
                "--answer-by",
                "2025-10-15",
            ],
            "--sent",
        ),
        (
            [
                "communication",
                "add",
                "{n}",
                "--to",
                "guardian",
                "--name",
                "x" * 201,
                "--material",
                "x",
                "--sent",
                "2025-10-01",
                "--answer-by",
                "2025-10-15",
            ],
            "--name",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_option_and_writes_nothing(
    db: str,  # noqa: F811
    args: list[str],
    option: str,
) -> None:
    number = _investigated()
    code, _, err = _as_anna(*(a.replace("{n}", number) for a in args))
    assert code == 2
    assert option in err
    engine = make_engine(db)
    with engine.connect() as conn:
        written = [
            conn.scalar(select(func.count()).select_from(m)) for m in (PlanItem, Communication)
        ]
    engine.dispose()
    assert written == [0, 0]


def test_a_communication_to_a_child_under_15_exits_non_zero(db: str) -> None:  # noqa: F811
    number = _investigated()  # Saga, born 2015-09-16
    code, _, err = _as_anna(
        "communication", "add", number, "--to", "child", "--name", "Saga Lind",
        "--material", "Utredningen.", "--sent", "2025-10-01", "--answer-by", "2025-10-15",
    )  # fmt: skip
    assert code == 2
    assert "3 kap. 4 § socialtjänstlagen (2025:400)" in err
    engine = make_engine(db)
    with engine.connect() as conn:
        written = conn.scalar(select(func.count()).select_from(Communication))
    engine.dispose()
    assert written == 0
