"""Decisions from the command line: refuse, list, the letter as PDF, told; bad input exits 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from barnskydd.cases.decisions.models import DecisionNotice
from tests.cli.test_cli_chain import REGISTER, _count, _run, db  # noqa: F401  (the fixture)


def _refused() -> tuple[str, str, str]:
    code, out, err = _run(*REGISTER)
    assert code == 0, err
    number = out.split("Registrerad: ")[1].split()[0]
    for step in (
        ["case", "protection", number, "--at", "2025-06-19T11:00"],
        ["case", "preliminary", number, "--on", "2025-07-01", "--outcome", "investigation_opened"],
        [
            "case", "refuse-intervention", number, "--category", "family_home",
            "--applied", "2025-07-10", "--on", "2025-08-01", "--reason", "Vården ges i hemmet.",
        ],
    ):  # fmt: skip
        code, out, err = _run(*step)
        assert code == 0, (step, out, err)
    code, out, err = _run(
        "guardian", "add", number, "--first-name", "Lena", "--last-name", "Lind",
        "--relation", "mother", "--address", "Storgatan 1, Uddevalla", "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    guardian = out.strip().splitlines()[-1]
    code, out, err = _run(
        "decision", "list", number, "--json", "--purpose", "handläggning", "--as", "anna"
    )
    assert code == 0, err
    [decision] = json.loads(out)
    return number, str(decision["id"]), f"guardian:{guardian}"


def test_refuse_write_the_letter_and_record_when_the_guardian_was_told(
    db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    number, decision_id, party = _refused()
    out_file = tmp_path / "beslut.pdf"
    code, out, err = _run(
        "decision", "letter", number, decision_id, "--party", party, "--out", str(out_file),
        "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    pages = PdfReader(io.BytesIO(out_file.read_bytes())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "avslå ansökan som kom in den 2025-07-10 om familjehem" in text
    assert "Storgatan 1, Uddevalla" in text
    code, out, err = _run(
        "decision", "told", number, decision_id, "--party", party, "--on", "2025-08-04",
        "--way", "letter", "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[-1] == "Sista dag att överklaga: 2025-08-25"
    code, out, err = _run(
        "decision", "list", number, "--json", "--purpose", "uppföljning", "--as", "anna"
    )
    [decision] = json.loads(out)
    assert decision["parties"][0]["appeal_due"] == "2025-08-25"
    assert decision["basis"].startswith("11 kap. 1 §, 9 kap. 1 och 2 §§")


def test_bad_input_exits_non_zero_in_swedish_and_writes_nothing(
    db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    number, decision_id, party = _refused()
    cases = [
        (["--party", "mamma", "--on", "2025-08-04", "--way", "letter"], "--party"),
        (["--party", party, "--on", "2025-02-30", "--way", "letter"], "--on"),
        (["--party", party, "--on", "2025-07-31", "--way", "letter"], "--on"),
        (["--party", party, "--on", "2025-08-04", "--way", "duva"], "--way"),
        (["--party", "child", "--on", "2025-08-04", "--way", "letter"], "--party"),
    ]
    for extra, option in cases:
        code, _, err = _run("decision", "told", number, decision_id, *extra, "--as", "anna")
        assert code == 2, (extra, err)
        assert option in err, err
        assert err.startswith("fel: "), err
    assert _count(db, DecisionNotice) == 0
    code, _, err = _run(
        "decision", "letter", number, "999999", "--party", party, "--out",
        str(tmp_path / "x.pdf"), "--as", "anna",
    )  # fmt: skip
    assert code == 3
    assert "Beslutet finns inte i ärendet." in err
    assert not (tmp_path / "x.pdf").exists()
