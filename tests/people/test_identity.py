"""Swedish identity numbers (the external personnummer list plus our own edge cases), name keys."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barnskydd.core.errors import InvalidInput
from barnskydd.people.rules import (
    Gender,
    IdentityKind,
    age_on,
    luhn_check_digit,
    name_key,
    parse_identity,
    prefix_range,
    reserve_identity,
)

LIST = json.loads(
    (Path(__file__).parents[1] / "data" / "personnummer-list.json").read_text(encoding="utf-8")
)
FORMATS = ("long_format", "short_format", "separated_format", "separated_long", "integer")

# The list's ten-digit forms only resolve to the century of its long_format on some days.
# Every separated form does so from 2015-09-16 (150916-0006, the youngest) up to 2039-01-21
# (from 2039-01-22, "390182-9913" would be read as born in 2039). A fixed day keeps the
# suite meaning the same thing in every year.
LIST_TODAY = date(2026, 1, 1)

# The unseparated ten-digit form cannot say "100 or older", so it reads these two a century
# late (2009, 1979); the verdict, kind and gender are still the list's.
CENTENARIANS = {"190905271474", "187912219990"}


def _cases() -> list[Any]:
    return [
        pytest.param(entry, fmt, id=f"{entry['long_format']}-{fmt}")
        for entry in LIST
        for fmt in FORMATS
    ]


def _written(entry: dict[str, Any], fmt: str) -> str:
    return str(entry[fmt])


@pytest.mark.parametrize(("entry", "fmt"), _cases())
def test_external_list_verdict_kind_and_gender_match_in_every_form(
    entry: dict[str, Any], fmt: str
) -> None:
    text = _written(entry, fmt)
    if not entry["valid"]:
        with pytest.raises(InvalidInput):
            parse_identity(text, today=LIST_TODAY)
        return
    identity = parse_identity(text, today=LIST_TODAY)
    expected_kind = {"ssn": IdentityKind.personnummer, "con": IdentityKind.samordningsnummer}
    assert identity.kind is expected_kind[entry["type"]]
    assert identity.gender is (Gender.boy if entry["isMale"] else Gender.girl)
    assert entry["isMale"] != entry["isFemale"]
    if fmt == "short_format" and entry["long_format"] in CENTENARIANS:
        assert identity.number[2:] == entry["long_format"][2:]
        assert int(identity.number[:4]) == int(entry["long_format"][:4]) + 100
    else:
        assert identity.number == entry["long_format"]


def test_external_list_has_both_verdicts_and_kinds() -> None:
    assert {e["valid"] for e in LIST} == {True, False}
    assert {e["type"] for e in LIST if e["valid"]} == {"ssn", "con"}


# --- normalised form and display form ------------------------------------------------------


def test_normalises_every_written_form_to_twelve_digits() -> None:
    today = date(2026, 1, 1)
    forms = ["198211059954", "8211059954", "821105-9954", "19821105-9954", "  821105-9954\n"]
    assert {parse_identity(f, today=today).number for f in forms} == {"198211059954"}


def test_formatted_is_the_long_form_with_a_dash() -> None:
    identity = parse_identity("8211059954", today=date(2026, 1, 1))
    assert identity.formatted == "19821105-9954"
    assert identity.birth_date == date(1982, 11, 5)


def test_samordningsnummer_keeps_day_plus_60_in_number_but_not_in_birth_date() -> None:
    identity = parse_identity("730674-9982", today=date(2026, 1, 1))
    assert identity.kind is IdentityKind.samordningsnummer
    assert identity.number == "197306749982"
    assert identity.formatted == "19730674-9982"
    assert identity.birth_date == date(1973, 6, 14)
    assert identity.gender is Gender.girl


def test_repr_does_not_show_the_number() -> None:
    identity = parse_identity("19821105-9954")
    assert "9954" not in repr(identity)
    assert "9954" not in str(identity)


# --- century -------------------------------------------------------------------------------


def test_ten_digits_take_the_latest_century_that_is_not_in_the_future() -> None:
    number = f"200101-001{luhn_check_digit('200101001')}"
    assert parse_identity(number, today=date(2020, 1, 1)).birth_date == date(2020, 1, 1)
    assert parse_identity(number, today=date(2019, 12, 31)).birth_date == date(1920, 1, 1)


def test_plus_separator_means_a_hundred_years_more() -> None:
    today = date(2026, 1, 1)
    assert parse_identity("090527+1474", today=today).birth_date == date(1909, 5, 27)
    assert parse_identity("090527-1474", today=today).birth_date == date(2009, 5, 27)


def test_plus_separator_on_the_hundredth_birthday() -> None:
    born_1926 = f"260315-123{luhn_check_digit('260315123')}"
    assert parse_identity(born_1926.replace("-", "+"), today=date(2026, 3, 15)).birth_date == (
        date(1926, 3, 15)
    )
    assert parse_identity(born_1926.replace("-", "+"), today=date(2026, 3, 14)).birth_date == (
        date(1826, 3, 15)
    )


def test_twelve_digits_ignore_the_separator() -> None:
    today = date(2026, 1, 1)
    assert parse_identity("19090527+1474", today=today).number == "190905271474"
    assert parse_identity("19090527-1474", today=today).number == "190905271474"


# --- leap day ------------------------------------------------------------------------------


def _leap_number(yymmdd: str) -> str:
    return f"{yymmdd}-234{luhn_check_digit(yymmdd + '234')}"


def test_leap_day_in_a_leap_year_is_accepted() -> None:
    today = date(2026, 1, 1)
    assert parse_identity(_leap_number("200229"), today=today).birth_date == date(2020, 2, 29)
    assert parse_identity("20" + _leap_number("000229"), today=today).birth_date == (
        date(2000, 2, 29)
    )


def test_leap_day_centenarian_uses_plus_on_28_february_of_a_common_year() -> None:
    # Born 2000-02-29, 100 years old on 2100-02-28 (see age_on), so "+" and not "-".
    number = _leap_number("000229")
    today = date(2100, 2, 28)
    assert parse_identity(number.replace("-", "+"), today=today).birth_date == date(2000, 2, 29)
    with pytest.raises(InvalidInput, match="finns inte i kalendern"):
        parse_identity(number, today=today)


def test_leap_day_in_a_common_year_is_refused() -> None:
    with pytest.raises(InvalidInput, match="finns inte i kalendern"):
        parse_identity("19" + _leap_number("000229"), today=date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="finns inte i kalendern"):
        parse_identity(_leap_number("210229"), today=date(2026, 1, 1))


def test_leap_day_samordningsnummer_is_accepted() -> None:
    identity = parse_identity(_leap_number("200289"), today=date(2026, 1, 1))
    assert identity.kind is IdentityKind.samordningsnummer
    assert identity.birth_date == date(2020, 2, 29)


def test_leap_day_child_turns_a_year_older_on_28_february_in_common_years() -> None:
    child = parse_identity(_leap_number("200229"), today=date(2026, 1, 1))
    assert age_on(child, date(2021, 2, 27)) == 0
    assert age_on(child, date(2021, 2, 28)) == 1
    assert age_on(child, date(2024, 2, 28)) == 3
    assert age_on(child, date(2024, 2, 29)) == 4


# --- error messages ------------------------------------------------------------------------


def _refusal(text: str, today: date = date(2026, 1, 1)) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_identity(text, today=today)
    assert caught.value.field == "identity"
    if text.strip():
        assert text.strip()[-4:] not in caught.value.message  # never repeat the number
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "19090527 1474",
        "870704/9996",
        "8707049996x",
        "87070499",
        "1987070499961",
        "870704--9996",
        "٨٧٠٧٠٤-٩٩٩٦",  # Arabic-Indic digits, which int() would accept
        "abcdef-ghij",
    ],
)
def test_refuses_malformed_text_with_a_format_message(text: str) -> None:
    assert _refusal(text).message == (
        "Fel format. Skriv numret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."
    )


@pytest.mark.parametrize(
    "text", ["871304-0000", "870732-0000", "870700-0000", "870745-0000", "19870229-0000"]
)
def test_refuses_impossible_dates_with_a_date_message(text: str) -> None:
    assert _refusal(text).message == "Födelsedatumet i numret finns inte i kalendern."


@pytest.mark.parametrize("text", ["870792-0000", "870291-0000", "19870289-0000"])
def test_refuses_impossible_samordningsnummer_dates_with_their_own_message(text: str) -> None:
    assert "plus 60" in _refusal(text).message


def test_refuses_a_wrong_check_digit() -> None:
    assert _refusal("19870704-9996").message == (
        "Kontrollsiffran stämmer inte. Kontrollera att numret är rätt inskrivet."
    )


def test_refuses_a_birth_date_in_the_future() -> None:
    tomorrow = date(2026, 1, 2)
    number = f"{tomorrow:%Y%m%d}-123{luhn_check_digit(f'{tomorrow:%y%m%d}123')}"
    assert _refusal(number, today=date(2026, 1, 1)).message == (
        "Födelsedatumet i numret ligger i framtiden."
    )
    assert parse_identity(number, today=tomorrow).birth_date == tomorrow


def test_refuses_birth_number_000() -> None:
    # Valid Luhn and date; the list (201509160006) marks it invalid because 000 is never issued.
    assert _refusal("150916-0006").message == (
        "Födelsenumret (de tre siffrorna före kontrollsiffran) kan inte vara 000."
    )


# --- reserve identities --------------------------------------------------------------------


def test_reserve_identity_has_a_documented_twelve_character_form() -> None:
    child = reserve_identity(birth_date=date(2015, 9, 16), serial=7, gender=Gender.girl)
    assert child.kind is IdentityKind.reserve
    assert child.number == "20150916R007"
    assert child.formatted == "20150916-R007"
    assert child.gender is Gender.girl
    assert reserve_identity(birth_date=date(2015, 9, 16), serial=7).gender is Gender.unknown


@pytest.mark.parametrize("text", ["20150916R007", "20150916-R007", " 20150916r007 "])
def test_reserve_number_parses_back(text: str) -> None:
    parsed = parse_identity(text, today=date(2026, 1, 1))
    assert parsed == reserve_identity(birth_date=date(2015, 9, 16), serial=7)


def test_reserve_number_does_not_carry_gender() -> None:
    girl = reserve_identity(birth_date=date(2015, 9, 16), serial=7, gender=Gender.girl)
    assert parse_identity(girl.number).gender is Gender.unknown


@pytest.mark.parametrize("serial", [0, 1000, -1])
def test_reserve_serial_outside_001_to_999_is_refused(serial: int) -> None:
    with pytest.raises(InvalidInput, match="001–999") as caught:
        reserve_identity(birth_date=date(2015, 9, 16), serial=serial)
    assert caught.value.field == "serial"


def test_reserve_number_with_serial_000_or_a_bad_date_is_refused() -> None:
    assert "001–999" in _refusal("20150916R000").message
    assert "finns inte i kalendern" in _refusal("20150231R001").message
    assert "framtiden" in _refusal("20260102R001").message


def test_reserve_identity_refuses_a_future_birth_date() -> None:
    with pytest.raises(InvalidInput, match="framtiden") as caught:
        reserve_identity(birth_date=date(2026, 1, 2), serial=1, today=date(2026, 1, 1))
    assert caught.value.field == "birth_date"


# --- age -----------------------------------------------------------------------------------


def test_age_counts_whole_years_from_the_birthday() -> None:
    child = parse_identity("19821105-9954")
    assert age_on(child, date(1982, 11, 5)) == 0
    assert age_on(child, date(2000, 11, 4)) == 17
    assert age_on(child, date(2000, 11, 5)) == 18


def test_age_before_birth_is_refused() -> None:
    child = parse_identity("19821105-9954")
    with pytest.raises(InvalidInput):
        age_on(child, date(1982, 11, 4))


# --- property: every valid number round-trips through every written form -------------------


@st.composite
def _numbers(draw: st.DrawFn) -> tuple[str, date, date, bool]:
    today = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
    born = today - timedelta(days=draw(st.integers(min_value=0, max_value=199 * 365)))
    coordination = draw(st.booleans())
    birth_number = draw(st.integers(min_value=1, max_value=999))
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{birth_number:03d}"
    return f"{born.year // 100:02d}{nine}{luhn_check_digit(nine)}", born, today, coordination


@given(_numbers())
def test_any_valid_number_round_trips_through_every_form(
    case: tuple[str, date, date, bool],
) -> None:
    long, born, today, coordination = case
    identity = parse_identity(long, today=today)
    assert identity.number == long
    assert identity.birth_date == born
    assert identity.kind is (
        IdentityKind.samordningsnummer if coordination else IdentityKind.personnummer
    )
    assert identity.gender is (Gender.boy if int(long[10]) % 2 else Gender.girl)
    age = age_on(identity, today)
    separator = "+" if age >= 100 else "-"
    forms = [long, identity.formatted, f"{long[2:8]}{separator}{long[8:]}", f" {long} "]
    if age < 100:
        forms.append(long[2:])
    for form in forms:
        assert parse_identity(form, today=today) == identity


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Åsa", "åsa"),
        ("ÅSA", "åsa"),
        ("Asa", "asa"),  # å is a letter of its own, not a with a ring to strip
        (" Öberg ", "öberg"),
        ("A\u030asa", "åsa"),  # Å written as A plus a combining ring
        ("Anna-Karin", "anna-karin"),
        ("Weiß", "weiss"),
    ],
)
def test_name_key_folds_letter_case_and_keeps_swedish_letters(name: str, key: str) -> None:
    assert name_key(name) == key


def test_prefix_range_ends_at_the_next_code_point() -> None:
    assert prefix_range("åsa") == ("åsa", "åsb")
    low, high = prefix_range("ab")
    assert low <= "ab" < high
    assert low <= "ab" + "\U0010ffff" * 3 < high
    assert not low <= "a" + chr(ord("b") - 1) + "\U0010ffff" < high  # just below
    assert not low <= "ac" < high  # just above: the bound itself
    assert not low <= "a" < high


def test_prefix_range_refuses_an_empty_key() -> None:
    with pytest.raises(ValueError, match="empty"):
        prefix_range("")


@given(
    st.text(st.characters(max_codepoint=0x10FFFE), min_size=1),
    st.text(),
    st.text(),
)
def test_prefix_range_holds_exactly_the_strings_that_start_with_the_key(
    key: str, rest: str, other: str
) -> None:
    low, high = prefix_range(key)
    near = key[:-1] + chr(ord(key[-1]) + 1) + rest
    for text in (key + rest, near, other, other + key, key[:-1] + rest):
        assert (low <= text < high) is text.startswith(key), text
