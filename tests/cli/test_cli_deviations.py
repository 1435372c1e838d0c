"""The deviations' command-line contract: the scan's exact JSON, idempotence, bad input."""

from __future__ import annotations

from tests.cli.test_cli_chain import REGISTER, _run, db  # noqa: F401  (the fixture)


def test_the_scan_prints_exactly_created_and_open_auto_and_creates_once(db: str) -> None:  # noqa: F811
    code, _, err = _run(*REGISTER)  # received 2025-06-19 (the day before midsommarafton)
    assert code == 0, err
    code, out, err = _run("deviations", "scan", "--as-of", "2025-06-19", "--json")
    assert (code, out) == (0, '{"created": 0, "open_auto": 0}\n'), err
    code, out, err = _run("deviations", "scan", "--as-of", "2025-06-20", "--json")
    assert (code, out) == (0, '{"created": 1, "open_auto": 1}\n'), err
    code, out, err = _run("deviations", "scan", "--as-of", "2025-06-20", "--json")
    assert (code, out) == (0, '{"created": 0, "open_auto": 1}\n'), err


def test_a_bad_day_names_the_option_and_writes_nothing(db: str) -> None:  # noqa: F811
    code, out, err = _run("deviations", "scan", "--as-of", "2025-02-30", "--json")
    assert code == 2
    assert out == ""
    assert "--as-of" in err


def test_a_report_from_the_command_line_prints_its_id(db: str) -> None:  # noqa: F811
    code, out, err = _run(
        "deviations", "report", "--what", "Kallelsen gick till fel adress.",
        "--occurred-on", "2025-06-19", "--unit-id", "1", "--factor", "it_documentation",
        "--as", "anna",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "1"
    code, _, err = _run(
        "deviations", "report", "--what", "", "--occurred-on", "2025-06-19", "--unit-id", "1",
        "--as", "anna",
    )  # fmt: skip
    assert code == 2
    assert "--what" in err
