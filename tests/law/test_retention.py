"""Retention by document class: every class, the research sample, 16 kap. 2 a § across dates."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from importlib import resources

import pytest
from typer.testing import CliRunner

from barnskydd.cli import app
from barnskydd.core.errors import InvalidInput
from barnskydd.law import retention
from barnskydd.law.retention import weed_after
from barnskydd.reference.municipalities import all_municipalities

runner = CliRunner()
# Outside the research areas, and born on a day that is not the 5th, 15th or 25th.
PLAIN = "0180"  # Stockholm
BORN = date(2010, 4, 2)
RESEARCH_COUNTIES = {"05": "Östergötlands län", "09": "Gotlands län", "22": "Västernorrlands län"}


def _dict(document_class: str, **kwargs: object) -> dict[str, str]:
    fields: dict[str, object] = {
        "last_entry": date(2021, 3, 10),
        "birth_date": BORN,
        "municipality_code": PLAIN,
    }
    fields.update(kwargs)
    return weed_after(document_class, **fields).to_dict()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("document_class", "weed_from", "weed_by", "rule", "paragraph"),
    [
        ("not_opened_report", "2026-03-10", "2027-12-31", "five_years_after_last_entry", "2 a §"),
        ("investigation", "2040-04-02", "2041-12-31", "not_before_age_30", "2 a § första"),
        ("placement", "never", "never", "never_placement", "2 § 3"),
        ("paternity", "never", "never", "never_paternity", "2 § 1"),
        ("adoption", "never", "never", "never_adoption", "2 § 2"),
        ("journal", "2026-03-10", "2027-12-31", "five_years_after_last_entry", "1 §"),
        ("document", "2026-03-10", "2027-12-31", "five_years_after_last_entry", "1 §"),
        ("voice", "2026-03-10", "2027-12-31", "five_years_after_last_entry", "1 §"),
        # The lookup: month of the latest report + 5 years is its last day; gone the day after.
        ("lookup_entry", "2026-03-02", "2026-03-02", "lookup_entry_lifetime", "16 kap. 1 §"),
    ],
)
def test_every_class_has_its_rule_and_paragraph(
    document_class: str, weed_from: str, weed_by: str, rule: str, paragraph: str
) -> None:
    verdict = _dict(document_class)
    assert verdict["weed_from"] == weed_from
    assert verdict["weed_by"] == weed_by
    assert verdict["rule"] == rule
    assert paragraph in verdict["reference"]
    assert list(verdict) == ["weed_from", "weed_by", "rule", "reference"]


@pytest.mark.parametrize(
    ("closed_on", "born", "last_entry", "weed_from", "rule"),
    [
        # Closed before 2026-01-15: övergångsbestämmelse 2, five years after the last entry.
        (date(2026, 1, 14), BORN, date(2026, 1, 14), "2031-01-14", "five_years_after_last_entry"),
        (date(2019, 6, 30), BORN, date(2019, 6, 30), "2024-06-30", "five_years_after_last_entry"),
        # Closed on or after: not before the 30th birthday ...
        (date(2026, 1, 15), BORN, date(2026, 1, 15), "2040-04-02", "not_before_age_30"),
        (None, BORN, date(2026, 5, 1), "2040-04-02", "not_before_age_30"),
        # ... and never before five years after the last entry either.
        (date(2030, 2, 1), date(1998, 7, 1), date(2030, 2, 1), "2035-02-01", "not_before_age_30"),
        # A birthday on 29 February: the 30th falls on 28 February in a common year.
        (date(2027, 3, 1), date(2012, 2, 29), date(2027, 3, 1), "2042-02-28", "not_before_age_30"),
    ],
)
def test_investigation_across_the_2026_change(
    closed_on: date | None, born: date, last_entry: date, weed_from: str, rule: str
) -> None:
    verdict = _dict("investigation", closed_on=closed_on, birth_date=born, last_entry=last_entry)
    assert (verdict["weed_from"], verdict["rule"]) == (weed_from, rule)
    assert verdict["weed_by"] == f"{int(weed_from[:4]) + 1}-12-31"


@pytest.mark.parametrize(
    ("last_entry", "weed_from", "weed_by"),
    [
        (date(2020, 2, 29), "2025-02-28", "2026-12-31"),  # leap day
        (date(2019, 12, 31), "2024-12-31", "2025-12-31"),  # year end: done by the next year's end
        (date(2020, 1, 1), "2025-01-01", "2026-12-31"),
        (date(2024, 7, 15), "2029-07-15", "2030-12-31"),
    ],
)
def test_five_years_and_the_following_calendar_year(
    last_entry: date, weed_from: str, weed_by: str
) -> None:
    verdict = _dict("not_opened_report", last_entry=last_entry)
    assert (verdict["weed_from"], verdict["weed_by"]) == (weed_from, weed_by)


def _research_municipality(code: str, county_code: str) -> bool:
    return code == "1480" or county_code in RESEARCH_COUNTIES


def test_the_research_areas_are_named_right_in_the_municipality_list() -> None:
    by_code = {m.code: m for m in all_municipalities()}
    assert by_code["1480"].name == "Göteborg"
    counties = {m.county_code: m.county for m in all_municipalities()}
    assert {code: counties[code] for code in RESEARCH_COUNTIES} == RESEARCH_COUNTIES


@pytest.mark.parametrize("municipality", all_municipalities(), ids=lambda m: m.code)
def test_research_sample_for_every_municipality(municipality: object) -> None:
    code = municipality.code  # type: ignore[attr-defined]
    county = municipality.county_code  # type: ignore[attr-defined]
    whole = _research_municipality(code, county)
    for born, sampled in [(date(2010, 4, 2), whole), (date(2010, 4, 5), True),
                          (date(2011, 1, 15), True), (date(2009, 12, 25), True),
                          (date(2010, 4, 26), whole)]:  # fmt: skip
        assert retention.in_research_sample(code, born) is sampled
        verdict = _dict("not_opened_report", municipality_code=code, birth_date=born)
        if sampled:
            assert verdict == {
                "weed_from": "never",
                "weed_by": "never",
                "rule": "research_sample",
                "reference": retention.load().research.reference,
            }
        else:
            assert verdict["weed_from"] == "2026-03-10"
        # The lookup's entry is no archive: the research sample does not keep it.
        assert (
            _dict("lookup_entry", municipality_code=code, birth_date=born)["weed_from"] != "never"
        )


def test_a_placement_is_never_weeded_even_in_the_research_sample() -> None:
    assert _dict("placement", municipality_code="1480")["rule"] == "never_placement"


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Okänd dokumentklass"):
        weed_after("letters", last_entry=date(2021, 1, 1), birth_date=BORN, municipality_code=PLAIN)
    with pytest.raises(InvalidInput, match="Okänd kommunkod"):
        weed_after(
            "journal", last_entry=date(2021, 1, 1), birth_date=BORN, municipality_code="9999"
        )
    with pytest.raises(InvalidInput, match="före födelsedagen"):
        weed_after("journal", last_entry=date(2009, 1, 1), birth_date=BORN, municipality_code=PLAIN)


def test_every_entry_of_the_data_file_has_reference_and_confirmed() -> None:
    text = (
        resources.files("barnskydd.law")
        .joinpath("retention_rules/sol_2025_400.toml")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    assert set(data["classes"]) == set(retention.CLASSES)
    for table in [*data["classes"].values(), data["research"]]:
        assert table["reference"]
        assert isinstance(table["confirmed"], bool)


# -- the CLI contract -------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["law", "weed-after", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_prints_exactly_the_contract() -> None:
    code, out, err = _cli("--class", "investigation", "--last-entry", "2021-03-10",
                          "--birth-date", "2010-04-02", "--municipality", "0180",
                          "--closed-on", "2026-02-01", "--json")  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "weed_from": "2040-04-02",
        "weed_by": "2041-12-31",
        "rule": "not_before_age_30",
        "reference": "16 kap. 1 § och 2 a § första stycket socialtjänstlagen (2025:400)",
    }
    code, out, _ = _cli("--class", "placement", "--last-entry", "2021-03-10",
                        "--birth-date", "2010-04-02", "--municipality", "0180",
                        "--json")  # fmt: skip
    assert json.loads(out)["weed_from"] == json.loads(out)["weed_by"] == "never"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--class", "letters"], "--class"),
        (["--last-entry", "2021-02-30"], "--last-entry"),
        (["--birth-date", "igår"], "--birth-date"),
        (["--closed-on", "2026-13-01"], "--closed-on"),
        (["--municipality", "9999"], "--municipality"),
        (["--municipality", "abc"], "--municipality"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2_and_a_swedish_message(
    args: list[str], named: str
) -> None:
    base = {"--class": "journal", "--last-entry": "2021-03-10", "--birth-date": "2010-04-02",
            "--municipality": "0180"}  # fmt: skip
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [part for pair in base.items() for part in pair]
    code, out, err = _cli(*flat, "--json")
    assert code == 2
    assert out == ""
    assert named in err
    assert any(word in err for word in ("Okänd", "giltigt", "ange"))


def test_law_retention_lists_every_class_with_its_paragraph() -> None:
    result = runner.invoke(app, ["law", "retention", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert set(listed["classes"]) == set(retention.CLASSES)
    assert all(c["reference"] and c["confirmed"] for c in listed["classes"].values())
