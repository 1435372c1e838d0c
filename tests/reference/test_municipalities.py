"""The bundled municipality reference file and the child-count estimate."""

from __future__ import annotations

import pytest

from barnskydd.core.errors import InvalidInput
from barnskydd.reference.municipalities import (
    CHILDREN_0_17_SHARE,
    CHILDREN_0_17_SHARE_SOURCE,
    all_municipalities,
    estimated_children_0_17,
    get,
)

SKR_GROUPS = {
    "Storstäder": 3,
    "Pendlingskommun nära storstad": 43,
    "Större stad": 23,
    "Pendlingskommun nära större stad": 63,
    "Lågpendlingskommun nära större stad": 24,
    "Mindre stad/tätort": 27,
    "Pendlingskommun nära mindre stad/tätort": 51,
    "Landsbygdskommun": 35,
    "Landsbygdskommun med besöksnäring": 21,
}


def test_file_holds_290_municipalities_with_unique_four_digit_codes_in_order() -> None:
    codes = [m.code for m in all_municipalities()]
    assert len(codes) == 290
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isascii() and code.isdigit() for code in codes)
    assert codes == sorted(codes)


def test_county_code_is_the_first_two_digits() -> None:
    assert all(m.county_code == m.code[:2] for m in all_municipalities())
    assert len({m.county_code for m in all_municipalities()}) == 21


def test_population_sums_to_scb_national_total_for_2025() -> None:
    assert sum(m.population for m in all_municipalities()) == 10_605_520
    assert {m.year for m in all_municipalities()} == {2025}


def test_groups_are_skr_2023_with_their_counts() -> None:
    counts: dict[str, int] = {}
    for m in all_municipalities():
        counts[m.group] = counts.get(m.group, 0) + 1
    assert counts == SKR_GROUPS


def test_children_column_is_still_empty() -> None:
    # When barn_0_17 is filled from SCB, use it and retire the estimate.
    assert all(m.children_0_17 is None for m in all_municipalities())


def test_goteborg_is_found_by_code() -> None:
    goteborg = get("1480")
    assert goteborg.name == "Göteborg"
    assert goteborg.county_code == "14"
    assert goteborg.county == "Västra Götalands län"
    assert goteborg.group == "Storstäder"
    assert get(" 0180 ").name == "Stockholm"


def test_all_municipalities_is_read_once() -> None:
    assert all_municipalities() is all_municipalities()


@pytest.mark.parametrize("code", ["0000", "9999", "1483"])
def test_unknown_code_is_refused_by_name(code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        get(code)
    assert caught.value.message == f"Okänd kommunkod: {code}."
    assert caught.value.field == "code"


@pytest.mark.parametrize("code", ["", "148", "14800", "14a0", "١٤٨٠", "19870704-9996"])
def test_malformed_code_is_refused_without_echoing_it(code: str) -> None:
    with pytest.raises(InvalidInput, match=r"^Okänd kommunkod") as caught:
        get(code)
    if code:
        assert code not in caught.value.message


def test_children_estimate_is_labelled_as_an_estimate_and_not_scb() -> None:
    goteborg = get("1480")
    count, label = estimated_children_0_17(goteborg)
    assert count == round(goteborg.population * CHILDREN_0_17_SHARE)
    assert label.startswith("Uppskattning, inte SCB:s siffra")
    assert "ca 20,8 %" in label
    assert "2025" in label


def test_children_share_is_plausible_for_sweden() -> None:
    # SCB: roughly 2.1-2.2 million children of 10.5-10.6 million people in 2022-2025.
    assert 0.19 < CHILDREN_0_17_SHARE < 0.22
    total = sum(estimated_children_0_17(m)[0] for m in all_municipalities())
    assert 2_100_000 < total < 2_300_000
    assert "SCB" in CHILDREN_0_17_SHARE_SOURCE
