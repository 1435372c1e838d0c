"""Synthetic children: names from short lists of common Swedish names and identity numbers.

Identity numbers are structurally valid (date, birth number, Luhn check digit), so they pass
the same validation as real ones. Skatteverket publishes test personnummer as a list, not as a
rule; the list is not bundled, so a generated number may coincide with a real person's (see
docs/synthetic-data.md). The numbers only ever live in the synthetic database.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.rules import (
    COORDINATION_DAY_OFFSET,
    Gender,
    IdentityKind,
    luhn_check_digit,
    reserve_identity,
)
from barnskydd.synth import calibration as cal

GIRLS = (
    "Alice", "Maja", "Vera", "Elsa", "Astrid", "Wilma", "Freja", "Olivia", "Ebba", "Alma",
    "Selma", "Ella", "Saga", "Agnes", "Stella", "Lilly", "Nora", "Signe", "Clara", "Ines",
)  # fmt: skip
BOYS = (
    "William", "Noah", "Hugo", "Lucas", "Liam", "Oliver", "Elias", "Adam", "Alexander", "Leo",
    "Vincent", "Theo", "Nils", "Ludvig", "Oscar", "Filip", "Isak", "Charlie", "Axel", "Melvin",
)  # fmt: skip
SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Ali",
    "Mohammed", "Ahmed", "Hassan", "Nguyen",
)  # fmt: skip
ADULT_NAMES = GIRLS[:10] + BOYS[:10]


@dataclass(frozen=True, slots=True)
class SynthChild:
    """A child as the generator draws it, before it is registered."""

    identity: str
    first_name: str
    last_name: str
    birth_date: dt.date
    protected: ProtectedIdentity


def _age_days(rng: random.Random) -> int:
    """Draw an age in days: two children in three are 0-12 (Socialstyrelsen 2018)."""
    if rng.random() < cal.SHARE_AGED_0_12:
        return rng.randrange(0, 13 * 365)
    return rng.randrange(13 * 365, 18 * 365 - 1)


def _protected(rng: random.Random) -> ProtectedIdentity:
    draw = rng.random()
    if draw < cal.SKYDDAD_FOLKBOKFORING_SHARE:
        return ProtectedIdentity.PROTECTED_REGISTRATION
    if draw < cal.SKYDDAD_FOLKBOKFORING_SHARE + cal.SEKRETESSMARKERING_SHARE:
        return ProtectedIdentity.CONFIDENTIALITY_MARKING
    return ProtectedIdentity.NONE


class ChildFactory:
    """Draw children with unique identity numbers, born so they are 0-17 throughout."""

    def __init__(self, rng: random.Random, *, end: dt.date) -> None:
        self._rng = rng
        self._end = end
        self._used: set[str] = set()
        self._reserve_serials: dict[dt.date, int] = {}

    def new(self, first_reported: dt.date) -> SynthChild:
        """Draw a child first reported on a day; still under 18 on the last day."""
        rng = self._rng
        latest_age = 18 * 365 - 1 - (self._end - first_reported).days
        born = first_reported - dt.timedelta(days=max(0, min(_age_days(rng), latest_age)))
        boy = rng.random() < cal.BOY_SHARE
        first = rng.choice(BOYS if boy else GIRLS)
        draw = rng.random()
        if draw < cal.RESERVE_SHARE:
            identity = self._reserve(born, Gender.boy if boy else Gender.girl)
        else:
            kind = (
                IdentityKind.samordningsnummer
                if draw < cal.RESERVE_SHARE + cal.SAMORDNINGSNUMMER_SHARE
                else IdentityKind.personnummer
            )
            identity = self._number(born, boy=boy, kind=kind)
        return SynthChild(identity, first, rng.choice(SURNAMES), born, _protected(rng))

    def adult(self, born: dt.date, *, boy: bool) -> str:
        """Draw a unique personnummer for an adult (a guardian) born on a day."""
        return self._number(born, boy=boy, kind=IdentityKind.personnummer)

    def _number(self, born: dt.date, *, boy: bool, kind: IdentityKind) -> str:
        day = born.day + (COORDINATION_DAY_OFFSET if kind is IdentityKind.samordningsnummer else 0)
        while True:
            # The birth number's last digit is odd for boys, even for girls; 000 is never issued.
            birth_number = self._rng.randrange(0, 500) * 2 + (1 if boy else 0)
            if birth_number == 0:
                continue
            nine = f"{born:%y%m}{day:02d}{birth_number:03d}"
            number = f"{born.year:04d}{nine[2:]}{luhn_check_digit(nine)}"
            if number not in self._used:
                self._used.add(number)
                return number

    def _reserve(self, born: dt.date, gender: Gender) -> str:
        serial = self._reserve_serials.get(born, 0) + 1
        self._reserve_serials[born] = serial
        return reserve_identity(
            birth_date=born, serial=serial, gender=gender, today=self._end
        ).number


def adult_name(rng: random.Random) -> str:
    """Return a synthetic adult's full name (staff, named reporters)."""
    return f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}"
